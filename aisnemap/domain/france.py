"""The national overview as built (``data/france/``): the files' names, reading them, and
each département's posts at a date of situation. Built by :mod:`aisnemap.build.france`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from aisnemap import config, integrity
from aisnemap.domain import programme
from aisnemap.french import data_files

FOLDER = "france"
TABLE_FILE = "departements.csv"
POSTS_FILE = "postes_par_comite.csv"
OUTLINES_FILE = "departements_affichage.geojson"
#: The advisors' declared activity per département (themes, age bands, kinds of support).
ACTIVITY_OUT = "activite_par_departement.csv"
#: Tolerance of the national outlines, in metres (a département is 50–150 km wide).
TOLERANCE_M = 1500.0
DECIMALS = 3

COLUMNS = ("code", "nom", "liaison", "communes", "population", "ifn_moyen", "france_services")


def france_dir(data_dir: Path | None = None) -> Path:
    return (data_dir or config.DATA_DIR) / FOLDER


# --- build ------------------------------------------------------------------------------


@dataclass(frozen=True)
class National:
    """The national files as built."""

    table: pd.DataFrame
    posts: pd.DataFrame
    outlines: str
    #: Posts of the list outside the 101 départements (Saint-Martin).
    outside: int


def _checked_csv(out_dir: Path, name: str, dtypes: dict) -> pd.DataFrame | None:
    """A national CSV checked against its build (None when not written)."""
    return integrity.read_built_csv(out_dir / name, data_files.file_role(name), dtypes)


def load_table(out_dir: Path | None = None) -> National | None:
    """The national files as built, or None when they are not; each checked against its
    build (integrity.DamagedFileError, naming the file by its role, when it differs)."""
    out_dir = out_dir or france_dir()
    manifest = integrity.read_manifest(out_dir)
    if manifest is None:
        return None
    table = _checked_csv(out_dir, TABLE_FILE, {"code": str})
    posts = _checked_csv(out_dir, POSTS_FILE, {"code": str})
    raw = integrity.read_built(out_dir / OUTLINES_FILE, data_files.file_role(OUTLINES_FILE))
    if table is None or posts is None or raw is None:
        return None
    integrity.require_columns(table, COLUMNS, TABLE_FILE, data_files.file_role(TABLE_FILE))
    integrity.require_columns(
        posts, ("code", "date", "postes"), POSTS_FILE, data_files.file_role(POSTS_FILE)
    )
    posts["date"] = pd.to_datetime(posts["date"]).dt.date
    outlines = raw.decode("utf-8")
    return National(table, posts, outlines, int(manifest.get("postes_hors_departements", 0)))


def committee_dates(posts: pd.DataFrame) -> list[dt.date]:
    """Every committee date of the list, then the list's date of situation."""
    return sorted({*posts["date"], programme.LIST_DATE})


def situation(table: pd.DataFrame, posts: pd.DataFrame, au: dt.date) -> pd.DataFrame:
    """Each département's posts validated up to ``au`` and per 10 000 inhabitants."""
    upto = posts.loc[posts["date"] <= au].groupby("code")["postes"].sum()
    out = table.copy()
    out["postes"] = out["code"].map(upto).fillna(0).astype(int)
    out["pour_10000"] = np.where(
        out["population"] > 0, out["postes"] / out["population"] * 10_000, np.nan
    )
    # The declared activity (whole period, not the date of situation), per 10 000
    # inhabitants and per post attributed in September 2023.
    if "usagers" in out:
        usagers = pd.to_numeric(out["usagers"], errors="coerce").astype(float)
        attributed = pd.to_numeric(out.get("postes_attribues"), errors="coerce").astype(float)
        out["usagers_pour_10000"] = np.where(
            out["population"] > 0, usagers / out["population"] * 10_000, np.nan
        )
        out["usagers_par_poste"] = np.where(attributed > 0, usagers / attributed, np.nan)
    return out


#: Classes of posts per 10 000 inhabitants (upper bounds) and their colours (ColorBrewer
#: Blues, colour-blind safe); a département without post is grey-white.
RATE_BREAKS = (0.25, 0.5, 0.75, 1.0)
RATE_LABELS = ("moins de 0,25", "0,25 à 0,5", "0,5 à 0,75", "0,75 à 1", "1 ou plus")
RATE_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NONE_LABEL = "aucun poste"
NONE_COLOUR = "#f2f2f2"


def rate_class(rate: float, posts: int) -> tuple[str, str]:
    """(label, colour) of a département on the national map."""
    if not posts or rate is None or np.isnan(rate):
        return NONE_LABEL, NONE_COLOUR
    index = int(np.searchsorted(RATE_BREAKS, rate, side="right"))
    return RATE_LABELS[index], RATE_COLOURS[index]


def load_activity(out_dir: Path | None = None) -> pd.DataFrame | None:
    """The declared activity per département as built (None when not built; raises
    integrity.DamagedFileError when it differs from its build)."""
    frame = _checked_csv(out_dir or france_dir(), ACTIVITY_OUT, {"code": str})
    return None if frame is None else frame.set_index("code")
