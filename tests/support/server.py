"""Start ``streamlit run`` on a free local port and wait until it answers its health check."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """A Streamlit app served on 127.0.0.1 for the length of a ``with`` block."""

    def __init__(
        self,
        script: str = "dashboard.py",
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        startup_timeout_s: float = 90.0,
        base_url_path: str = "",
        warm: bool = False,
    ) -> None:
        self.script = script
        self.base_url_path = base_url_path.strip("/")
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        self.log_path = log_path or (ROOT / "artifacts" / f"streamlit-{self.port}.log")
        self.startup_timeout_s = startup_timeout_s
        #: Start through ``aisnemap.serve`` (as ``make run``): libraries and data loaded
        #: before the first visitor. The script must then be the dashboard.
        self.warm = warm
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Base URL of the app."""
        prefix = f"/{self.base_url_path}" if self.base_url_path else ""
        return f"http://127.0.0.1:{self.port}{prefix}"

    def __enter__(self) -> StreamlitServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                *(["aisnemap.serve"] if self.warm else ["streamlit", "run", self.script]),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.baseUrlPath",
                self.base_url_path,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early, see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"streamlit not healthy after {self.startup_timeout_s} s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()

    def log_text(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")
