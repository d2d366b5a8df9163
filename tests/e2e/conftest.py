"""Real-browser fixtures: Debian's Chromium driven by Playwright against `streamlit run`."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from tests.support.server import CHROMIUM, CHROMIUM_ARGS, ROOT

ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; never a silent skip in CI."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} absent : installez le paquet Debian « chromium »"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Recorder:
    """Every request and every console error of a browser context."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []

    def attach(self, context) -> None:
        context.on("request", lambda r: self.requests.append(r.url))

    def watch(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def external(self) -> list[str]:
        """Requests that left the machine (anything not on the loopback)."""
        local = (
            "http://127.0.0.1",
            "ws://127.0.0.1",
            "http://localhost",
            "ws://localhost",
            "data:",
            "blob:",
            "about:",
        )
        return [u for u in self.requests if not u.startswith(local)]


NAVIGATION_TIMEOUT_MS = 120_000


@pytest.fixture
def page_factory(browser, request):
    """New pages in fresh contexts; a screenshot of each is saved if the test fails."""
    contexts = []

    def make(width: int = 1400, height: int = 1000):
        context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        # A loaded CI machine may take more than Playwright's 30 s to answer a navigation;
        # what a test waits for is its own condition, with its own timeout.
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        recorder = Recorder()
        recorder.attach(context)
        page = context.new_page()
        recorder.watch(page)
        contexts.append((context, page))
        return page, recorder

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, (context, page) in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            # A failed screenshot must not hide the test's own failure.
            with contextlib.suppress(Exception):
                page.screenshot(
                    path=str(ARTIFACTS / f"echec-{request.node.name}-{i}.png"), full_page=True
                )
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
