"""Many people at once: isolated sessions, and an import while others are reading."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from aisnemap import config
from aisnemap.admin import importer
from aisnemap.domain import schema
from aisnemap.domain import schema as s
from aisnemap.french import texts
from tests.conftest import FIXTURES
from tests.e2e.conftest import ARTIFACTS, NAVIGATION_TIMEOUT_MS
from tests.e2e.helpers import (
    _MAP_READY_JS,
    _WHOLE_JS,
    COMMUNES,
    MAP_IFRAME,
    SITES_IN_WINDOW_JS,
)
from tests.support.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Each view's sites, then its sites once "Fixes seulement" is clicked, counted by hand in
# data/structures.csv (e.g. Saint-Quentin 023: L03 L05 L06 L07 L12 L13 D05, of which L06 is
# itinerant). L02, L08 and L15 give no itinerancy (their sources do not say it): neither
# "itinérants" nor "fixes" shows them (L08 at Chauny and L02 in 022, L15 at Guise in 025,
# L02 and L15 are EPCI). "?itinerant=oui" then "Fixes seulement" shows every fixed site (19).
EXPECTED = {
    "": (25, 19),
    "?arrondissement=021": (2, 2),
    "?arrondissement=022": (9, 6),
    "?arrondissement=023": (7, 6),
    "?arrondissement=024": (2, 2),
    "?arrondissement=025": (5, 3),
    "?service=UTAS": (7, 7),
    "?operateur=EPCI": (6, 3),
    "?itinerant=oui": (3, 19),
    "?epci=200071892": (4, 3),
    "?commune=02691": (2, 1),
}
VIEWS = list(EXPECTED)


async def _wait_sites(page, expected: int, timeout_ms: int = 90_000) -> None:
    await page.wait_for_function(
        _MAP_READY_JS,
        arg=[MAP_IFRAME, COMMUNES, expected],
        timeout=timeout_ms,
        polling=50,
    )
    await page.wait_for_function(_WHOLE_JS, timeout=timeout_ms, polling=50)


async def _sites_metric(page) -> str:
    metric = page.locator(
        '[data-testid="stMetric"]', has=page.get_by_text(texts.FIG_SITES, exact=True)
    )
    return (await metric.locator('[data-testid="stMetricValue"]').inner_text()).strip()


async def _errors_on_page(page) -> int:
    return await page.locator('[data-testid="stException"]').count()


def _chromium_or_fail():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} absent")
        pytest.skip(f"{CHROMIUM} absent")


def test_ten_sessions_at_once_each_see_their_own_view(sites, built_data_dir):
    _chromium_or_fail()
    from playwright.async_api import async_playwright

    async def one(browser, url: str, query: str) -> dict:
        context = await browser.new_context(viewport={"width": 1300, "height": 900})
        # Eleven pages open at once on two cores: the first answer may take longer than
        # Playwright's default 30 s (it did on CI); the test waits on what is drawn.
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(url + "/" + query)
        first, second = EXPECTED[query]
        await _wait_sites(page, first)
        shown_first = await _sites_metric(page)
        # Then a filter change through the UI, timed until the markers are redrawn.
        start = time.perf_counter()
        await page.get_by_text(texts.ITINERANT_NO, exact=True).click()
        await _wait_sites(page, second)
        rerun_s = time.perf_counter() - start
        shown_second = await _sites_metric(page)
        exceptions = await _errors_on_page(page)
        await context.close()
        return {
            "query": query,
            "expected": [first, second],
            "shown": [shown_first, shown_second],
            "rerun_s": rerun_s,
            "errors": errors,
            "exceptions": exceptions,
        }

    async def run(url: str) -> list[dict]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return await asyncio.gather(*(one(browser, url, q) for q in VIEWS))
            finally:
                await browser.close()

    with StreamlitServer() as server:
        results = asyncio.run(run(server.url))
        log = server.log_text()
    assert len(results) >= 10
    for r in results:
        assert r["shown"] == [str(n) for n in r["expected"]], r
        assert r["errors"] == [] and r["exceptions"] == 0, r
    assert "Traceback" not in log and "Exception" not in log
    slowest = max(r["rerun_s"] for r in results)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "concurrence.json").write_text(
        json.dumps(
            {
                "sessions": len(results),
                "slowest_rerun_s": round(slowest, 3),
                "reruns_s": [round(r["rerun_s"], 3) for r in results],
            },
            indent=2,
        )
    )
    print(f"\n{len(results)} sessions; slowest filter rerun seen: {slowest:.2f} s")


def test_import_while_others_read(tmp_path, sites, built_data_dir):
    _chromium_or_fail()
    from playwright.async_api import async_playwright

    served = tmp_path / "structures.csv"
    shutil.copy(config.STRUCTURES_CSV, served)
    current = pd.DataFrame(sites[list(s.COLUMNS)])
    upload = (FIXTURES / "corpus" / "utf8_bom.csv").read_bytes()  # adds W01, a fixed site
    v = schema.read_structures(upload)
    new_table = pd.concat([current, v.frame.drop(columns="_ligne")], ignore_index=True)
    old_counts = {None: 25, False: 19}
    new_counts = {None: 26, False: 20}

    async def reader(browser, url: str, ready: asyncio.Event, imported: asyncio.Event) -> dict:
        context = await browser.new_context(viewport={"width": 1300, "height": 900})
        # Eleven pages open at once on two cores: the first answer may take longer than
        # Playwright's default 30 s (it did on CI); the test waits on what is drawn.
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        page = await context.new_page()
        await page.goto(url)
        await _wait_sites(page, 25)
        seen: list[tuple[str, str]] = []
        state = None
        rounds = 0
        while rounds < 2 or not imported.is_set():
            state = False if state is None else None
            label = texts.ITINERANT_NO if state is False else texts.ITINERANT_ALL
            await page.get_by_text(label, exact=True).click()
            valid = {old_counts[state], new_counts[state]}
            await page.wait_for_function(
                """([sel, valid]) => { const f=[...document.querySelectorAll(sel)];
                   if (f.length!==1 || !f[0].contentDocument) return false;
                   return valid.includes(("""
                + SITES_IN_WINDOW_JS
                + """)(f[0].contentWindow)); }""",
                arg=[MAP_IFRAME, sorted(valid)],
                timeout=90_000,
                polling=50,
            )
            # The figures are sent after the map: read them once the run is over.
            await page.wait_for_function(_WHOLE_JS, timeout=90_000, polling=50)
            metric = await _sites_metric(page)
            seen.append((str(state), metric))
            assert int(metric) in valid, (state, metric)
            assert await _errors_on_page(page) == 0
            rounds += 1
            if rounds == 2:
                ready.set()
        # After the import: the next rerun shows the new data.
        state = False if state is None else None
        label = texts.ITINERANT_NO if state is False else texts.ITINERANT_ALL
        await page.get_by_text(label, exact=True).click()
        await _wait_sites(page, new_counts[state])
        final = await _sites_metric(page)
        await context.close()
        return {"seen": seen, "final": final, "final_expected": str(new_counts[state])}

    async def run(url: str) -> list[dict]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            imported = asyncio.Event()
            readies = [asyncio.Event() for _ in range(5)]
            tasks = [asyncio.create_task(reader(browser, url, r, imported)) for r in readies]
            # Every reader ready, or one failed before: never wait for a reader that died.
            waiting = asyncio.ensure_future(asyncio.gather(*(r.wait() for r in readies)))
            await asyncio.wait([waiting, *tasks], return_when=asyncio.FIRST_COMPLETED)
            for task in tasks:
                if task.done():
                    waiting.cancel()
                    await browser.close()
                    task.result()  # raises the reader's failure
            await waiting
            await asyncio.to_thread(
                importer.save_structures, new_table, served, tmp_path / "sauvegardes"
            )
            imported.set()
            try:
                return await asyncio.gather(*tasks)
            finally:
                await browser.close()

    with StreamlitServer(env={"AISNEMAP_STRUCTURES": str(served)}) as server:
        results = asyncio.run(run(server.url))
        log = server.log_text()
    for r in results:
        assert r["final"] == r["final_expected"], r
    assert "Traceback" not in log
    assert len(list((tmp_path / "sauvegardes").glob("*.csv"))) == 1
