"""The départements' facts, in one place, and the context a request is served in.

Everything that differs between départements is decided here, from data, and nowhere
else: how French names a département (the COG's ``typeLiaison``: « dans l'Aisne », « dans le
Nord », « en Corse-du-Sud », « à La Réunion »), its metric projection (Lambert-93, or the
overseas département's UTM zone), its folder and file names, the prefix of its ids, and
whether a prefecture's announcement was curated for it (the Aisne's press release of
18 March 2021, with its structures file). :class:`DepartmentContext` carries these facts
to every page, loader and exporter; no other module compares a département's code.
No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from aisnemap import config
from aisnemap.domain.layers import LayerSet

#: COG ``typeLiaison`` values: 0 and 1 no article, 2 "le", 3 "la", 4 "les", 5 "l'".
_ARTICLE = {2: "le ", 3: "la ", 4: "les ", 5: "l'"}
_OF = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'"}
#: Names without article said with « à » (a city, an island); the others take « en ».
_AT = {"75", "974", "976"}
#: Feminine names said with « en » rather than « dans la » (islands, overseas).
_EN_FEMININE = {"2A", "2B", "971", "972", "973"}


@dataclass(frozen=True)
class Department:
    """A département of the COG: code ("02", "2A", "974"), name, article type."""

    code: str
    name: str
    liaison: int = 0

    @property
    def with_article(self) -> str:
        """« l'Aisne », « le Nord », « Paris »."""
        return _ARTICLE.get(self.liaison, "") + self.name

    @property
    def in_name(self) -> str:
        """« dans l'Aisne », « dans le Nord », « en Corse-du-Sud », « à La Réunion »."""
        if self.liaison in (0, 1):
            return ("à " if self.code in _AT else "en ") + self.name
        if self.liaison == 3 and self.code in _EN_FEMININE:
            return f"en {self.name}"
        return f"dans {self.with_article}"

    @property
    def of_name(self) -> str:
        """« de l'Aisne », « du Nord », « de la Somme », « d'Ille-et-Vilaine »."""
        return _OF.get(self.liaison, "de ") + self.name


# --- facts that differ between départements ---------------------------------------------

#: Metric projection of each overseas département (UTM zones of the official RGAF09,
#: RGFG95, RGR92 and RGM04 frames); Lambert-93 for mainland France and Corsica.
OVERSEAS_METRIC_CRS = {
    "971": "EPSG:5490",
    "972": "EPSG:5490",
    "973": "EPSG:2972",
    "974": "EPSG:2975",
    "976": "EPSG:4471",
}


def metric_crs(code: str) -> str:
    """The one rule for the projection in which a département's distances, areas and
    simplification are computed, by the build and the app alike."""
    return OVERSEAS_METRIC_CRS.get(code, config.CRS_METRIC)


#: Where each overseas département is drawn: centre (lon, lat) and width in degrees of
#: longitude of its inset, west of Brittany and the Bay of Biscay.
INSETS = {
    "971": (-8.6, 48.3),
    "972": (-8.6, 46.9),
    "973": (-8.6, 45.3),
    "974": (-8.6, 43.7),
    "976": (-8.6, 42.3),
}
INSET_SIZE_DEG = (1.9, 1.15)  # width (longitude), height (latitude)


#: Départements whose build keeps its historical file names in ``data/`` itself
#: (``communes_aisne.geojson``); the others go to ``data/departements/CODE/``.
HISTORICAL_NAMES = {"02": "aisne"}


@dataclass(frozen=True)
class Announcement:
    """A prefecture's announcement, curated by hand in a structures file (one row per
    advisor site): the facts quoted from the press release."""

    department: Department
    #: Date of the press release.
    date: dt.date
    #: Advisors announced.
    advisors: int
    #: Laureate structures announced (besides the Département's own advisors).
    laureates: int
    #: The State's funding terms, as the release words them (two schemes).
    funding_per_post_eur: int
    funding_years: int
    funding_alternative: str
    #: Where the release is kept (../shared/seed).
    source_file: str
    #: (west, south, east, north) in degrees around the département: a site of its
    #: structures file outside it is refused at once (swapped coordinates are named).
    bounds: tuple[float, float, float, float] = (-180.0, -90.0, 180.0, 90.0)


#: The announcements curated for this dashboard, by département.
ANNOUNCEMENTS = {
    "02": Announcement(
        department=Department("02", "Aisne", 5),
        date=dt.date(2021, 3, 18),
        advisors=32,
        laureates=15,
        funding_per_post_eur=50_000,
        funding_years=2,
        funding_alternative="70 % du salaire sur 3 ans",
        source_file="communique-prefecture-aisne-2021-03-18.txt",
        bounds=(2.9, 48.8, 4.4, 50.2),
    )
}


@dataclass(frozen=True)
class BuiltFiles:
    """The file names of one département's build (in its own folder)."""

    #: The four layers, exact (for joins) and simplified (for display).
    exact: LayerSet[str]
    display: LayerSet[str]
    posts: str
    ifn: str
    france_services: str
    #: Posts attributed and advisors recruited (September 2023), joined with the list.
    recruitment: str
    #: The département's rows of the list as published on 25 June 2021.
    june: str
    #: The France Services of December 2022 (the current list is ``france_services``).
    france_services_2022: str

    @property
    def layers(self) -> tuple[str, ...]:
        """The eight GeoJSON layers, exact then display (every build writes them)."""
        return (*self.exact, *self.display)


def files_for(code: str) -> BuiltFiles:
    """File names of a département's build: historical names where kept
    (``communes_aisne.geojson``), else the code (``communes_59.geojson``)."""
    slug = HISTORICAL_NAMES.get(code, code.lower())
    stems = LayerSet("communes", "epci", "arrondissements", "departement")
    return BuiltFiles(
        exact=stems.map(lambda stem: f"{stem}_{slug}.geojson"),
        display=stems.map(lambda stem: f"{stem}_{slug}_affichage.geojson"),
        posts=f"postes_{slug}.csv",
        ifn=f"ifn_{slug}.csv",
        france_services=f"france_services_{slug}.csv",
        recruitment=f"recrutement_{slug}.csv",
        june=f"liste_2021_06_{slug}.csv",
        france_services_2022=f"france_services_2022_{slug}.csv",
    )


def department_dir(code: str, data_dir: Path | None = None) -> Path:
    """Where a département's build goes: ``data/`` itself for historical names,
    ``data/departements/CODE`` for the others."""
    base = data_dir or config.DATA_DIR
    return base if code in HISTORICAL_NAMES else base / "departements" / code


def name_slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (« Côtes-d'Armor » → "cotes-d-armor"),
    as the IGN folders and the file names write names."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@dataclass(frozen=True)
class DepartmentContext:
    """Everything that differs between départements, resolved once per request and passed
    to every page, loader and exporter (immutable)."""

    department: Department
    #: The folder of its build and the names of its files.
    folder: Path
    files: BuiltFiles
    #: The hand-written structures file of its announcement (None: no announcement).
    structures: Path | None
    announcement: Announcement | None
    #: The projection of its distances and areas (:func:`metric_crs`).
    metric_crs: str
    #: Prefix of the ids it exports (« nord-N123… », « aisne-L01 »).
    id_prefix: str

    @property
    def code(self) -> str:
        return self.department.code

    @property
    def name(self) -> str:
        return self.department.name

    @property
    def curated(self) -> bool:
        """True when a prefecture's announcement was curated for it (a structures file)."""
        return self.announcement is not None

    @property
    def announcement_date(self) -> dt.date | None:
        """The date of its announcement (None: no announcement)."""
        return self.announcement.date if self.announcement else None

    @property
    def readings(self) -> tuple[str, ...]:
        """The readings it offers: the announcement where curated, the national list."""
        return ("annonce", "liste") if self.curated else ("liste",)


def context_for(
    department: Department, data_dir: Path | None = None, structures: Path | None = None
) -> DepartmentContext:
    """The context of a département: its facts, with its folder under ``data_dir`` (the
    app's data folder by default) and its announcement's structures file (``structures``,
    else ``config.STRUCTURES_CSV``) where one was curated."""
    code = department.code
    announcement = ANNOUNCEMENTS.get(code)
    return DepartmentContext(
        department=department,
        folder=department_dir(code, data_dir),
        files=files_for(code),
        structures=(structures or config.STRUCTURES_CSV) if announcement else None,
        announcement=announcement,
        metric_crs=metric_crs(code),
        id_prefix=name_slug(department.name),
    )


def normalise_code(text: object) -> str | None:
    """A département code as the COG writes it ("2" → "02", "2a" → "2A"), or None when
    the text cannot be one (the caller checks it exists)."""
    value = str(text or "").strip().upper()
    if re.fullmatch(r"\d{1,2}", value):
        return value.zfill(2)
    if re.fullmatch(r"97[1-6]|2[AB]", value):
        return value
    return None


def from_reference(entries: list[dict]) -> dict[str, Department]:
    """Code → Department from the Etalab ``departements.json`` entries."""
    return {
        e["code"]: Department(e["code"], e["nom"], int(e.get("typeLiaison") or 0)) for e in entries
    }


def sort_key(code: str) -> tuple[int, str]:
    """COG order: 01…19, 2A, 2B, 21…95, 971…976."""
    if code in ("2A", "2B"):
        return (20, code)
    return (int(code), "")


def unknown_code_message(text: object, known: dict[str, Department]) -> str:
    """The French message for a code that is no département, listing the valid ones."""
    codes = ", ".join(sorted(known, key=sort_key))
    shown = str(text or "").strip()[:12]
    return f"Département inconnu : « {shown} ». Codes valides : {codes}."


def the_announcement() -> Announcement:
    """The announcement the structures file holds (there is one structures file)."""
    (announcement,) = ANNOUNCEMENTS.values()
    return announcement


def announced_context(
    data_dir: Path | None = None, structures: Path | None = None
) -> DepartmentContext:
    """The context of the département whose announcement the structures file holds (the
    wave import and its command line edit that file)."""
    return context_for(the_announcement().department, data_dir, structures)


def context_of_code(
    code: str, data_dir: Path | None = None, structures: Path | None = None
) -> DepartmentContext:
    """The context of a département known by its code, named as its build recorded it
    (its manifest), or by its code when it is not built yet."""
    announcement = ANNOUNCEMENTS.get(code)
    department = announcement.department if announcement else _named_by_build(code, data_dir)
    return context_for(department, data_dir, structures)


def _named_by_build(code: str, data_dir: Path | None) -> Department:
    manifest = department_dir(code, data_dir) / config.MANIFEST_FILE
    try:
        built = json.loads(manifest.read_text(encoding="utf-8"))
        return Department(code, str(built["nom"]), int(built.get("liaison") or 0))
    except (OSError, ValueError, KeyError, TypeError):
        return Department(code, code)


def served_context(data_dir: Path | None = None) -> DepartmentContext:
    """The context of the département a server or a command line shows by default
    (``AISNEMAP_DEPARTEMENT``, the Aisne otherwise)."""
    return context_of_code(config.served_department(), data_dir)
