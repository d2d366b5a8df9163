"""Spatial join of sites with communes on tiny hand-made geometries."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from aisnemap.domain import schema as s
from aisnemap.domain.territory import locate_sites


def _sites(rows: list[dict]) -> pd.DataFrame:
    base = {c: "" for c in s.COLUMNS}
    frame = pd.DataFrame([{**base, **r} for r in rows], columns=list(s.COLUMNS))
    frame[s.LAT] = pd.to_numeric(frame[s.LAT].replace("", None))
    frame[s.LON] = pd.to_numeric(frame[s.LON].replace("", None))
    frame[s.ITINERANT] = False
    frame["_ligne"] = range(2, len(frame) + 2)
    return frame


def test_site_with_coordinates_gets_its_commune_attributes(tiny_communes):
    centre = tiny_communes.geometry.iloc[1].centroid
    frame = _sites([{s.ID: "A", s.INSEE: "02002", s.LAT: centre.y, s.LON: centre.x}])
    sites, problems = locate_sites(frame, tiny_communes, metric_crs="EPSG:2154")
    assert problems == []
    row = sites.iloc[0]
    assert (row["commune"], row["epci_siren"], row["arrondissement_nom"]) == (
        "Bêta",
        "200000001",
        "Laon",
    )
    assert not row["place_au_centre"]
    assert sites.crs.to_epsg() == 4326


def test_site_without_coordinates_is_placed_inside_its_commune_and_flagged(tiny_communes):
    sites, problems = locate_sites(
        _sites([{s.ID: "B", s.INSEE: "02003"}]), tiny_communes, metric_crs="EPSG:2154"
    )
    assert problems == []
    assert sites.iloc[0]["place_au_centre"]
    assert tiny_communes.geometry.iloc[2].contains(sites.geometry.iloc[0])
    # Written by hand: the square 02003 spans x 742 000–743 000 and y 6 940 000–6 941 000
    # in Lambert-93, so its representative point is the square's centre.
    expected = gpd.GeoSeries([Point(742_500, 6_940_500)], crs="EPSG:2154").to_crs(4326).iloc[0]
    assert sites.geometry.iloc[0].equals_exact(expected, 1e-9)


def test_point_in_another_commune_is_an_error_not_a_fix(tiny_communes):
    centre = tiny_communes.geometry.iloc[0].centroid
    frame = _sites([{s.ID: "C", s.INSEE: "02003", s.LAT: centre.y, s.LON: centre.x}])
    sites, problems = locate_sites(frame, tiny_communes, metric_crs="EPSG:2154")
    assert [p.message for p in problems] == [
        "coordonnées situées dans la commune 02001, pas dans la commune déclarée 02003"
    ]
    assert sites.iloc[0]["code_insee"] == "02003"  # declared value kept, not rewritten


def test_point_outside_every_commune(tiny_communes):
    frame = _sites([{s.ID: "D", s.INSEE: "02001", s.LAT: 49.0, s.LON: 3.0}])
    _, problems = locate_sites(frame, tiny_communes, metric_crs="EPSG:2154")
    assert [p.message for p in problems] == ["coordonnées hors de toute commune du département"]


def test_unknown_code_is_reported(tiny_communes):
    _, problems = locate_sites(
        _sites([{s.ID: "E", s.INSEE: "02999"}]), tiny_communes, metric_crs="EPSG:2154"
    )
    assert [p.message for p in problems] == ["code INSEE « 02999 » inconnu"]


def test_communes_need_a_crs(tiny_communes):
    with pytest.raises(ValueError, match="CRS"):
        locate_sites(
            _sites([]), tiny_communes.set_crs(None, allow_override=True), metric_crs="EPSG:2154"
        )
