"""The département context and the facts behind it, on hand-made cases whose expected
values are written by hand (never computed with the code under test)."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import Point, box

from aisnemap.build import pipeline as build
from aisnemap.domain import coverage
from aisnemap.domain import schema as s
from aisnemap.domain.departements import (
    Department,
    context_for,
    files_for,
    name_slug,
)
from aisnemap.domain.territory import CommunePoints
from aisnemap.render import export
from tests.support.departements import AISNE

REUNION = Department("974", "La Réunion", 3)
NORD = Department("59", "Nord", 2)


def test_the_aisne_is_the_departement_with_an_announcement(tmp_path):
    aisne, nord = context_for(AISNE, tmp_path), context_for(NORD, tmp_path)
    assert aisne.announcement.date == dt.date(2021, 3, 18)
    assert aisne.announcement.advisors == 32  # the press release's title
    assert aisne.folder == tmp_path and aisne.files.exact.communes == "communes_aisne.geojson"
    assert aisne.readings == ("annonce", "liste")
    assert nord.announcement is None and nord.structures is None
    assert nord.folder == tmp_path / "departements" / "59"
    assert nord.files.posts == "postes_59.csv" and nord.readings == ("liste",)
    assert (aisne.id_prefix, nord.id_prefix, context_for(REUNION).id_prefix) == (
        "aisne",
        "nord",
        "la-reunion",
    )


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Côtes-d'Armor", "cotes-d-armor"), ("Corse-du-Sud", "corse-du-sud"), ("Aisne", "aisne")],
)
def test_names_are_slugged_as_the_ign_folders(name, slug):
    assert name_slug(name) == slug


def test_the_contours_of_a_departement_are_found_by_its_name():
    assert build.contours_location(
        "https://miroir.example/", Department("22", "Côtes-d'Armor")
    ) == ("ign-admin-express-2018/departements/22-cotes-d-armor/communes-22-cotes-d-armor.geojson")


def test_la_reunion_is_measured_in_its_own_projection():
    """Saint-Denis to Saint-Pierre: the geodesic distance (pyproj.Geod, WGS84 ellipsoid) is
    the truth; in Lambert-93, 50° east of its zone, a distance would be off by far more
    than 0,5 %."""
    saint_denis, saint_pierre = (55.4481, -20.8789), (55.4781, -21.3393)
    _, _, metres = Geod(ellps="WGS84").inv(*saint_denis, *saint_pierre)
    communes = gpd.GeoDataFrame(
        {"code": ["97411", "97416"], "nom": ["Saint-Denis", "Saint-Pierre"], "population": [1, 1]},
        geometry=[
            box(x - 0.001, y - 0.001, x + 0.001, y + 0.001) for x, y in (saint_denis, saint_pierre)
        ],
        crs="EPSG:4326",
    )
    points = CommunePoints.of(communes, context_for(REUNION).metric_crs)
    site = gpd.GeoDataFrame(geometry=[Point(*saint_denis)], crs="EPSG:4326")
    result = coverage.compute_coverage(communes, site, points)
    assert result.table["distance_km"].iloc[1] == pytest.approx(metres / 1000, rel=0.005)


def test_a_homonym_is_repaired_only_when_its_name_and_postcode_are_unique():
    """Two communes of one département with the same name and postcode: no repair can
    choose between them, so neither is indexed."""
    twins = [
        {"code": c, "nom": "Bouy", "departement": "51", "type": "commune-actuelle"}
        | {"codesPostaux": ["51400"]}
        for c in ("51074", "51075")
    ]
    alone = {"code": "51076", "nom": "Cuperly", "departement": "51", "type": "commune-actuelle"}
    index = build.homonym_index([*twins, alone | {"codesPostaux": ["51400"]}], "51")
    assert index == {("cuperly", "51400"): "51076"}


def test_a_commune_at_exactly_the_threshold_is_fragile():
    """« IFN of 6 or more »: a commune scored 6,0 is among the fragile ones."""
    table = pd.DataFrame(
        {
            "code": ["1", "2", "3"],
            "nom": ["Six", "Moins", "Sept"],
            "population": [10, 20, 30],
            "distance_km": [12.0, 15.0, 3.0],
        }
    )
    result = coverage.Coverage(table, pd.Series(dtype=int))
    ifn = pd.DataFrame({"code": ["1", "2", "3"], "total": [6.0, 5.99, 7.0]})
    assert coverage.least_covered_fragile(result, ifn, 6.0)["nom"].tolist() == ["Six", "Sept"]


def test_a_site_at_its_communes_centre_gets_no_coordinates_in_the_national_standard():
    """The standard's latitude and longitude are a place's own: a site placed at its
    commune's representative point exports none."""
    base = {c: "" for c in s.COLUMNS}
    rows = [
        base | {s.ID: "A", s.SITE: "Placé", s.PRECISION: s.PRECISION_ADDRESS},
        base | {s.ID: "B", s.SITE: "Au centre", s.PRECISION: s.PRECISION_COMMUNE},
    ]
    for row in rows:
        row |= {s.SIRET: "12345678900011", s.ADDRESS: "1 rue Haute, 02000 Laon", s.INSEE: "02408"}
    sites = gpd.GeoDataFrame(
        pd.DataFrame(rows).assign(commune="Laon"),
        geometry=[Point(3.6245, 49.5641), Point(3.62, 49.56)],
        crs="EPSG:4326",
    )
    table, skipped = export.mediation_table(sites, dt.date(2026, 12, 1), "aisne", "essai")
    assert skipped == []
    assert table.set_index("id").loc["aisne-A", ["latitude", "longitude"]].tolist() == [
        49.5641,
        3.6245,
    ]
    assert table.set_index("id").loc["aisne-B", ["latitude", "longitude"]].tolist() == ["", ""]


def test_ids_of_a_structure_listed_twice_stay_unique():
    from aisnemap.domain.programme import unique_ids

    ids = pd.Series(["N1", "N2", "N1", "N1"])
    assert unique_ids(ids).tolist() == ["N1", "N2", "N1-2", "N1-3"]


def test_files_are_named_once_for_every_layer():
    names = files_for("2A")
    assert names.layers == (
        "communes_2a.geojson",
        "epci_2a.geojson",
        "arrondissements_2a.geojson",
        "departement_2a.geojson",
        "communes_2a_affichage.geojson",
        "epci_2a_affichage.geojson",
        "arrondissements_2a_affichage.geojson",
        "departement_2a_affichage.geojson",
    )
    assert np.all([n.endswith(".geojson") for n in names.layers])
