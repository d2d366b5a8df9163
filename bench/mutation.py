"""Mutation testing with mutmut on the domain modules, against the fast tests (by hand).

``.venv/bin/python -m bench.mutation`` installs the pinned mutmut of
``bench/requirements-mutation.txt`` if needed, runs it in a temporary copy of the clone (the
working tree never gets a ``mutants/`` folder), then prints the killed and surviving mutants
per module and writes the survivors' names to ``bench/results/mutants-survivants.txt``.
Not part of CI: a full run takes tens of minutes on two cores.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.hand_mutations import copy_clone

ROOT = Path(__file__).resolve().parent.parent
MODULES = (
    "domain/filters",
    "domain/schema",
    "domain/analysis",
    "domain/coverage",
    "admin/importer",
)
FAST_TESTS = ("tests/unit", "tests/data")
_STATUS = re.compile(r"^\s*(aisnemap\.(\w+\.\w+)\.\S+): (\w[\w ]*)$")


def _ensure_mutmut() -> None:
    try:
        import mutmut  # noqa: F401
    except ImportError:
        requirements = ROOT / "bench" / "requirements-mutation.txt"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "-r", requirements], check=True
        )


def _prepare(copy: Path, modules: tuple[str, ...]) -> None:
    copy_clone(copy)
    only = "\n    ".join(f"aisnemap/{m}.py" for m in modules)
    tests = "\n    ".join(FAST_TESTS)
    (copy / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths =\n    aisnemap\n"
        f"only_mutate =\n    {only}\n"
        "also_copy =\n    data/\n"
        f"pytest_add_cli_args_test_selection =\n    {tests}\n"
        "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n",
        encoding="utf-8",
    )


def _survivors(listing: str) -> list[str]:
    return [
        m.group(1)
        for m in map(_STATUS.match, listing.splitlines())
        if m and m.group(3).strip() == "survived"
    ]


def main(argv: list[str] | None = None) -> int:
    """Run mutmut and print killed / survived per module."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="*", default=list(MODULES))
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    _ensure_mutmut()
    shared = ROOT.parent / "shared"
    env = {
        **os.environ,
        "AISNEMAP_SOURCES": str(shared / "data"),
        "AISNEMAP_PROGRAMME": str(shared / "sources" / "programme"),
    }
    env.pop("AISNEMAP_DATA_DIR", None)
    with tempfile.TemporaryDirectory(prefix="mutmut-") as tmp:
        copy = Path(tmp) / "main"
        _prepare(copy, tuple(args.modules))
        mutmut = [sys.executable, "-m", "mutmut"]
        subprocess.run(
            [*mutmut, "run", "--max-children", str(args.children)],
            cwd=copy,
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        listing = subprocess.run(
            [*mutmut, "results", "--all", "true"],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        diffs = [
            subprocess.run(
                [*mutmut, "show", name], cwd=copy, env=env, capture_output=True, text=True
            ).stdout
            for name in _survivors(listing)
        ]
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors = []
    for line in listing.splitlines():
        match = _STATUS.match(line)
        if match:
            name, module, status = match.groups()
            counts[module][status.strip()] += 1
            if status.strip() == "survived":
                survivors.append(name)
    print("| module | killed | survived | other |")
    print("|---|---|---|---|")
    for module in args.modules:
        c = counts.get(module, collections.Counter())
        other = sum(v for k, v in c.items() if k not in ("killed", "survived"))
        print(f"| {module} | {c['killed']} | {c['survived']} | {other} |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "mutants-survivants.txt").write_text("\n".join(diffs) + "\n", encoding="utf-8")
    print(f"survivors (diffs) written to {out / 'mutants-survivants.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
