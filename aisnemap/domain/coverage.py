"""Straight-line coverage: distance from each commune to the nearest advisor site.

Distances are Euclidean in Lambert-93 (EPSG:2154), from each commune's representative
point (a point guaranteed inside the commune; the reference has no town-hall
coordinates, so a chef-lieu point is not available), to the nearest site shown. They are
straight-line distances, not travel times.

``python -m aisnemap.domain.coverage`` prints the figures for all sites.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from aisnemap import config
from aisnemap.domain.territory import CommunePoints
from aisnemap.french import formatting, texts
from aisnemap.french.formatting import fmt_int, fmt_km

#: Distance bands in km: [0, 5), [5, 10), [10, 15), [15, 20), [20, inf).
BAND_EDGES_KM = (5.0, 10.0, 15.0, 20.0)
BAND_LABELS = ("< 5 km", "5–10 km", "10–15 km", "15–20 km", "> 20 km")
DEFAULT_RADIUS_KM = 10.0
#: Colours of the bands, near (green) to far (red), ColorBrewer RdYlGn.
#: One light-to-dark sequence (viridis, reversed): read by colour-blind readers and in
#: grey on paper, near = light, far = dark.
BAND_COLOURS = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")


def metric_xy(frame: gpd.GeoDataFrame | gpd.GeoSeries, metric_crs: str) -> np.ndarray:
    """(n, 2) coordinates of point geometries in ``metric_crs`` (metres)."""
    if frame.crs is None:
        raise ValueError("frame must have a CRS")
    points = frame.to_crs(metric_crs)
    points = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    return (
        np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
        if len(points)
        else np.empty((0, 2))
    )


def nearest_distance_km(
    points_xy: np.ndarray, sites_xy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distance (km) from each point to its nearest site, and that site's index.

    With no site, every distance is infinite and the index is -1.
    """
    if len(sites_xy) == 0:
        return np.full(len(points_xy), np.inf), np.full(len(points_xy), -1)
    # Chunked so that the national scale (35k points) stays within memory.
    distances = np.empty(len(points_xy))
    nearest = np.empty(len(points_xy), dtype=int)
    for start in range(0, len(points_xy), 4096):
        chunk = points_xy[start : start + 4096]
        d2 = ((chunk[:, None, :] - sites_xy[None, :, :]) ** 2).sum(axis=2)
        idx = d2.argmin(axis=1)
        nearest[start : start + len(chunk)] = idx
        distances[start : start + len(chunk)] = np.sqrt(d2[np.arange(len(chunk)), idx]) / 1000
    return distances, nearest


def band_index(distances_km: np.ndarray) -> np.ndarray:
    """Band number (0..4) of each distance."""
    return np.searchsorted(np.asarray(BAND_EDGES_KM), distances_km, side="right")


def population_by_band(distances_km: np.ndarray, population: np.ndarray) -> pd.Series:
    """Population in each distance band (all five bands, zeros included)."""
    bands = band_index(distances_km)
    totals = np.bincount(bands, weights=population, minlength=len(BAND_LABELS))
    return pd.Series(totals.astype(int), index=list(BAND_LABELS), name="population")


@dataclass(frozen=True)
class Coverage:
    """Distances of every commune of a territory to the nearest site."""

    table: pd.DataFrame  # code, nom, population, distance_km, bande, site_le_plus_proche
    bands: pd.Series

    def population_within(self, radius_km: float = DEFAULT_RADIUS_KM) -> int:
        """Population living less than ``radius_km`` from a site (straight line).

        Strictly less, like the bands: a commune at exactly 10 km is in "10–15 km".
        """
        return int(self.table.loc[self.table["distance_km"] < radius_km, "population"].sum())

    def farthest(self, n: int = 1) -> pd.DataFrame:
        """The n communes farthest from any site."""
        return self.table.sort_values(["distance_km", "population"], ascending=[False, False]).head(
            n
        )


def compute_coverage(
    communes: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    points: CommunePoints,
    site_names: pd.Series | None = None,
    extra_xy: np.ndarray | None = None,
) -> Coverage:
    """Distances from each commune to the nearest site (plus optional candidate points),
    from the communes' representative ``points`` (in the département's projection)."""
    sites_xy = metric_xy(sites, points.crs)
    points = points.xy_of(communes["code"])
    names = list(site_names) if site_names is not None else [""] * len(sites_xy)
    if extra_xy is not None and len(extra_xy):
        sites_xy = np.vstack([sites_xy, extra_xy])
        names += ["site envisagé"] * len(extra_xy)
    distances, nearest = nearest_distance_km(points, sites_xy)
    population = communes["population"].to_numpy()
    table = pd.DataFrame(
        {
            "code": communes["code"].to_numpy(),
            "nom": communes["nom"].to_numpy(),
            "population": population,
            "distance_km": distances,
            "bande": [BAND_LABELS[b] for b in band_index(distances)],
            "site_le_plus_proche": [names[i] if i >= 0 else "" for i in nearest],
        }
    )
    return Coverage(table, population_by_band(distances, population))


def band_legend() -> list[tuple[str, str]]:
    """(label, colour) of each distance band."""
    return list(zip(BAND_LABELS, BAND_COLOURS, strict=True))


def distance_areas(communes: gpd.GeoDataFrame, result: Coverage) -> gpd.GeoDataFrame:
    """Communes with their band colour and a "name : distance" tooltip, for the map."""
    areas = communes[["code", "nom", "geometry"]].merge(
        result.table[["code", "distance_km", "bande"]], on="code"
    )
    areas["couleur"] = areas["bande"].map(dict(band_legend()))
    areas["etiquette"] = [
        f"{n} : {fmt_km(d)}" for n, d in zip(areas["nom"], areas["distance_km"], strict=True)
    ]
    return areas


def bands_table(result: Coverage, population: int) -> pd.DataFrame:
    """Population and share of each band."""
    table = result.bands.rename("Population").to_frame()
    table["Part"] = (table["Population"] / max(population, 1)).map(formatting.fmt_percent)
    return table


def compare_bands(before: Coverage, after: Coverage) -> pd.DataFrame:
    """Population of each band before and after candidate sites, and the difference."""
    table = pd.DataFrame({"Avant": before.bands, "Après": after.bands})
    table["Écart"] = table["Après"] - table["Avant"]
    return table


@dataclass(frozen=True)
class Suggestion:
    """One site suggested by the greedy planner and the population it newly covers."""

    code: str
    nom: str
    gain: int
    covered_after: int
    #: Newly covered "fragile population" (population × IFN / 10), whatever the objective.
    gain_fragile: float = 0.0


def greedy_sites(
    communes: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    n: int,
    points: CommunePoints,
    radius_km: float = DEFAULT_RADIUS_KM,
    candidates: gpd.GeoDataFrame | None = None,
    fragile: np.ndarray | None = None,
    objective: str = "population",
    extra_xy: np.ndarray | None = None,
) -> list[Suggestion]:
    """The n candidate communes that most increase the objective within ``radius_km``.

    Greedy maximum coverage: at each step, the candidate whose circle adds the most
    not-yet-covered weight. ``objective`` "population" weighs each commune by its
    population; "fragile" by ``fragile`` (population × IFN / 10, see
    :func:`aisnemap.fragility.fragile_weight`). Each suggestion reports its gain under
    both. Coverage never decreases; a step with no gain stops. ``extra_xy``: places
    already envisaged (the user's candidates, metric coordinates), counted as sites.
    """
    if objective not in ("population", "fragile"):
        raise ValueError("objective must be 'population' or 'fragile'")
    if n < 0:
        raise ValueError("n must be >= 0")
    candidates = communes if candidates is None else candidates
    within = points.within_km(candidates["code"], communes["code"], radius_km)
    sites_xy = metric_xy(sites, points.crs)
    if extra_xy is not None and len(extra_xy):
        sites_xy = np.vstack([sites_xy, extra_xy])
    points = points.xy_of(communes["code"])
    population = communes["population"].to_numpy().astype(np.int64)
    fragile_w = np.zeros(len(population)) if fragile is None else np.asarray(fragile, dtype=float)
    weights = fragile_w if objective == "fragile" else population.astype(float)
    current, _ = nearest_distance_km(points, sites_xy)
    covered = current < radius_km
    total = int(population[covered].sum())
    picks: list[Suggestion] = []
    for _ in range(n):
        gains = (within & ~covered[None, :]) @ weights
        best = int(gains.argmax())
        if gains[best] <= 0:
            break
        new = within[best] & ~covered
        covered |= within[best]
        gain = int(population[new].sum())
        total += gain
        picks.append(
            Suggestion(
                str(candidates["code"].iloc[best]),
                str(candidates["nom"].iloc[best]),
                gain,
                total,
                float(fragile_w[new].sum()),
            )
        )
    return picks


def suggestion_points(points: CommunePoints, suggestions: list[Suggestion]) -> list[list]:
    """[rank, label, lat, lon] of each suggestion, at its commune's representative point
    (the point the planner measured from), for the numbered markers of the map."""
    drawn = points.drawn
    out = []
    for rank, pick in enumerate(suggestions, start=1):
        point = drawn.loc[pick.code]
        label = texts.SUGGESTION_MARKER.format(rank=rank, name=pick.nom, gain=fmt_int(pick.gain))
        out.append([rank, label, round(float(point.y), 5), round(float(point.x), 5)])
    return out


def suggestions_table(suggestions: list[Suggestion]) -> pd.DataFrame:
    """The planner's picks, ranked, with their gain under both objectives."""
    return pd.DataFrame(
        [
            {
                "Rang": i + 1,
                "Commune": f"{p.nom} ({p.code})",
                "Habitants gagnés à moins de 10 km": p.gain,
                "Population fragile gagnée (habitants pondérés par leur fragilité)": round(
                    p.gain_fragile
                ),
                "Population couverte ensuite": p.covered_after,
            }
            for i, p in enumerate(suggestions)
        ]
    )


def bands_by_fragility(result: Coverage, ifn: pd.DataFrame) -> pd.DataFrame:
    """Population of each distance band (rows) by IFN class of the commune (columns)."""
    from aisnemap.domain import fragility

    joined = result.table[["code", "population", "bande"]].merge(
        ifn[["code", "total"]], on="code", how="left"
    )
    joined["classe"] = joined["total"].map(lambda v: fragility.ifn_class(v)[0])
    table = joined.pivot_table(
        index="bande", columns="classe", values="population", aggfunc="sum", fill_value=0
    )
    columns = [c for c in (*fragility.IFN_LABELS, fragility.UNKNOWN_LABEL) if c in table.columns]
    table = table.reindex(index=list(BAND_LABELS), columns=columns, fill_value=0).astype(int)
    table.columns = [f"IFN {c}" for c in columns]
    table.index.name = "Distance au site le plus proche"
    return table


def least_covered_fragile(
    result: Coverage, ifn: pd.DataFrame, threshold: float, n: int = 15
) -> pd.DataFrame:
    """The ``n`` fragile communes (IFN total ≥ threshold) farthest from any site."""
    joined = result.table.merge(ifn[["code", "total"]], on="code", how="left")
    fragile = joined.loc[joined["total"] >= threshold]
    return (
        fragile.sort_values(["distance_km", "population"], ascending=[False, False])
        .head(n)
        .assign(
            distance_km=lambda t: t["distance_km"].round(1), total=lambda t: t["total"].round(1)
        )
    )


def services_in(france_services: pd.DataFrame, codes: set[str] | None) -> pd.DataFrame:
    """The France Services of a territory (``codes``: its communes; None: all)."""
    if codes is None:
        return france_services
    return france_services.loc[france_services["code_insee"].isin(codes)]


def services_without_advisor(
    france_services: pd.DataFrame, sites: gpd.GeoDataFrame, radius_km: float, metric_crs: str
) -> pd.DataFrame:
    """France Services (with coordinates) whose nearest site shown is ``radius_km`` or more
    away, with that distance (straight line, in the département's projection). Sites
    anywhere in the département count (a neighbour serves across a territory's edge)."""
    table = france_services.dropna(subset=["latitude", "longitude"]).copy()
    if table.empty:
        return table.assign(distance_km=[])
    points = gpd.GeoSeries(
        gpd.points_from_xy(table["longitude"], table["latitude"]), crs=config.CRS_DRAW
    )
    xy = metric_xy(points, metric_crs)
    sites_xy = metric_xy(sites, metric_crs)
    distances, _ = nearest_distance_km(xy, sites_xy)
    table["distance_km"] = np.round(distances, 1)
    far = table.loc[table["distance_km"] >= radius_km]
    return far.sort_values("distance_km", ascending=False)


def main() -> int:
    """Print the coverage of the Aisne by all sites (data test helper and CLI)."""
    from aisnemap.domain import schema
    from aisnemap.domain.departements import announced_context
    from aisnemap.domain.territory import load_territory, locate_sites

    context = announced_context()
    territory = load_territory(context)
    validation = schema.read_structures(context.structures, territory.insee_codes)
    if not validation.ok:
        print("structures.csv invalide :", *map(str, validation.errors), sep="\n", file=sys.stderr)
        return 1
    sites, _ = locate_sites(validation.frame, territory.communes, territory.metric_crs)
    coverage = compute_coverage(territory.communes, sites, territory.points, sites["site"])
    total = int(territory.communes["population"].sum())
    within = coverage.population_within(DEFAULT_RADIUS_KM)
    print(f"population totale : {total}")
    print(f"population à moins de 10 km d'un site : {within} ({within / total:.1%})")
    for label, value in coverage.bands.items():
        print(f"  {label:>9} : {value}")
    far = coverage.farthest(1).iloc[0]
    print(
        f"commune la plus éloignée : {far['nom']} ({far['code']}) à {fmt_km(far['distance_km'])} "
        f"de « {far['site_le_plus_proche']} »"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
