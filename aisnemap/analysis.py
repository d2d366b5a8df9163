"""Per-territory figures (arrondissement, EPCI) for the "Territoires" page. No Streamlit."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from . import schema as s
from . import texts
from .territory import ARRONDISSEMENT, EPCI

#: Levels of the "Territoires" page (communes are too many for a table of territories).
LEVELS = {level.key: level for level in (ARRONDISSEMENT, EPCI)}
POOL_ROW = "Groupe départemental (tout le département)"

#: Classes of inhabitants per advisor for the choropleth (upper bounds) and their colours
#: (a colour-blind-safe sequential scheme, light = well served, dark = under-served).
CLASS_BREAKS = (10_000, 20_000, 40_000, 80_000)
CLASS_LABELS = ("< 10 000", "10 000 – 20 000", "20 000 – 40 000", "40 000 – 80 000", "≥ 80 000")
CLASS_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_ADVISOR_LABEL = "aucun conseiller implanté"
NO_ADVISOR_COLOUR = "#d95f02"
#: A territory whose only sites belong to the departmental pool: advisors work there, in
#: a number the release does not give. Never drawn as "no advisor".
POOL_ONLY_LABEL = "seulement des sites du groupe départemental (effectif non publié)"
POOL_ONLY_COLOUR = "#b2abd2"


def territory_stats(sites: pd.DataFrame, communes: pd.DataFrame, level: str) -> pd.DataFrame:
    """Communes, population, sites, located advisors and inhabitants per advisor by territory.

    Advisors of the departmental pool are not attributed to any territory (their split is
    not published); they are given in a separate last row.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: {sorted(LEVELS)}")
    code, name, label = LEVELS[level].code_column, LEVELS[level].name_column, LEVELS[level].label
    base = communes.groupby([code, name], as_index=False).agg(
        communes=("code", "count"), population=("population", "sum")
    )
    own = sites.loc[sites[s.POOL] == ""]
    site_counts = sites.groupby(code).size().rename("sites")
    pool_sites = sites.loc[sites[s.POOL] != ""].groupby(code).size().rename("sites_du_groupe")
    advisors = own.groupby(code)[s.ADVISORS].sum().astype(int).rename("conseillers")
    table = (
        base.merge(site_counts, left_on=code, right_index=True, how="left")
        .merge(pool_sites, left_on=code, right_index=True, how="left")
        .merge(advisors, left_on=code, right_index=True, how="left")
        .fillna({"sites": 0, "sites_du_groupe": 0, "conseillers": 0})
    )
    for column in ("sites", "sites_du_groupe", "conseillers", "communes", "population"):
        table[column] = table[column].astype(int)
    table["habitants_par_conseiller"] = np.where(
        table["conseillers"] > 0, table["population"] / table["conseillers"].clip(lower=1), np.nan
    ).round(0)
    table = (
        table.rename(columns={code: "code", name: "nom"}).sort_values("nom").reset_index(drop=True)
    )
    pool_total = s.count_advisors(sites).pool_total
    if pool_total:
        population = int(communes["population"].sum())
        row = {
            "code": "",
            "nom": POOL_ROW,
            "communes": len(communes),
            "population": population,
            "sites": int((sites[s.POOL] != "").sum()),
            "sites_du_groupe": int((sites[s.POOL] != "").sum()),
            "conseillers": pool_total,
            "habitants_par_conseiller": round(population / pool_total),
        }
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    table.attrs["level_label"] = label
    return table


def french_table(table: pd.DataFrame) -> pd.DataFrame:
    """Column names as shown and exported."""
    label = table.attrs.get("level_label", "Territoire")
    return table.rename(
        columns={
            "code": "Code",
            "nom": label,
            "communes": "Communes",
            "population": "Population",
            "sites": "Sites",
            "sites_du_groupe": "dont sites du groupe départemental",
            "conseillers": "Conseillers implantés",
            "habitants_par_conseiller": "Habitants par conseiller",
        }
    )


def ratio_class(value: float) -> tuple[str, str]:
    """(label, colour) of an inhabitants-per-advisor value; NaN means no advisor."""
    if value is None or np.isnan(value):
        return NO_ADVISOR_LABEL, NO_ADVISOR_COLOUR
    index = int(np.searchsorted(np.asarray(CLASS_BREAKS), value, side="right"))
    return CLASS_LABELS[index], CLASS_COLOURS[index]


def choropleth_frame(
    layer: gpd.GeoDataFrame, table: pd.DataFrame, code_column: str
) -> gpd.GeoDataFrame:
    """A display layer joined with its figures and class colour (pool row excluded)."""
    figures = table.loc[table["code"] != ""].set_index("code")
    frame = layer[[code_column, "geometry"]].join(figures, on=code_column)
    classes = frame["habitants_par_conseiller"].map(ratio_class)
    pool_only = frame["conseillers"].fillna(0).eq(0) & frame["sites_du_groupe"].fillna(0).gt(0)
    frame["classe"] = [
        POOL_ONLY_LABEL if only else c[0] for c, only in zip(classes, pool_only, strict=True)
    ]
    frame["couleur"] = [
        POOL_ONLY_COLOUR if only else c[1] for c, only in zip(classes, pool_only, strict=True)
    ]
    frame["etiquette"] = [
        f"{n} : {texts.fmt_int(p)} hab., {texts.plural_count(int(c), 'conseiller')} "
        f"{texts.plural(int(c), 'implanté', 'implantés')}"
        + (f", {texts.plural_count(int(g), 'site')} du groupe départemental" if g else "")
        + f" — {k}"
        for n, p, c, g, k in zip(
            frame["nom"],
            frame["population"],
            frame["conseillers"],
            frame["sites_du_groupe"].fillna(0),
            frame["classe"],
            strict=True,
        )
    ]
    return frame


def legend_items() -> list[tuple[str, str]]:
    """(label, colour) of every class of the choropleth, then the pool-only and the
    "no advisor" classes."""
    return [
        *zip(CLASS_LABELS, CLASS_COLOURS, strict=True),
        (POOL_ONLY_LABEL, POOL_ONLY_COLOUR),
        (NO_ADVISOR_LABEL, NO_ADVISOR_COLOUR),
    ]
