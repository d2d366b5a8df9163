"""``python -m aisnemap.build.all``: every département built once, before any visit.

A deployment (``make data-all``, which ``make serve-cluster`` runs) calls it so that no
visitor ever waits for a build or makes the server build. Each département is built by
its own child process (``python -m aisnemap.build --if-missing``), ``--jobs`` at a time
(the machine's cores by default); one that fails is named and the command exits 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from aisnemap import config
from aisnemap.build import on_demand
from aisnemap.build.pipeline import departments_of
from aisnemap.build.sources import SourceError
from aisnemap.domain.departements import sort_key
from aisnemap.french.formatting import fmt_decimal


def _build(code: str, sources: str) -> tuple[str, int, str]:
    done = subprocess.run(
        on_demand.build_command(code, sources),
        capture_output=True,
        text=True,
        cwd=config.ROOT,
        check=False,
    )
    return code, done.returncode, (done.stderr or "").strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Construit les données des 101 départements.")
    parser.add_argument("--sources", default=str(config.SOURCES_DIR))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    try:
        codes = sorted(departments_of(args.sources, config.COG_YEAR), key=sort_key)
    except SourceError as exc:
        print(f"ÉCHEC de la construction des données : {exc}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for code, returncode, error in pool.map(lambda c: _build(c, args.sources), codes):
            if returncode != 0:
                failed.append(code)
                print(f"{code} : ÉCHEC — {error}", file=sys.stderr)
    seconds = fmt_decimal(time.perf_counter() - started)
    print(
        f"{len(codes) - len(failed)} départements construits ou à jour sur {len(codes)} en {seconds} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
