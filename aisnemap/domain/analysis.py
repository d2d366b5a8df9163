"""Per-territory figures (arrondissement, EPCI) for the "Territoires" page. No Streamlit."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from aisnemap.domain import fragility
from aisnemap.domain import schema as s
from aisnemap.domain.territory import ARRONDISSEMENT, EPCI
from aisnemap.french import formatting

#: Levels of the "Territoires" page (communes are too many for a table of territories).
LEVELS = {level.key: level for level in (ARRONDISSEMENT, EPCI)}
POOL_ROW = "Groupe départemental (tout le département)"
#: What the table counts: posts (announced, validated or attributed, by reading), and in
#: the follow-up's reading the advisors recruited.
POSTS_COLUMN = "Postes implantés"
RECRUITED = "conseillers_recrutes"
RECRUITED_LABEL = "Conseillers recrutés (sept. 2023)"
UNPLACED_ROW = "Sans lieu dans le département ({names})"

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


def territory_stats(
    sites: pd.DataFrame,
    communes: pd.DataFrame,
    level: str,
    unplaced: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Communes, population, sites, located advisors and inhabitants per advisor by territory.

    Advisors of the departmental pool are not attributed to any territory (their split is
    not published); they are given in a separate row. Posts of structures counted in the
    département with no place in it (``unplaced``, national reading) get a last row of
    their own, so the table adds up to the map's figure.
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
    recruitment = RECRUITED in sites
    if recruitment:
        # Recruitments per structure (SIRET), once, where its own sites are.
        recruited = (
            own.drop_duplicates(s.SIRET)
            .groupby(code)[RECRUITED]
            .sum()
            .astype(int)
            .rename(RECRUITED)
        )
        table = table.merge(recruited, left_on=code, right_index=True, how="left")
        table[RECRUITED] = table[RECRUITED].fillna(0).astype(int)
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
        if recruitment:
            pooled = sites.loc[sites[s.POOL] != ""].drop_duplicates(s.SIRET)
            row[RECRUITED] = int(pd.to_numeric(pooled[RECRUITED]).fillna(0).sum())
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    if unplaced is not None and len(unplaced):
        names = ", ".join(sorted(set(unplaced[s.OPERATOR].astype(str))))
        row = {
            "code": "",
            "nom": UNPLACED_ROW.format(names=names),
            "communes": np.nan,
            "population": np.nan,
            "sites": 0,
            "sites_du_groupe": 0,
            "conseillers": int(pd.to_numeric(unplaced[s.ADVISORS]).fillna(0).sum()),
            "habitants_par_conseiller": np.nan,
        }
        if recruitment and RECRUITED in unplaced:
            row[RECRUITED] = int(
                pd.to_numeric(unplaced.drop_duplicates(s.SIRET)[RECRUITED]).fillna(0).sum()
            )
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
        for column in ("communes", "population"):
            table[column] = table[column].astype("Int64")
    table.attrs["level_label"] = label
    return table


def add_fragility(
    table: pd.DataFrame,
    communes: pd.DataFrame,
    ifn: pd.DataFrame,
    level: str,
    threshold: float = fragility.DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """The territory table with, for each territory, the population-weighted mean IFN
    (total score) and the population (and its share) of its communes with an IFN at or
    above ``threshold``. The pool row (whole département, not a territory) is left blank.
    """
    code = LEVELS[level].code_column
    joined = communes[[code, "code", "population"]].merge(
        ifn[["code", "total"]], on="code", how="left"
    )
    rows = []
    for key, group in joined.groupby(code):
        rows.append(
            {
                "code": key,
                "ifn_moyen": fragility.weighted_mean(group["population"], group["total"]),
                "population_fragile": fragility.fragile_population(
                    group["population"], group["total"], threshold
                ),
            }
        )
    figures = pd.DataFrame(rows)
    out = table.merge(figures, on="code", how="left")
    out["ifn_moyen"] = out["ifn_moyen"].astype(float).round(2)
    out["part_fragile"] = (out["population_fragile"] / out["population"] * 100).round(1)
    out.loc[out["code"] == "", ["ifn_moyen", "population_fragile", "part_fragile"]] = np.nan
    out.attrs.update(table.attrs, threshold=threshold)
    return out


def french_table(table: pd.DataFrame) -> pd.DataFrame:
    """Column names as shown and exported."""
    label = table.attrs.get("level_label", "Territoire")
    threshold = f"{table.attrs.get('threshold', fragility.DEFAULT_THRESHOLD):g}".replace(".", ",")
    return table.rename(
        columns={
            "code": "Code",
            "nom": label,
            "communes": "Communes",
            "population": "Population",
            "sites": "Sites",
            "sites_du_groupe": "dont sites du groupe départemental",
            "conseillers": POSTS_COLUMN,
            RECRUITED: RECRUITED_LABEL,
            "habitants_par_conseiller": "Habitants par poste",
            "ifn_moyen": "Fragilité : IFN moyen pondéré par la population (0 à 10)",
            "population_fragile": f"Fragilité : population des communes d'IFN ≥ {threshold}",
            "part_fragile": f"Fragilité : part de la population en communes d'IFN ≥ {threshold} (%)",
        }
    )


#: What the Territoires choropleth can show.
COLOUR_BY = {
    "habitants_par_conseiller": "Habitants par poste",
    "ifn_moyen": "Fragilité : IFN moyen pondéré",
    "part_fragile": "Fragilité : part de la population en communes fragiles",
}
SHARE_BREAKS = (20.0, 40.0, 60.0, 80.0)
SHARE_LABELS = ("< 20 %", "20 à 40 %", "40 à 60 %", "60 à 80 %", "≥ 80 %")


def fragility_class(column: str, value: float | None) -> tuple[str, str]:
    """(label, colour) of a fragility figure of a territory (IFN classes or shares)."""
    if column == "ifn_moyen":
        return fragility.ifn_class(value)
    if value is None or pd.isna(value):
        return fragility.UNKNOWN_LABEL, fragility.UNKNOWN_COLOUR
    index = int(np.searchsorted(np.asarray(SHARE_BREAKS), float(value), side="right"))
    return SHARE_LABELS[index], fragility.IFN_COLOURS[index]


def fragility_legend(column: str) -> list[tuple[str, str]]:
    """(label, colour) of the classes of a fragility choropleth."""
    if column == "ifn_moyen":
        return fragility.legend_items()
    return [
        *zip(SHARE_LABELS, fragility.IFN_COLOURS, strict=True),
        (fragility.UNKNOWN_LABEL, fragility.UNKNOWN_COLOUR),
    ]


def ratio_class(value: float) -> tuple[str, str]:
    """(label, colour) of an inhabitants-per-advisor value; NaN means no advisor."""
    if value is None or np.isnan(value):
        return NO_ADVISOR_LABEL, NO_ADVISOR_COLOUR
    index = int(np.searchsorted(np.asarray(CLASS_BREAKS), value, side="right"))
    return CLASS_LABELS[index], CLASS_COLOURS[index]


def choropleth_frame(
    layer: gpd.GeoDataFrame,
    table: pd.DataFrame,
    code_column: str,
    colour_by: str = "habitants_par_conseiller",
) -> gpd.GeoDataFrame:
    """A display layer joined with its figures and class colour (pool row excluded)."""
    figures = table.loc[table["code"] != ""].set_index("code")
    frame = layer[[code_column, "geometry"]].join(figures, on=code_column)
    if colour_by != "habitants_par_conseiller":
        classes = frame[colour_by].map(lambda v: fragility_class(colour_by, v))
        frame["classe"] = [c[0] for c in classes]
        frame["couleur"] = [c[1] for c in classes]
        frame["etiquette"] = [
            f"{n} : IFN moyen pondéré {fragility.fmt_score(i)} ; "
            f"{formatting.fmt_int(p)} habitants en communes fragiles ({formatting.fmt_decimal(q)} %)"
            for n, i, p, q in zip(
                frame["nom"],
                frame["ifn_moyen"],
                frame["population_fragile"].fillna(0),
                frame["part_fragile"].fillna(0),
                strict=True,
            )
        ]
        return frame
    classes = frame["habitants_par_conseiller"].map(ratio_class)
    pool_only = frame["conseillers"].fillna(0).eq(0) & frame["sites_du_groupe"].fillna(0).gt(0)
    frame["classe"] = [
        POOL_ONLY_LABEL if only else c[0] for c, only in zip(classes, pool_only, strict=True)
    ]
    frame["couleur"] = [
        POOL_ONLY_COLOUR if only else c[1] for c, only in zip(classes, pool_only, strict=True)
    ]
    frame["etiquette"] = [
        f"{n} : {formatting.fmt_int(p)} hab., {formatting.plural_count(int(c), 'conseiller')} "
        f"{formatting.plural(int(c), 'implanté', 'implantés')}"
        + (f", {formatting.plural_count(int(g), 'site')} du groupe départemental" if g else "")
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
