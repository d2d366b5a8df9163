"""Where a warm navigation's time goes, from navigation to the map drawn, and a filter
change's, from the choice to the markers redrawn.

Run: ``.venv/bin/python -m bench.trace [--reps 5]`` (part of ``make bench``). Chromium's
DevTools protocol gives the websocket frames (their time and size); a script added to the
page before Streamlit's own marks, frame by frame, when the map's component frame is
inserted, when its Leaflet is defined and when the 800 communes and the sites are drawn.
Printed: the median time of each step since the navigation, over ``--reps`` warm
navigations (same browser context, a new tab each). Then, on one whole page, ``2 × reps``
arrondissement choices: the same script wraps the page's websocket (one clock for all)
and marks the choice, the rerun asked, the first and the largest answers, the sites layer
rebuilt in the map's frame, and the run's last message. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_MARKS_JS = r"""
(() => {
  if (window !== window.top) return;
  const log = (k) => { (window.__marks = window.__marks || {})[k] = performance.now(); };
  document.addEventListener("DOMContentLoaded", () => log("page scripts parsed (DOMContentLoaded)"));
  const tick = () => {
    const m = window.__marks || {};
    const f = document.querySelector("iframe");
    if (f && !m["map frame inserted"]) log("map frame inserted");
    let w, d;
    try { w = f && f.contentWindow; d = f && f.contentDocument; } catch (e) {}
    if (w && d) {
      if (w.L && !m["Leaflet loaded in the frame"]) log("Leaflet loaded in the frame");
      if (d.querySelectorAll("path.aisne-commune").length >= 800 && !m["800 communes drawn"])
        log("800 communes drawn");
      const g = w.aisne && w.aisne.groupeSites;
      if (g && g._map && !m["sites drawn"]) log("sites drawn");
    }
    if (!(m["800 communes drawn"] && m["sites drawn"])) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""
LAST = "websocket: last message (the whole page, after the map)"
ORDER = (
    "page scripts parsed (DOMContentLoaded)",
    "websocket: first message",
    "websocket: map element received",
    LAST,
    "map frame inserted",
    "Leaflet loaded in the frame",
    "800 communes drawn",
    "sites drawn",
)


@contextlib.contextmanager
def _served(script: str, init_js: str):
    """The page served by ``streamlit run``, and a browser context running ``init_js``
    in every page before Streamlit's own scripts: (server, context)."""
    from playwright.sync_api import sync_playwright

    from tests.support.server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    # The dashboard as ``make run`` serves it (aisnemap.serve), another page as it is.
    with StreamlitServer(script, warm=script == "dashboard.py") as srv, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(init_js)
        try:
            yield srv, context
        finally:
            browser.close()


def trace(reps: int, script: str = "dashboard.py") -> dict[str, float]:
    runs: list[dict[str, float]] = []
    with _served(script, _MARKS_JS) as (srv, context):
        for i in range(reps + 1):  # the first one warms the caches
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            sent: list[float] = []
            frames: list[tuple[float, int]] = []
            cdp.on("Network.requestWillBeSent", lambda e, s=sent: s.append(e["timestamp"]))
            cdp.on(
                "Network.webSocketFrameReceived",
                lambda e, f=frames: f.append((e["timestamp"], len(e["response"]["payloadData"]))),
            )
            page.goto(srv.url)
            page.wait_for_function(
                "() => { const m = window.__marks || {}; "
                "return !!(m['800 communes drawn'] && m['sites drawn']); }",
                timeout=120_000,
                polling=20,
            )
            time.sleep(0.3)
            marks = dict(page.evaluate("window.__marks"))
            origin = sent[0]  # the navigation's request, on the protocol's clock
            biggest = max(frames, key=lambda f: f[1])
            marks["websocket: first message"] = (frames[0][0] - origin) * 1000
            marks["websocket: map element received"] = (biggest[0] - origin) * 1000
            marks[LAST] = (frames[-1][0] - origin) * 1000
            page.close()
            if i:
                runs.append(marks)
    return {k: round(statistics.median(r[k] for r in runs)) for k in ORDER}


# Filter changes, on the page's own clock: its websocket's messages and the map's sites.
_FILTER_JS = r"""
(() => {
  if (window !== window.top) return;
  const log = (window.__ws = []);
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    const send = ws.send.bind(ws);
    ws.send = (data) => { log.push(["sent", performance.now(), 0]); return send(data); };
    ws.addEventListener("message", (e) =>
      log.push(["received", performance.now(), e.data.byteLength || e.data.size || 0]));
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
  document.addEventListener("click", (e) => {
    if (e.target.closest && e.target.closest('[role="option"]')) window.__choice = performance.now();
  }, true);
  const watch = () => {
    const f = [...document.querySelectorAll("iframe")].find((x) => /Carte|st_folium/.test(x.title));
    let g;
    try { g = f && f.contentWindow.aisne && f.contentWindow.aisne.groupeSites; } catch (e) {}
    if (g && g._map && g !== window.__lastGroup) {
      window.__lastGroup = g;
      window.__rebuilt = performance.now();
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
})();
"""
FILTER_ORDER = (
    "rerun asked (websocket message sent)",
    "first answer",
    "largest answer (the map's element, unless sent by reference)",
    "sites layer rebuilt in the map's frame",
    "last message of the run",
)


def trace_filter(changes: int, script: str = "dashboard.py") -> dict[str, float]:
    """Median ms from the option clicked to each step, over ``changes`` choices."""
    from tests.e2e.helpers import _WHOLE_JS, open_selectbox, wait_for_map

    runs: list[dict[str, float]] = []
    with _served(script, _FILTER_JS) as (srv, context):
        page = context.new_page()
        page.goto(srv.url)
        wait_for_map(page, sites=25)
        for k in range(changes + 1):  # the first one warms the caches
            option, sites = ("Saint-Quentin", 7) if k % 2 == 0 else ("Tous les arrondissements", 25)
            choice = open_selectbox(page, "Arrondissement", option)
            before = page.evaluate("window.__ws.length")
            choice.click()
            wait_for_map(page, sites=sites)
            page.wait_for_timeout(400)  # the run's last messages
            page.wait_for_function(_WHOLE_JS)
            log = page.evaluate("window.__ws")[before:]
            t0, rebuilt = page.evaluate("[window.__choice, window.__rebuilt]")
            sent = [t for kind, t, _ in log if kind == "sent" and t >= t0]
            got = [(t, n) for kind, t, n in log if kind == "received" and sent and t >= sent[0]]
            if not (sent and got):
                continue
            marks = {
                FILTER_ORDER[0]: sent[0] - t0,
                FILTER_ORDER[1]: got[0][0] - t0,
                FILTER_ORDER[2]: max(got, key=lambda m: m[1])[0] - t0,
                FILTER_ORDER[3]: rebuilt - t0,
                FILTER_ORDER[4]: got[-1][0] - t0,
            }
            if k:
                runs.append(marks)
    return {k: round(statistics.median(r[k] for r in runs)) for k in FILTER_ORDER}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--script", default="dashboard.py", help="the page to trace")
    args = parser.parse_args(argv)
    steps = trace(args.reps, args.script)
    print(f"warm navigation -> map drawn, median of {args.reps} (ms since navigation)")
    previous = 0
    for name in ORDER:
        print(f"  {steps[name]:>6} ms  (+{steps[name] - previous:>5})  {name}")
        previous = steps[name]
    changes = 2 * args.reps
    steps = trace_filter(changes, args.script)
    print(f"filter change (an arrondissement chosen) -> markers redrawn, median of {changes}")
    print("(ms since the option was clicked)")
    for name in sorted(FILTER_ORDER, key=steps.__getitem__):
        print(f"  {steps[name]:>6} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
