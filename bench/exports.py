"""Exports and atlases: server time of each export, the two atlases, and whether the server
goes on answering other visitors while a France atlas is made.

Run: ``make bench`` (or ``.venv/bin/python -m bench.exports [--reps 5] [--no-browser]``).
Writes ``bench/results/exports.json`` (git-ignored). Figures, not asserts.

1. Server time (median and worst of ``--reps``) of each export of the Vervins
   arrondissement's view and of the whole département: PNG, PDF, fiche territoire,
   CSV, XLSX (the functions the download buttons call).
2. The Aisne's atlas by EPCI (20 fiches) and by arrondissement; the France atlas (101
   départements) at the list's date.
3. In Chromium, on a real server: a visitor asks for the France atlas on the France page;
   meanwhile a health check is polled every 0.25 s and another visitor opens the map in a
   fresh context. Reported: the atlas's time until its download button appears, the worst
   health-check answer and the other visitor's time to the map drawn.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"


def _timed(make, reps: int) -> dict[str, float]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "worst_ms": round(max(times) * 1000, 1),
    }


def export_times(reps: int) -> dict[str, dict]:
    import datetime as dt
    import json as _json

    import geopandas as gpd

    from aisnemap.domain import filters, france, schema, territory
    from aisnemap.domain.departements import served_context
    from aisnemap.render import atlas, export, printing

    context = served_context()
    t = territory.load_territory(context)
    validation = schema.read_structures(ROOT / "data" / "structures.csv", t.insee_codes)
    sites, _ = territory.locate_sites(validation.frame, t.communes, metric_crs="EPSG:2154")
    options = filters.options_from(sites)
    out: dict[str, dict] = {}
    for label, chosen in (
        ("département", filters.Filters()),
        ("arrondissement de Vervins", replace(filters.Filters(), arrondissement="025")),
    ):
        shown = filters.apply_filters(sites, chosen)

        def document(chosen=chosen):
            return printing.map_document(t, sites, chosen, options, context=context)

        def sheet(chosen=chosen):
            return printing.territory_sheet(printing.sheet_document(document(), sites, chosen))

        out[label] = {
            "PNG": _timed(lambda: printing.map_png(document()), reps),
            "PDF": _timed(lambda: printing.map_pdf(document()), reps),
            "fiche territoire": _timed(sheet, reps),
            "CSV": _timed(
                lambda shown=shown: export.csv_excel_bytes(export.export_table(shown)), reps
            ),
            "XLSX": _timed(lambda shown=shown: export.xlsx_bytes(export.export_table(shown)), reps),
        }
    atlases = {}
    for level in ("epci", "arrondissement"):
        pages = []
        atlases[f"Aisne, par {level}"] = _timed(
            lambda level=level, pages=pages: pages.append(
                atlas.department_atlas(t, sites, filters.Filters(), options, level, context=context)
            ),
            1,
        )
        atlases[f"Aisne, par {level}"]["bytes"] = len(pages[-1])
    nat = france.load_table()
    au = max(nat.posts["date"])
    frame = france.situation(nat.table, nat.posts, au)
    shapes = gpd.GeoDataFrame.from_features(_json.loads(nat.outlines)["features"])
    made = []
    atlases["France, 101 départements"] = _timed(
        lambda: made.append(atlas.france_atlas(frame, nat.posts, shapes, au)), 1
    )
    atlases["France, 101 départements"]["bytes"] = len(made[-1])
    out["atlas"] = atlases
    out["date"] = dt.date.today().isoformat()
    return out


def served_during_france_atlas() -> dict[str, float]:
    """The France atlas asked in a browser; health checks and another visitor meanwhile."""
    from playwright.sync_api import sync_playwright

    from aisnemap.french import texts
    from tests.e2e.helpers import _MAP_READY_JS, COMMUNES, MAP_IFRAME
    from tests.support.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    health: list[float] = []
    pages: list[float] = []
    stop = threading.Event()

    def poll(url: str) -> None:
        while not stop.is_set():
            for path, into in (("/_stcore/health", health), ("/", pages)):
                start = time.perf_counter()
                with urllib.request.urlopen(url + path, timeout=30) as answer:
                    answer.read()
                into.append(time.perf_counter() - start)
            time.sleep(0.25)

    with StreamlitServer("dashboard.py", warm=True) as srv, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        asker = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        asker.goto(f"{srv.url}/{texts.URL_FRANCE}")
        button = asker.get_by_role("button", name=texts.ATLAS_FRANCE_MAKE.format(n=101))
        button.wait_for(timeout=120_000)
        poller = threading.Thread(target=poll, args=(srv.url,), daemon=True)
        poller.start()
        start = time.perf_counter()
        button.click()
        time.sleep(2.0)  # the atlas is under way
        other = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        visit = time.perf_counter()
        other.goto(srv.url)
        other.wait_for_function(
            _MAP_READY_JS, arg=[MAP_IFRAME, COMMUNES, None], timeout=300_000, polling=50
        )
        visit_s = time.perf_counter() - visit
        asker.get_by_role("button", name=texts.ATLAS_DOWNLOAD).wait_for(timeout=600_000)
        atlas_s = time.perf_counter() - start
        stop.set()
        poller.join()
        browser.close()
    return {
        "france_atlas_in_browser_s": round(atlas_s, 1),
        "health_checks": len(health),
        "health_worst_ms": round(max(health) * 1000, 1),
        "health_median_ms": round(statistics.median(health) * 1000, 1),
        "page_html_worst_ms": round(max(pages) * 1000, 1),
        "other_visitor_map_drawn_s": round(visit_s, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    results = export_times(args.reps)
    print(f"server time of each export, median and worst of {args.reps} ({results['date']})")
    for view in ("département", "arrondissement de Vervins"):
        for name, figures in results[view].items():
            print(
                f"  {view:<26} {name:<17} {figures['median_ms']:>9.1f} ms  "
                f"(pire {figures['worst_ms']:.1f} ms)"
            )
    for name, figures in results["atlas"].items():
        print(
            f"  atlas {name:<30} {figures['median_ms'] / 1000:>7.1f} s  "
            f"{figures['bytes'] / 1e6:.1f} Mo"
        )
    if not args.no_browser:
        served = served_during_france_atlas()
        results["served_during_france_atlas"] = served
        print("while a France atlas is made in a browser:")
        for key, value in served.items():
            print(f"  {key:<28} {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "exports.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written: {RESULTS / 'exports.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
