"""Paths, reference year and coordinate systems, in one place.

Every path is anchored on the repository, never on the working directory, and can be
overridden by an environment variable so tests and deployments point elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The Aisne (INSEE code, as a string): the département with a curated structures file,
#: whose build keeps the historical names in data/ (see files_for).
DEPARTMENT = "02"


def served_department() -> str:
    """The département a server shows by default (``AISNEMAP_DEPARTEMENT=59 make run``);
    a visitor may ask for another one with ``?dep=CODE``. Read at each call."""
    code = (os.environ.get("AISNEMAP_DEPARTEMENT") or DEPARTMENT).strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


#: Year of the Code officiel géographique used for communes and EPCI (deployment year).
COG_YEAR = int(os.environ.get("AISNEMAP_COG_YEAR", "2021"))

#: Coordinate reference systems: WGS84 to draw, Lambert-93 for lengths and areas.
CRS_DRAW = "EPSG:4326"
CRS_METRIC = "EPSG:2154"

#: State funding ceiling per advisor over two years (press release of 18/03/2021).
FUNDING_CEILING_EUR = 50_000


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


#: Metric projection of each overseas département (Lambert-93 is for mainland France and
#: Corsica): UTM zones of the official RGAF09, RGFG95, RGR92 and RGM04 frames.
OVERSEAS_METRIC_CRS = {
    "971": "EPSG:5490",
    "972": "EPSG:5490",
    "973": "EPSG:2972",
    "974": "EPSG:2975",
    "976": "EPSG:4471",
}


#: Longitude/latitude boxes of the overseas départements, to pick their projection from
#: geometries alone (west, south, east, north).
_OVERSEAS_BOXES = {
    "971": (-62.0, 15.8, -60.9, 16.6),
    "972": (-61.3, 14.3, -60.7, 15.0),
    "973": (-54.7, 2.0, -51.5, 6.0),
    "974": (55.1, -21.5, 55.9, -20.8),
    "976": (44.9, -13.1, 45.4, -12.5),
}


def metric_crs_for(geo) -> str:
    """The metric projection for geometries (GeoDataFrame or GeoSeries): the overseas
    département's UTM when they lie there, Lambert-93 otherwise (mainland, Corsica)."""
    if geo is None or len(geo) == 0 or geo.crs is None:
        return CRS_METRIC
    west, south, east, north = geo.total_bounds
    if geo.crs.to_epsg() != 4326:
        from pyproj import Transformer

        to_degrees = Transformer.from_crs(geo.crs, "EPSG:4326", always_xy=True)
        (west, east), (south, north) = to_degrees.transform([west, east], [south, north])
    x, y = (west + east) / 2, (south + north) / 2
    for code, (w, s_, e, n) in _OVERSEAS_BOXES.items():
        if w <= x <= e and s_ <= y <= n:
            return OVERSEAS_METRIC_CRS[code]
    return CRS_METRIC


def metric_crs(department: str) -> str:
    """The metric projection in which a département's distances and simplification are
    computed."""
    return OVERSEAS_METRIC_CRS.get(department, CRS_METRIC)


@dataclass(frozen=True)
class BuiltFiles:
    """The file names of one département's build (its own folder, see ``department_dir``)."""

    communes: str
    communes_display: str
    epci: str
    epci_display: str
    arrondissements: str
    arrondissements_display: str
    department: str
    department_display: str
    posts: str
    ifn: str
    france_services: str

    @property
    def layers(self) -> tuple[str, ...]:
        """The eight GeoJSON layers, exact then display (every build writes them)."""
        return (
            self.communes,
            self.communes_display,
            self.epci,
            self.epci_display,
            self.arrondissements,
            self.arrondissements_display,
            self.department,
            self.department_display,
        )


def files_for(department: str) -> BuiltFiles:
    """File names of a département's build: the Aisne keeps its names ("…_aisne"), others
    carry their code ("communes_59.geojson")."""
    slug = "aisne" if department == DEPARTMENT else department.lower()
    return BuiltFiles(
        f"communes_{slug}.geojson",
        f"communes_{slug}_affichage.geojson",
        f"epci_{slug}.geojson",
        f"epci_{slug}_affichage.geojson",
        f"arrondissements_{slug}.geojson",
        f"arrondissements_{slug}_affichage.geojson",
        f"departement_{slug}.geojson",
        f"departement_{slug}_affichage.geojson",
        f"postes_{slug}.csv",
        f"ifn_{slug}.csv",
        f"france_services_{slug}.csv",
    )


def department_dir(department: str, data_dir: Path | None = None) -> Path:
    """Where a département's build goes: ``data/`` for the Aisne, ``data/departements/CODE``
    for the others."""
    base = data_dir or DATA_DIR
    return base if department == DEPARTMENT else base / "departements" / department


#: The Aisne's file names (the default département), from :func:`files_for`.
AISNE_FILES = files_for(DEPARTMENT)
COMMUNES_FILE = AISNE_FILES.communes
COMMUNES_DISPLAY_FILE = AISNE_FILES.communes_display
EPCI_FILE = AISNE_FILES.epci
EPCI_DISPLAY_FILE = AISNE_FILES.epci_display
ARRONDISSEMENTS_FILE = AISNE_FILES.arrondissements
ARRONDISSEMENTS_DISPLAY_FILE = AISNE_FILES.arrondissements_display
DEPARTMENT_FILE = AISNE_FILES.department
DEPARTMENT_DISPLAY_FILE = AISNE_FILES.department_display
POSTS_FILE = AISNE_FILES.posts
IFN_FILE = AISNE_FILES.ifn
FRANCE_SERVICES_FILE = AISNE_FILES.france_services
MANIFEST_FILE = "build_manifest.json"
REPORT_FILE = "build_report.txt"

BUILT_FILES = AISNE_FILES.layers
