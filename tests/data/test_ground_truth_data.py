"""What is true on the ground (issue 21), each figure recomputed from the source files
of ../shared/sources/programme with pandas and GeoPandas directly, never with the code
that shows it."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from aisnemap import config
from aisnemap.build.sources import read_json
from aisnemap.domain import programme
from aisnemap.domain.departements import context_of_code
from aisnemap.domain.territory import load_territory

PROGRAMME = config.PROGRAMME_DIR
REFERENCE = config.SOURCES_DIR / "etalab-decoupage-administratif-2021" / "communes.json"


def _nord_list() -> pd.DataFrame:
    raw = pd.read_csv(PROGRAMME / "cnfs-structures-2023-04-05.csv", sep=";", dtype=str)
    nord = raw.loc[raw["Code département"] == "59"].copy()
    nord["siret"] = nord["SIRET"].str.replace(" ", "")
    return nord


def test_nord_structures_are_drawn_at_their_geocoded_address(built_departements, built_data_dir):
    """A structure of the list whose SIRET is geocoded in June 2021 with a BAN score of 0,5
    or more, at a point inside (or within 100 m of) its own commune, is drawn there."""
    nord = _nord_list()
    geocoded = pd.DataFrame(
        json.loads((PROGRAMME / "cnfs-structures-2021-06-25-geocodees.json").read_text())
    )
    geocoded = geocoded.dropna(subset=["latitude", "longitude"])
    geocoded = geocoded.sort_values("result_score", ascending=False).drop_duplicates("siret")
    joined = nord.merge(geocoded, on="siret", how="inner")
    joined = joined.loc[joined["result_score"] >= 0.5]
    points = gpd.GeoDataFrame(
        joined,
        geometry=gpd.points_from_xy(joined["longitude"], joined["latitude"]),
        crs="EPSG:4326",
    ).to_crs(2154)
    context = context_of_code("59", built_data_dir)
    communes = load_territory(context).communes.to_crs(2154).set_index("code")
    own = communes.geometry.reindex(points["Code commune INSEE"].str.zfill(5))
    inside = [
        c is not None and not pd.isna(c) and p.distance(c) <= 100
        for p, c in zip(points.geometry, own, strict=True)
    ]
    expected = set(points.loc[inside, "siret"])
    assert len(expected) >= 50

    posts = programme.load_posts(context.folder / context.files.posts)
    drawn = set(posts.loc[posts[programme.P_LAT].notna(), programme.P_SIRET])
    assert drawn == expected
    # The others stay at their commune's point, and the report names each.
    report = (context.folder / config.REPORT_FILE).read_text(encoding="utf-8")
    assert f"{len(expected)} structure(s) (SIRET distincts) sur" in report


def test_no_site_of_the_nord_is_named_in_capitals(built_departements, built_data_dir):
    context = context_of_code("59", built_data_dir)
    territory = load_territory(context)
    posts = programme.load_posts(context.folder / context.files.posts)
    from aisnemap.domain import schema

    reading = programme.national_reading(
        posts, schema.empty_frame(), territory.communes, territory.metric_crs
    )
    names = reading.sites["site"].tolist()
    assert names and not [n for n in names if n == n.upper()]
    # The source's spelling is kept beside the display name (for exports).
    assert set(reading.sites[programme.S_STRUCTURE]) <= set(posts[programme.P_NAME])


def test_paris_and_the_rhone_get_an_ifn_from_the_arrondissements(built_data_dir):
    """The file scores Paris's 20 arrondissements, not Paris: the France table weighs
    them by their population (Etalab), and the Rhône counts Lyon the same way."""
    from aisnemap.domain import france

    ifn = pd.read_csv(PROGRAMME / "ifn-communes.csv", dtype={"code": str})
    ifn["code"] = ifn["code"].str.zfill(5)
    reference = pd.DataFrame(read_json(REFERENCE))
    arrondissements = reference.loc[reference["type"] == "arrondissement-municipal"]
    scored = arrondissements.merge(ifn[["code", "total"]], on="code")

    def city(code: str) -> float:
        part = scored.loc[scored["commune"] == code]
        return (part["population"] * part["total"]).sum() / part["population"].sum()

    paris = city("75056")
    table = france.load_table().table.set_index("code")
    assert table.loc["75", "ifn_moyen"] == pytest.approx(paris, abs=1e-3)

    communes = reference.loc[
        (reference["type"] == "commune-actuelle") & (reference["departement"] == "69")
    ]
    rhone = communes.merge(ifn[["code", "total"]], on="code", how="left")
    rhone.loc[rhone["code"] == "69123", "total"] = city("69123")
    known = rhone["total"].notna()
    expected = (rhone.loc[known, "population"] * rhone.loc[known, "total"]).sum() / rhone.loc[
        known, "population"
    ].sum()
    assert table.loc["69", "ifn_moyen"] == pytest.approx(expected, abs=1e-3)


def test_activity_and_recruitment_of_every_departement(built_data_dir):
    """101 départements with declared activity; the national sums of the source files."""
    from aisnemap.domain import france

    activity = json.loads((PROGRAMME / "cnfs-activite-departements-2024-02-22.json").read_text())
    table = france.load_table().table.set_index("code")
    assert table["usagers"].notna().all() and len(table) == 101
    assert int(table["usagers"].sum()) == sum(e["usagers"] for e in activity) == 2_135_298
    assert int(table["accompagnements"].sum()) == 3_325_724
    recruitment = json.loads((PROGRAMME / "cnfs-recrutement-2023-09-13.json").read_text())
    aisne = [e for e in recruitment.values() if str(e["Code commune Insee"]).zfill(5)[:2] == "02"]
    assert sum(e["Nb de conseillers attribués"] for e in aisne) == 45
    assert sum(e["Nb de conseillers recrutés"] for e in aisne) == 37
    assert (table.loc["02", "postes_attribues"], table.loc["02", "conseillers_recrutes"]) == (
        45,
        37,
    )
    situation = france.situation(
        table.reset_index(), france.load_table().posts, programme.LIST_DATE
    ).set_index("code")
    assert situation["usagers_pour_10000"].notna().all()
    assert situation.loc["02", "usagers_pour_10000"] == pytest.approx(
        table.loc["02", "usagers"] / 531_345 * 10_000
    )
