"""Paths, reference year and coordinate systems, in one place.

Every path is anchored on the repository, never on the working directory, and can be
overridden by an environment variable so tests and deployments point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The département a server shows when nothing else is asked (a setting; what differs
#: between départements is in aisnemap.domain.departements).
DEFAULT_DEPARTMENT = "02"


def served_department() -> str:
    """The département a server shows by default (``AISNEMAP_DEPARTEMENT=59 make run``);
    a visitor may ask for another one with ``?dep=CODE``. Read at each call."""
    code = (os.environ.get("AISNEMAP_DEPARTEMENT") or DEFAULT_DEPARTMENT).strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


#: Year of the Code officiel géographique used for communes and EPCI (deployment year).
COG_YEAR = int(os.environ.get("AISNEMAP_COG_YEAR", "2021"))

#: Coordinate reference systems: WGS84 to draw, Lambert-93 for lengths and areas.
CRS_DRAW = "EPSG:4326"
CRS_METRIC = "EPSG:2154"


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


#: Where the official open data lives (../shared/data beside the clone by default).
SOURCES_DIR = _path_from_env("AISNEMAP_SOURCES", ROOT.parent / "shared" / "data")
#: The programme's national lists (posts validated, France Services, fragility index).
PROGRAMME_DIR = _path_from_env(
    "AISNEMAP_PROGRAMME", ROOT.parent / "shared" / "sources" / "programme"
)
#: Where the build writes its derived, git-ignored outputs.
DATA_DIR = _path_from_env("AISNEMAP_DATA_DIR", ROOT / "data")
#: The hand-written table of advisor sites (committed).
STRUCTURES_CSV = _path_from_env("AISNEMAP_STRUCTURES", ROOT / "data" / "structures.csv")
#: Backups of structures.csv written by the wave-2 import.
BACKUP_DIR = _path_from_env("AISNEMAP_BACKUP_DIR", ROOT / "data" / "sauvegardes")
#: Server-side state of the app (failed admin tries), git-ignored.
STATE_DIR = _path_from_env("AISNEMAP_STATE_DIR", ROOT / "data")
#: Third-party front-end assets copied from Python packages (served by Streamlit).
STATIC_DIR = ROOT / "static"
#: URL under which Streamlit serves ``static/`` (``server.enableStaticServing``). The app
#: prefixes it with ``server.baseUrlPath`` when served under a path (see ui.page).
STATIC_URL = os.environ.get("AISNEMAP_STATIC_URL", "/app/static")


def static_url_for(base_url_path: str | None) -> str:
    """Static URL for an app served under ``base_url_path`` (e.g. "cartes")."""
    if "AISNEMAP_STATIC_URL" in os.environ:
        return STATIC_URL
    base = (base_url_path or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


MANIFEST_FILE = "build_manifest.json"


def builds_on_visit() -> bool:
    """Whether a visitor's first request for an unbuilt département builds it (one at a
    time, in a child process); a deployment builds every département beforehand and sets
    ``AISNEMAP_BUILD_ON_VISIT=0``."""
    return os.environ.get("AISNEMAP_BUILD_ON_VISIT", "1").strip() != "0"


REPORT_FILE = "build_report.txt"
