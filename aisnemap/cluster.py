"""Production mode: N Streamlit replicas behind Debian's nginx, on one data folder.

``make serve-cluster N=2`` (``python -m aisnemap.cluster --repliques 2``) starts N
replicas of the dashboard (``aisnemap.serve``, each its own process, so each its own
interpreter and core) on 127.0.0.1, then nginx in front of them with the configuration
``deploy/nginx.conf.in``: websocket upgrade, sticky sessions by an affinity cookie,
passive fail-over. Every replica reads the same data folder and structures file (a save
through one is what the others serve at their next rerun: their caches are keyed on the
files' times) and shares the import's lock (``flock`` on that folder) and one
``cookieSecret`` (kept in the state folder). Builds never run on a visit in this mode:
``make serve-cluster`` builds every département beforehand (``make data-all``).

A replica that exits is started again; Ctrl-C stops everything. This module balances
nothing itself: nginx does.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from aisnemap import config

TEMPLATE = config.ROOT / "deploy" / "nginx.conf.in"
SECRET_FILE = ".cookie_secret"


def cookie_secret(state_dir: Path | None = None) -> str:
    """The secret every replica signs its cookies with (created once, mode 0600)."""
    path = (state_dir or config.STATE_DIR) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="ascii").strip()


def nginx_config(listen: str, ports: list[int], run_dir: Path, host: str = "127.0.0.1") -> str:
    """The nginx configuration for replicas on ``host:ports``, listening on ``listen``."""
    servers = "\n".join(
        f"        server {host}:{port} max_fails=3 fail_timeout=10s;" for port in ports
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    return (
        text.replace("@RUN@", str(run_dir))
        .replace("@SERVERS@", servers)
        .replace("@LISTEN@", listen)
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


@dataclass
class Replica:
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "aisnemap.serve",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                command, cwd=config.ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Cluster:
    """Replicas and nginx, started and stopped together (also used by the tests)."""

    replicas: int = 2
    listen_port: int = 8080
    run_dir: Path = field(default_factory=lambda: config.STATE_DIR / ".grappe")
    env: dict[str, str] = field(default_factory=dict)
    members: list[Replica] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    #: False: one replica answered directly (the benchmark's comparison), no nginx.
    proxy: bool = True

    @property
    def url(self) -> str:
        if not self.proxy:
            return self.members[0].url
        return f"http://127.0.0.1:{self.listen_port}"

    def start_single(self, timeout_s: float = 90.0) -> None:
        """One replica without nginx (what ``make run`` serves)."""
        self.replicas, self.proxy = 1, False
        self.start(timeout_s)

    def start(self, timeout_s: float = 90.0) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if self.proxy and not Path(nginx).is_file():
            raise RuntimeError(
                "nginx est introuvable : installez-le (« apt-get install nginx-light ») "
                "puis relancez « make serve-cluster »"
            )
        self.run_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(self.env)
        env.setdefault("AISNEMAP_BUILD_ON_VISIT", "0")
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret(
            Path(env["AISNEMAP_STATE_DIR"]) if "AISNEMAP_STATE_DIR" in env else None
        )
        for index in range(self.replicas):
            replica = Replica(free_port(), env, self.run_dir / f"replique-{index + 1}.log")
            replica.start()
            self.members.append(replica)
        deadline = time.monotonic() + timeout_s
        while not all(healthy(r.url) for r in self.members):
            if time.monotonic() > deadline or not all(r.alive() for r in self.members):
                self.stop()
                raise RuntimeError(
                    f"les répliques n'ont pas démarré : voir les journaux dans {self.run_dir}"
                )
            time.sleep(0.2)
        if not self.proxy:
            return
        conf = self.run_dir / "nginx.conf"
        listen = f"127.0.0.1:{self.listen_port}"
        conf.write_text(
            nginx_config(listen, [r.port for r in self.members], self.run_dir), encoding="utf-8"
        )
        self.nginx = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(self.run_dir), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.run_dir / "nginx-demarrage.log", "ab"),  # noqa: SIM115
        )
        while not healthy(self.url):
            if time.monotonic() > deadline or self.nginx.poll() is not None:
                self.stop()
                raise RuntimeError(f"nginx n'a pas démarré : voir {self.run_dir}")
            time.sleep(0.1)

    def restart_dead(self) -> list[int]:
        """Start again the replicas that exited (nginx routes around them meanwhile)."""
        restarted = []
        for replica in self.members:
            if not replica.alive():
                replica.start()
                restarted.append(replica.port)
        return restarted

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: open websockets finish
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for replica in self.members:
            replica.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Sert le tableau de bord par N répliques derrière nginx (un seul dossier "
        "de données)."
    )
    parser.add_argument("--repliques", type=int, default=2, help="nombre de répliques (2)")
    parser.add_argument("--port", type=int, default=8080, help="port d'écoute de nginx (8080)")
    args = parser.parse_args(argv)
    if args.repliques < 1:
        print("Il faut au moins une réplique.", file=sys.stderr)
        return 2
    cluster = Cluster(args.repliques, args.port)
    try:
        cluster.start()
    except RuntimeError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 1
    print(
        f"Carte servie sur {cluster.url} par {args.repliques} répliques "
        f"(journaux : {cluster.run_dir}). Ctrl-C pour arrêter.",
        flush=True,
    )
    stopping = False

    def _stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        while not stopping:
            for port in cluster.restart_dead():
                print(f"réplique du port {port} arrêtée : relancée", file=sys.stderr, flush=True)
            if cluster.nginx.poll() is not None:
                print("nginx s'est arrêté : arrêt des répliques", file=sys.stderr)
                break
            time.sleep(1)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
