"""Scale figures of the app for every département (issue 13), printed as a table.

Run: ``.venv/bin/python -m bench.scale`` (about 6 minutes on 2 cores; writes
``bench/results/scale.json``). Everything is built into a temporary folder, never into
data/. Figures:

1. build time of one département (Nord) and of all 101 on 2 processes, with each build
   process's peak memory (max RSS);
2. the map payload (``st_folium`` arguments) and the server time of a rerun for
   départements of every size, up to Pas-de-Calais (890 communes), and how both grow
   with the number of communes (least squares);
3. the France page: payload (map and table) and server time of a rerun (AppTest);
4. a real server with 10 browser sessions on 10 different départements: its memory
   (current and peak RSS) once every map is drawn.

Budgets (issue 13): France page payload ≤ 1.5 MB, France rerun ≤ 150 ms, memory ≤ 2 GB
with 10 sessions on 10 départements.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aisnemap import config  # noqa: E402
from aisnemap.build import france
from aisnemap.build import pipeline as build
from aisnemap.domain import france as national_files
from aisnemap.domain.departements import (
    department_dir,
    sort_key,  # noqa: E402
)
from aisnemap.french.formatting import fmt_int  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "scale.json"
#: Départements of every size for the payload curve (communes, COG 2021).
SAMPLE = ("75", "974", "2A", "23", "59", "02", "62")
#: Ten départements for the memory check (the largest ones first).
SESSIONS = ("62", "02", "59", "76", "80", "33", "13", "2A", "974", "75")
FRANCE_PAYLOAD_BUDGET = 1_500_000
FRANCE_RERUN_BUDGET_MS = 150
MEMORY_BUDGET_MB = 2048


def _build_one(args: tuple[str, str]) -> dict:
    code, root = args
    start = time.perf_counter()
    out = department_dir(code, Path(root))
    build.run_build(config.SOURCES_DIR, config.COG_YEAR, out, department=code)
    seconds = time.perf_counter() - start
    manifest = json.loads((out / config.MANIFEST_FILE).read_text(encoding="utf-8"))
    return {
        "code": code,
        "communes": manifest["communes"],
        "seconds": round(seconds, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def build_all(root: Path, workers: int) -> tuple[list[dict], float]:
    codes = sorted(build.departments_of(config.SOURCES_DIR, config.COG_YEAR), key=sort_key)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(_build_one, [(c, str(root)) for c in codes]))
    france.build_france(
        config.SOURCES_DIR, config.COG_YEAR, out_dir=national_files.france_dir(root)
    )
    return rows, time.perf_counter() - start


def _payload(at) -> int:
    comps = [
        e for e in at.get("component_instance") if e.proto.component_name.endswith("st_folium")
    ]
    return len(comps[0].proto.json_args.encode("utf-8"))


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def _rerun_seconds(at, reps: int) -> list[float]:
    """Wall time of ``reps`` reruns of an AppTest already run once (caches warm)."""
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return times


def app_figures(root: Path, reps: int) -> tuple[list[dict], dict]:
    """Map payload and rerun time of each sampled département, then the France page's."""
    from streamlit.testing.v1 import AppTest

    config.DATA_DIR = root
    os.environ["AISNEMAP_DATA_DIR"] = str(root)
    rows = []
    for code in SAMPLE:
        os.environ["AISNEMAP_DEPARTEMENT"] = code
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        assert not at.exception, at.exception
        times = _rerun_seconds(at, reps)
        manifest = json.loads(
            (department_dir(code, root) / config.MANIFEST_FILE).read_text(encoding="utf-8")
        )
        rows.append(
            {
                "code": code,
                "communes": manifest["communes"],
                "payload_bytes": _payload(at),
                "rerun_ms": _median_ms(times),
            }
        )
    os.environ.pop("AISNEMAP_DEPARTEMENT", None)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/5_France.py")
    at.run()
    assert not at.exception, at.exception
    times = _rerun_seconds(at, reps)
    table_bytes = sum(len(t.proto.SerializeToString()) for t in at.table)
    page = {
        "map_payload_bytes": _payload(at),
        "table_bytes": table_bytes,
        "payload_bytes": _payload(at) + table_bytes,
        "rerun_ms": _median_ms(times),
    }
    return rows, page


def _rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB (Linux /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def sessions_memory(root: Path) -> dict:
    """A real server, 10 Chromium sessions each on its own département, maps drawn."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.helpers import wait_for_map
    from tests.support.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    env = {"AISNEMAP_DATA_DIR": str(root)}
    with StreamlitServer(env=env) as server, sync_playwright() as pw:
        pid = server.process.pid
        idle = _rss_mb(pid)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        after = []
        for code in SESSIONS:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.goto(f"{server.url}/?dep={code}")
            wait_for_map(page, timeout_ms=120_000)
            pages.append(page)
            after.append(round(_rss_mb(pid)[0]))
        current, peak = _rss_mb(pid)
        browser.close()
    return {
        "idle_mb": round(idle[0]),
        "after_each_session_mb": after,
        "current_mb": round(current),
        "peak_mb": round(peak),
    }


def _slope(xs: list[float], ys: list[float]) -> tuple[float, float]:
    slope, intercept = np.polyfit(np.asarray(xs, float), np.asarray(ys, float), 1)
    return float(slope), float(intercept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chiffres d'échelle (issue 13).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aisnemap-echelle-") as tmp:
        root = Path(tmp)
        one = _build_one(("59", str(root / "seul")))
        build.run_build(config.SOURCES_DIR, config.COG_YEAR, root)  # the Aisne, default
        rows, wall = build_all(root, args.workers)
        samples, page = app_figures(root, args.reps)
        memory = None if args.no_browser else sessions_memory(root)
    communes = [r["communes"] for r in rows]
    build_slope, _ = _slope(communes, [r["seconds"] for r in rows])
    pay_slope, pay_base = _slope(
        [r["communes"] for r in samples], [r["payload_bytes"] for r in samples]
    )
    rerun_slope, _ = _slope([r["communes"] for r in samples], [r["rerun_ms"] for r in samples])
    results = {
        "build_one_nord": one,
        "build_all": {
            "departements": len(rows),
            "workers": args.workers,
            "wall_s": round(wall, 1),
            "sum_s": round(sum(r["seconds"] for r in rows), 1),
            "slowest": max(rows, key=lambda r: r["seconds"]),
            "peak_mb_per_process": max(r["peak_mb"] for r in rows),
            "s_per_1000_communes": round(build_slope * 1000, 2),
        },
        "departements": samples,
        "payload_bytes_per_commune": round(pay_slope),
        "payload_bytes_fixed": round(pay_base),
        "rerun_ms_per_1000_communes": round(rerun_slope * 1000, 1),
        "france_page": page,
        "sessions": memory,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    _print(results)
    return 0


def _print(r: dict) -> None:
    def line(name: str, value: str, budget: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else ("tenu" if met else "NON TENU")
        print(f"| {name} | {value} | {budget} | {verdict} |")

    print("| mesure | valeur | budget | verdict |\n| --- | --- | --- | --- |")
    one, every = r["build_one_nord"], r["build_all"]
    line("construction, Nord (648 communes)", f"{one['seconds']} s, pic {one['peak_mb']} Mo")
    line(
        f"construction, {every['departements']} départements sur {every['workers']} processus",
        f"{every['wall_s']} s (somme {every['sum_s']} s), pic {every['peak_mb_per_process']} Mo"
        " par processus",
    )
    slow = every["slowest"]
    line(
        "construction la plus longue",
        f"{slow['code']} : {slow['seconds']} s ({slow['communes']} communes)",
    )
    line("croissance de la construction", f"{every['s_per_1000_communes']} s par 1 000 communes")
    for d in r["departements"]:
        line(
            f"carte du {d['code']} ({d['communes']} communes)",
            f"{fmt_int(d['payload_bytes'])} o, relance {d['rerun_ms']} ms",
        )
    line(
        "croissance de la charge de la carte",
        f"{r['payload_bytes_per_commune']} o par commune (+ {r['payload_bytes_fixed']:,} o)".replace(
            ",", " "
        ),
    )
    line("croissance de la relance", f"{r['rerun_ms_per_1000_communes']} ms par 1 000 communes")
    page = r["france_page"]
    line(
        "page France, charge (carte + tableau)",
        f"{page['payload_bytes']:,} o".replace(",", " "),
        "≤ 1 500 000 o",
        page["payload_bytes"] <= FRANCE_PAYLOAD_BUDGET,
    )
    line(
        "page France, relance (serveur)",
        f"{page['rerun_ms']} ms",
        "≤ 150 ms",
        page["rerun_ms"] <= FRANCE_RERUN_BUDGET_MS,
    )
    if r["sessions"]:
        mem = r["sessions"]
        line(
            "serveur, 10 sessions sur 10 départements",
            f"{mem['current_mb']} Mo (pic {mem['peak_mb']} Mo ; au repos {mem['idle_mb']} Mo)",
            "≤ 2 048 Mo",
            mem["peak_mb"] <= MEMORY_BUDGET_MB,
        )


if __name__ == "__main__":
    sys.exit(main())
