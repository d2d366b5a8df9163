"""Digital fragility (IFN, La Mednum) and the France Services of a département. No Streamlit.

The Indice de fragilité numérique gives each commune five **scores from 0 to 10** (not
rates, whatever the file's column names say) and their plain mean, ``total``. The build
keeps the département's rows, checked against the COG (a missing commune or a score out
of range is reported in French and read as "non renseigné", never invented).

Population-weighted figures: a territory's mean IFN is Σ(population × score) / Σ
population over its communes with a score; its fragile population is the population of
its communes whose score is at or above a threshold (6 by default).

``python -m aisnemap.domain.fragility`` prints the département's weighted mean and fragile
population from the built files (a data test checks the same figures).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from aisnemap import config
from aisnemap.domain.departements import metric_crs
from aisnemap.french.formatting import fmt_decimal, fmt_km

IFN_COMMUNES_FILE = "ifn-communes.csv"
#: The current list of France Services (ANCT, August 2024), and the earlier one kept as a
#: dated reading (December 2022).
FRANCE_SERVICES_FILE = "france-services-2024-08-01.csv"
FRANCE_SERVICES_DATE = dt.date(2024, 8, 1)
FRANCE_SERVICES_2022_FILE = "france-services-2022-12-01.csv"
FRANCE_SERVICES_2022_DATE = dt.date(2022, 12, 1)
#: Score columns of the IFN files and how they are named on screen.
SCORES = {
    "total": "Indice total",
    "no_thd_coverage_rate": "Absence de très haut débit",
    "no_4g_coverage_rate": "Absence de 4G",
    "poverty_rate": "Pauvreté",
    "older_65_rate": "Part des plus de 65 ans",
    "nscol15p_rate": "Sans diplôme (15 ans et plus)",
}
SCORE_MIN, SCORE_MAX = 0.0, 10.0
DEFAULT_THRESHOLD = 6.0
#: Thresholds offered to the user (half points from 0 to 10).
THRESHOLDS = tuple(x / 2 for x in range(21))
CODE = "code"


@dataclass
class IfnRead:
    """The département's IFN scores by commune code and what the build says of them."""

    scores: pd.DataFrame
    report: list[str] = field(default_factory=list)


def read_ifn(
    raw: bytes | str,
    codes: Iterable[str],
    districts: dict[str, list[tuple[str, int]]] | None = None,
) -> IfnRead:
    """Scores of the communes ``codes`` (COG) from an IFN file (one row per commune).

    A commune of ``codes`` absent from the file, or a score outside 0–10 or not a number,
    gives a French report line and a missing value ("non renseigné"); rows of other
    départements are ignored. The file scores the municipal arrondissements of Paris,
    Lyon and Marseille, not the cities: ``districts`` (city code → [(arrondissement code,
    population)]) gives each such city the population-weighted mean of its
    arrondissements' scores, and the report says so.
    """
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing_columns = [c for c in (CODE, *SCORES) if c not in table.columns]
    if missing_columns:
        raise ValueError(
            "fichier IFN : colonne(s) absente(s) : " + ", ".join(sorted(missing_columns))
        )
    wanted = list(dict.fromkeys(str(c) for c in codes))
    table[CODE] = table[CODE].str.strip().str.zfill(5)
    report: list[str] = []
    cities = {city: parts for city, parts in (districts or {}).items() if city in wanted}
    if cities:
        table = pd.concat([table, _city_rows(table, cities, report)], ignore_index=True)
    table = table.loc[table[CODE].isin(wanted)].drop_duplicates(CODE)
    out = pd.DataFrame({CODE: wanted})
    out = out.merge(table[[CODE, *SCORES]], on=CODE, how="left")
    absent = out.loc[out["total"].isna(), CODE].tolist()
    if absent:
        shown = ", ".join(absent[:10]) + (" …" if len(absent) > 10 else "")
        report.append(
            f"IFN : {len(absent)} commune(s) absente(s) du fichier ({shown}) : "
            "« non renseigné » sur la carte"
        )
    for column in SCORES:
        values = pd.to_numeric(out[column].replace("", np.nan), errors="coerce")
        bad = out[column].notna() & (out[column] != "") & values.isna()
        bad |= values.notna() & ((values < SCORE_MIN) | (values > SCORE_MAX))
        for code, value in zip(out.loc[bad, CODE], out.loc[bad, column], strict=True):
            report.append(
                f"IFN : commune {code}, score « {SCORES[column]} » = « {value} » hors de "
                "0–10 : « non renseigné »"
            )
        out[column] = values.where(~bad)
    return IfnRead(out, report)


def _city_rows(
    table: pd.DataFrame, cities: dict[str, list[tuple[str, int]]], report: list[str]
) -> pd.DataFrame:
    """One row per city, each score the population-weighted mean of its arrondissements'
    (only cities the file does not score itself)."""
    scored = set(table[CODE])
    rows = []
    for city, parts in sorted(cities.items()):
        if city in scored:
            continue
        found = table.loc[table[CODE].isin([code for code, _ in parts])].drop_duplicates(CODE)
        weights = found[CODE].map(dict(parts)).astype(float)
        if found.empty or weights.sum() <= 0:
            continue
        row = {CODE: city}
        for column in SCORES:
            values = pd.to_numeric(found[column].replace("", np.nan), errors="coerce")
            known = values.notna()
            row[column] = (
                str((values[known] * weights[known]).sum() / weights[known].sum())
                if known.any()
                else ""
            )
        rows.append(row)
        report.append(
            f"IFN : commune {city} scorée par ses {len(found)} arrondissements municipaux "
            "(moyenne pondérée par la population), le fichier ne la score pas elle-même"
        )
    return pd.DataFrame(rows, columns=[CODE, *SCORES])


def districts_of(reference_communes: list[dict]) -> dict[str, list[tuple[str, int]]]:
    """City code → its municipal arrondissements (code, population), from the Etalab
    reference (Paris, Lyon, Marseille)."""
    out: dict[str, list[tuple[str, int]]] = {}
    for commune in reference_communes:
        if commune.get("type") == "arrondissement-municipal" and commune.get("commune"):
            out.setdefault(commune["commune"], []).append(
                (commune["code"], int(commune.get("population") or 0))
            )
    return out


def weighted_mean(population: pd.Series, scores: pd.Series) -> float | None:
    """Σ(population × score) / Σ population over the rows with a score; None if none."""
    known = scores.notna() & population.notna()
    total = float(population[known].sum())
    if total <= 0:
        return None
    return float((population[known] * scores[known]).sum() / total)


def fragile_population(
    population: pd.Series, scores: pd.Series, threshold: float = DEFAULT_THRESHOLD
) -> int:
    """Population of the rows whose score is at or above ``threshold`` (unknown: not)."""
    return int(population[scores.fillna(-1) >= threshold].sum())


def fragile_weight(population: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """What the planner's "fragile population" objective counts for each commune:
    population × IFN / 10 (a commune without score counts 0)."""
    scores = np.nan_to_num(np.asarray(scores, dtype=float), nan=0.0)
    return np.asarray(population, dtype=float) * scores / SCORE_MAX


def main() -> int:
    """Print the département's population-weighted IFN from the built files."""
    from aisnemap.domain.departements import served_context
    from aisnemap.domain.territory import load_territory

    context = served_context()
    territory = load_territory(context)
    path = context.folder / context.files.ifn
    if not path.is_file():
        print(f"fichier IFN absent : {path} (lancez le build)", file=sys.stderr)
        return 1
    scores = pd.read_csv(path, dtype={CODE: str})
    frame = territory.communes[[CODE, "population"]].merge(scores, on=CODE, how="left")
    mean = weighted_mean(frame["population"], frame["total"])
    fragile = fragile_population(frame["population"], frame["total"])
    print(f"communes avec un score : {int(frame['total'].notna().sum())} / {len(frame)}")
    print(f"IFN moyen pondéré par la population : {fmt_decimal(mean, 3)}")
    print(
        f"population des communes d'IFN ≥ {DEFAULT_THRESHOLD:g} : {fragile} "
        f"sur {int(frame['population'].sum())}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())


@dataclass
class FranceServicesRead:
    """The département's France Services and what the build says of them."""

    table: pd.DataFrame
    report: list[str] = field(default_factory=list)


#: Columns kept from the ANCT list, and their names here.
FS_COLUMNS = {
    "id_fs": "id",
    "lib_fs": "nom",
    "adresse": "adresse",
    "code_postal": "code_postal",
    "insee_com": "code_insee",
    "lib_com": "commune",
    "latitude": "latitude",
    "longitude": "longitude",
    "format_fs": "format",
}
#: Columns one edition of the list has and the other not (kept when present).
FS_OPTIONAL = {
    "itinerance": "itinerance",
    "labellisation": "labellisation",
    "labellisation_fs": "labellisation",
    "type_fs": "type",
    "complement_adresse": "complement_adresse",
    "telephone": "telephone",
    "mail": "courriel",
    "prise_rdv": "prise_rdv",
    "h_lundi": "h_lundi",
    "h_mardi": "h_mardi",
    "h_mercredi": "h_mercredi",
    "h_jeudi": "h_jeudi",
    "h_vendredi": "h_vendredi",
    "h_samedi": "h_samedi",
}
#: Formats of the 2024 list that travel (a bus, an itinerant service).
ITINERANT_FORMATS = ("itinérante", "bus_équivalent")


def read_france_services(
    raw: bytes | str, department: str, communes, mapping: dict[str, str] | None = None
) -> FranceServicesRead:
    """The France Services of ``department`` from the ANCT list (2022 or 2024 edition),
    each checked against the commune it names (``communes``: GeoDataFrame with ``code``
    and exact geometry; ``mapping``: any code of the département → its current commune,
    so a France Services of a municipal arrondissement counts for its city).

    A row whose commune is unknown, whose coordinates are missing or fall outside its
    commune (more than 1 km away) is kept, reported in French and marked
    ``place_verifiee`` False; it is never moved.
    """
    import geopandas as gpd

    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in ("insee_dep", *FS_COLUMNS) if c not in table.columns]
    if missing:
        raise ValueError("liste France Services : colonne(s) absente(s) : " + ", ".join(missing))
    table = table.loc[table["insee_dep"].str.strip().str.zfill(2) == department]
    optional = {k: v for k, v in FS_OPTIONAL.items() if k in table.columns}
    table = table[[*FS_COLUMNS, *optional]].rename(columns={**FS_COLUMNS, **optional})
    table = table.reset_index(drop=True)
    for column in dict.fromkeys(FS_OPTIONAL.values()):
        if column not in table:
            table[column] = ""
    table["code_insee"] = table["code_insee"].str.strip().str.zfill(5)
    if mapping:
        table["code_insee"] = table["code_insee"].map(lambda c: mapping.get(c, c))
    travels = table["format"].str.strip().str.casefold().isin(ITINERANT_FORMATS)
    table["itinerant"] = table["itinerance"].str.strip().str.casefold().eq("oui") | travels
    lat = pd.to_numeric(table["latitude"], errors="coerce")
    lon = pd.to_numeric(table["longitude"], errors="coerce")
    report: list[str] = []
    crs = metric_crs(department)
    shapes = communes.set_index("code").to_crs(crs).geometry
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=config.CRS_DRAW).to_crs(crs)
    verified = []
    for i, row in table.iterrows():
        code = row["code_insee"]
        if code not in shapes.index:
            report.append(
                f"France Services {row['id']} « {row['nom']} » : commune {code} inconnue "
                "dans le département (COG) ; gardée, lieu non vérifié"
            )
            verified.append(False)
            continue
        if pd.isna(lat[i]) or pd.isna(lon[i]):
            report.append(
                f"France Services {row['id']} « {row['nom']} » : coordonnées absentes ; "
                "placée au centre de sa commune"
            )
            verified.append(False)
            continue
        distance = float(shapes[code].distance(points[i]))
        if distance > 1000:
            report.append(
                f"France Services {row['id']} « {row['nom']} » : coordonnées à "
                f"{fmt_km(distance / 1000)} hors de sa commune {code} ; gardées, lieu non vérifié"
            )
            verified.append(False)
        else:
            verified.append(True)
    table["latitude"], table["longitude"] = lat, lon
    table["place_verifiee"] = verified
    return FranceServicesRead(table, report)


#: Classes of an IFN score on the map (upper bounds), colour-blind-safe sequential
#: colours (ColorBrewer OrRd), and the colour of a commune without score.
IFN_BREAKS = (2.0, 4.0, 6.0, 8.0)
IFN_LABELS = ("0 à 2", "2 à 4", "4 à 6", "6 à 8", "8 à 10")
IFN_COLOURS = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
UNKNOWN_LABEL = "non renseigné"
UNKNOWN_COLOUR = "#d9d9d9"


def ifn_class(score: float | None) -> tuple[str, str]:
    """(label, colour) of a score on the map; a missing score is "non renseigné"."""
    if score is None or pd.isna(score):
        return UNKNOWN_LABEL, UNKNOWN_COLOUR
    index = int(np.searchsorted(np.asarray(IFN_BREAKS), float(score), side="right"))
    return IFN_LABELS[index], IFN_COLOURS[index]


def fmt_score(value: float | None) -> str:
    """ "5,2" (one decimal, French), "non renseigné" when missing."""
    if value is None or pd.isna(value):
        return UNKNOWN_LABEL
    return fmt_decimal(float(value), 1)


def commune_tooltip(name: str, row: pd.Series) -> str:
    """The commune's name and its six scores, as the map's tooltip says them."""
    scores = " ; ".join(f"{label.lower()} {fmt_score(row.get(c))}" for c, label in SCORES.items())
    return f"{name} — IFN, scores de 0 à 10 : {scores}"


def fragility_frame(display_communes, ifn: pd.DataFrame, column: str):
    """Display communes with the chosen score's class colour and a tooltip giving all
    scores (``column``: one of :data:`SCORES`)."""
    if column not in SCORES:
        raise ValueError(f"score inconnu : {column}")
    frame = display_communes[["code", "nom", "geometry"]].merge(ifn, on="code", how="left")
    classes = frame[column].map(ifn_class)
    frame["couleur"] = [c[1] for c in classes]
    frame["etiquette"] = [
        commune_tooltip(n, r) for n, (_, r) in zip(frame["nom"], frame.iterrows(), strict=True)
    ]
    return frame


def legend_items() -> list[tuple[str, str]]:
    """(label, colour) of the map's classes, "non renseigné" last."""
    return [*zip(IFN_LABELS, IFN_COLOURS, strict=True), (UNKNOWN_LABEL, UNKNOWN_COLOUR)]
