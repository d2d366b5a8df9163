"""Break the code on purpose, one way at a time, and check that a named test fails.

Run by hand (not in CI): ``.venv/bin/python -m bench.hand_mutations [--browser]``. Each
mutation is applied to a copy of the clone (the working tree is never touched), the named
tests run, and the table says which test killed it. A mutation whose tests still pass is a
gap in the suite. ``--browser`` also runs the mutations only a browser can see.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutation:
    """One deliberate bug: where, what replaces what, and the tests that must catch it."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    browser: bool = False


MUTATIONS = (
    Mutation(
        "from_query drops the commune",
        "aisnemap/domain/filters.py",
        "        codes[level.key] = value\n",
        "        codes[level.key] = None if level.key == 'commune' else value\n",
        ("tests/unit/test_filters.py",),
    ),
    Mutation(
        "to_query never writes the commune",
        "aisnemap/domain/filters.py",
        "        query[level.key] = value\n",
        "        if level.key != 'commune':\n            query[level.key] = value\n",
        ("tests/unit/test_filters.py",),
    ),
    Mutation(
        "sites layer fits with latitude and longitude swapped",
        "aisnemap/render/maps.py",
        "self.fit = safe_json([[south, west], [north, east]])",
        "self.fit = safe_json([[west, south], [east, north]])",
        ("tests/app/test_dashboard.py",),
    ),
    Mutation(
        "sites layer fits with latitude and longitude swapped (browser)",
        "aisnemap/render/maps.py",
        "self.fit = safe_json([[south, west], [north, east]])",
        "self.fit = safe_json([[west, south], [east, north]])",
        (
            "tests/e2e/test_map_browser.py::"
            "test_markers_are_inside_the_visible_map_and_the_territory_is_framed",
        ),
        browser=True,
    ),
    Mutation(
        "A.text uses innerHTML",
        "static/aisnemap/carte.js",
        '    el.textContent = text == null ? "" : String(text);',
        '    el.innerHTML = text == null ? "" : String(text);',
        ("tests/unit/test_maps.py",),
    ),
    Mutation(
        "a popup cell is built with innerHTML",
        "static/aisnemap/carte.js",
        '      tr.appendChild(A.text("td", row[1]));',
        '      var td = document.createElement("td"); td.innerHTML = row[1]; tr.appendChild(td);',
        ("tests/unit/test_maps.py",),
    ),
    Mutation(
        "code_mapping loses its chef-lieu branch",
        "aisnemap/build/pipeline.py",
        '                mapping.setdefault(commune["code"], parent)\n',
        "                pass\n",
        ("tests/unit/test_build.py", "tests/data/test_reference.py"),
    ),
    Mutation(
        "merge_communes keeps one contour instead of dissolving",
        "aisnemap/build/pipeline.py",
        'merged = frame.dissolve(by="code_cog", as_index=False)[["code_cog", "geometry"]]',
        'merged = frame.drop_duplicates("code_cog")[["code_cog", "geometry"]]',
        ("tests/data/test_reference.py",),
    ),
    Mutation(
        "save ignores the preview's version (lost update)",
        "aisnemap/admin/importer.py",
        "    if expected_version is not None and version_of(current) != expected_version:",
        "    if False:",
        ("tests/unit/test_importer.py", "tests/app/test_import_page.py"),
    ),
    Mutation(
        "a mixed-encoding file is decoded as Windows-1252",
        "aisnemap/domain/schema.py",
        "    if utf8_lines:\n",
        "    if False:\n",
        ("tests/unit/test_schema.py", "tests/data/test_corpus.py"),
    ),
    Mutation(
        "text from the data reaches Markdown unescaped",
        "aisnemap/french/texts.py",
        '    return _MARKDOWN.sub(r"\\\\\\1", text)',
        "    return text",
        ("tests/app/test_import_page.py::test_markdown_and_math_from_the_data_stay_literal",),
    ),
    Mutation(
        "each site of a pool counts the whole pool",
        "aisnemap/domain/schema.py",
        "    sizes = pool_rows.groupby(POOL, sort=False)[POOL_ADVISORS].first().fillna(0)",
        "    sizes = pool_rows.groupby(POOL, sort=False)[POOL_ADVISORS].sum().fillna(0)",
        ("tests/unit/test_schema.py", "tests/unit/test_filters.py"),
    ),
    Mutation(
        "exports read $…$ as a formula",
        "aisnemap/render/printing.py",
        '_RC = {"text.parse_math": False,',
        '_RC = {"text.parse_math": True,',
        ("tests/unit/test_export.py",),
    ),
    Mutation(
        "restore accepts any path",
        "aisnemap/admin/importer.py",
        '    if path.parent != backup_dir or path.suffix != ".csv":',
        "    if False:",
        ("tests/unit/test_importer.py",),
    ),
    Mutation(
        "failed tries are counted per session only (no server-wide delay)",
        "aisnemap/admin/access.py",
        "    record_failure(now)\n",
        "",
        ("tests/unit/test_admin.py",),
    ),
    Mutation(
        "La Réunion measured in Lambert-93 (one projection for every département)",
        "aisnemap/domain/departements.py",
        "    return OVERSEAS_METRIC_CRS.get(code, config.CRS_METRIC)\n",
        "    return config.CRS_METRIC\n",
        ("tests/unit/test_departements.py",),
    ),
    Mutation(
        "the homonym repair without its uniqueness condition",
        "aisnemap/build/pipeline.py",
        "    return {k: v for k, v in index.items() if seen[k] == 1}",
        "    return index",
        ("tests/unit/test_departements.py",),
    ),
    Mutation(
        "Couverture's fragile communes counted with > instead of >=",
        "aisnemap/domain/coverage.py",
        '    fragile = joined.loc[joined["total"] >= threshold]',
        '    fragile = joined.loc[joined["total"] > threshold]',
        ("tests/unit/test_departements.py",),
    ),
    Mutation(
        "the national standard gives coordinates to a site at its commune's centre",
        "aisnemap/render/export.py",
        '        exact = str(site.get(s.PRECISION, "")) == s.PRECISION_ADDRESS',
        "        exact = True",
        ("tests/unit/test_departements.py",),
    ),
    Mutation(
        "the fiche territoire measures to the territory's own sites only",
        "aisnemap/render/printing.py",
        "    candidates = sites.loc[criteria_mask(sites, filters)]",
        "    candidates = apply_filters(sites, filters)",
        ("tests/unit/test_export.py::test_fiche_bands_measure_to_every_site_of_the_departement",),
    ),
    Mutation(
        "a structure listed twice exports one id twice",
        "aisnemap/domain/programme.py",
        '    return ids.where(rank == 0, ids + "-" + (rank + 1).astype(str))',
        "    return ids",
        (
            "tests/unit/test_departements.py",
            "tests/data/test_mediation_export.py::"
            "test_other_departements_export_valid_unique_ids_of_their_own",
        ),
    ),
)


def copy_clone(dest: Path) -> None:
    """The tracked files of the clone, copied to ``dest`` (the working tree is never mutated)."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def _run(copy: Path, tests: tuple[str, ...]) -> tuple[bool, str, float]:
    shared = ROOT.parent / "shared"
    env = {
        **os.environ,
        "AISNEMAP_SOURCES": str(shared / "data"),
        "AISNEMAP_PROGRAMME": str(shared / "sources" / "programme"),
    }
    env.pop("AISNEMAP_DATA_DIR", None)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    summary = (failed[0] if failed else lines[-1] if lines else proc.stderr[-200:])[:110]
    return proc.returncode != 0, summary, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Apply each mutation to a copy, run its tests, print a table; 1 if one survives."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also the browser mutations")
    args = parser.parse_args(argv)
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="mutations-") as tmp:
        copy = Path(tmp) / "main"
        copy_clone(copy)
        baseline_ok = not _run(copy, ("tests/unit/test_filters.py",))[0]
        print(f"baseline (unmutated copy): {'tests pass' if baseline_ok else 'TESTS FAIL'}")
        print("| mutation | killed by | first failure | s |")
        print("|---|---|---|---|")
        for m in MUTATIONS:
            if m.browser and not args.browser:
                continue
            path = copy / m.path
            original = path.read_text(encoding="utf-8")
            if original.count(m.old) != 1:
                print(f"| {m.name} | — | MUTATION NOT APPLICABLE (code moved) | |")
                survivors += 1
                continue
            path.write_text(original.replace(m.old, m.new), encoding="utf-8")
            try:
                killed, summary, seconds = _run(copy, m.tests)
            finally:
                path.write_text(original, encoding="utf-8")
            survivors += not killed
            verdict = ", ".join(m.tests) if killed else "SURVIVED"
            print(f"| {m.name} | {verdict} | {summary} | {seconds:.0f} |")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
