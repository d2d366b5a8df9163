"""Which place names a map shows, the same rule on screen and on paper.

The reference data name the préfecture and the sous-préfectures (Etalab ``chefLieu`` of the
département and of each arrondissement); they give no seat for the EPCI and their
``rangChefLieu`` is 0 for every commune, so the EPCI's main town is taken as its most
populous commune. Ranks, shown from the widest view down:

1. the préfecture and the sous-préfectures, always;
2. the most populous commune of each EPCI, and every commune with a site shown;
3. in a territory view (arrondissement, EPCI, commune): its largest communes.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from aisnemap.domain import schema as s
from aisnemap.domain.territory import CommunePoints

RANK_SEAT = 1
RANK_TOWN = 2
RANK_LOCAL = 3
#: How many of a territory's largest communes get a name in a territory view.
LOCAL_TOWNS = 15


def place_names(
    communes: gpd.GeoDataFrame,
    points: CommunePoints,
    sites: pd.DataFrame | None = None,
    territory_codes: set[str] | None = None,
    local_towns: int = LOCAL_TOWNS,
) -> pd.DataFrame:
    """Names to draw: code, nom, rang (1–3), population, lon, lat (a point inside each
    commune), most important first; ``territory_codes`` are the communes of a territory view.
    """
    frame = communes[["code", "nom", "population", "epci_siren", "geometry"]].copy()
    seats = communes.get("chef_lieu", pd.Series("", index=communes.index)).fillna("")
    rank = pd.Series(0, index=frame.index)
    poles = frame.sort_values("population", ascending=False).drop_duplicates("epci_siren").index
    rank.loc[poles] = RANK_TOWN
    if sites is not None and len(sites):
        rank.loc[frame["code"].isin(set(sites[s.INSEE]))] = RANK_TOWN
    if territory_codes:
        local = frame.loc[frame["code"].isin(territory_codes)]
        largest = local.sort_values("population", ascending=False).head(local_towns).index
        rank.loc[largest.difference(rank.index[rank > 0])] = RANK_LOCAL
    rank.loc[seats != ""] = RANK_SEAT
    chosen = frame.loc[rank > 0].copy()
    chosen["rang"] = rank.loc[chosen.index]
    drawn = points.drawn.loc[chosen["code"]]
    chosen["lon"], chosen["lat"] = drawn.x.to_numpy(), drawn.y.to_numpy()
    out = chosen.drop(columns=["geometry", "epci_siren"])
    return out.sort_values(["rang", "population"], ascending=[True, False]).reset_index(drop=True)
