"""The real built files against the official reference (COG 2021) and the press release."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest

from aisnemap import config
from aisnemap.build import pipeline as build
from aisnemap.build.sources import SourceLayout
from aisnemap.domain import schema
from aisnemap.domain import schema as s
from aisnemap.domain.departements import files_for
from tests.support.departements import AISNE

AISNE_FILES = files_for(AISNE.code)

REF = config.SOURCES_DIR / "etalab-decoupage-administratif-2021"


@pytest.fixture(scope="module")
def epci_reference() -> list[dict]:
    return json.loads((REF / "epci.json").read_text(encoding="utf-8"))


def test_800_communes_with_string_codes(territory):
    communes = territory.communes
    assert len(communes) == 800
    assert communes["code"].is_unique
    assert all(isinstance(c, str) and len(c) == 5 and c.startswith("02") for c in communes["code"])
    assert communes.crs.to_epsg() == 4326


def test_population_is_the_cog_2021_total(territory):
    assert int(territory.communes["population"].sum()) == 531_345


def test_merged_communes_are_dissolved_into_their_new_commune(territory, built_data_dir):
    codes = set(territory.communes["code"])
    assert not codes & {"02301", "02434", "02475", "02733"}
    assert {"02018", "02360", "02153"} <= codes
    report = (built_data_dir / config.REPORT_FILE).read_text(encoding="utf-8")
    for old, new in (
        ("02301", "02018"),
        ("02434", "02018"),
        ("02475", "02360"),
        ("02733", "02153"),
    ):
        assert f"contour {old} dissous dans la commune {new}" in report


def test_merged_communes_keep_the_area_of_every_contour(territory):
    """Dissolving, not picking one: 02018 covers the 2018 contours of 02018, 02301, 02434."""
    layout = SourceLayout(contours=build.contours_location(config.SOURCES_DIR, AISNE))
    raw = build.read_sources(config.SOURCES_DIR, config.COG_YEAR, layout)[0]
    raw = raw.loc[raw["code"].astype(str).str.startswith("02")].to_crs(config.CRS_METRIC)
    built = territory.communes.to_crs(config.CRS_METRIC).set_index("code")
    for new, old in (("02018", ("02018", "02301", "02434")), ("02153", ("02153", "02733"))):
        expected = raw.loc[raw["code"].isin(old)].area.sum()
        assert built.loc[new].geometry.area == pytest.approx(expected, rel=1e-4), new
    assert built.area.sum() == pytest.approx(raw.area.sum(), rel=1e-4)


def test_twenty_epci_shapes_including_the_aisne_part_of_est_de_la_somme(territory):
    epci = territory.epci
    assert len(epci) == 20
    somme = epci.loc[epci["epci_siren"] == "200070985"]
    assert len(somme) == 1 and int(somme["communes"].iloc[0]) == 1
    member = territory.communes.loc[territory.communes["epci_siren"] == "200070985", "code"]
    assert member.tolist() == ["02604"]


def test_every_commune_in_exactly_one_epci(territory, epci_reference):
    codes = set(territory.communes["code"])
    membership: dict[str, list[str]] = {}
    for epci in epci_reference:
        for member in epci["membres"]:
            if member["code"] in codes:
                membership.setdefault(member["code"], []).append(epci["code"])
    assert set(membership) == codes
    assert all(len(v) == 1 for v in membership.values())
    built = dict(zip(territory.communes["code"], territory.communes["epci_siren"], strict=True))
    assert all(built[c] == v[0] for c, v in membership.items())


def test_epci_population_is_the_sum_of_its_members(territory):
    sums = territory.communes.groupby("epci_siren")["population"].sum()
    layer = territory.epci.set_index("epci_siren")["population"]
    assert layer.sort_index().astype(int).to_dict() == sums.sort_index().astype(int).to_dict()


def test_five_arrondissements(territory):
    arr = territory.arrondissements
    assert sorted(arr["arrondissement_code"]) == ["021", "022", "023", "024", "025"]
    assert int(arr["population"].sum()) == 531_345


def test_display_layers_have_no_gaps(territory):
    exact = territory.communes.to_crs(config.CRS_METRIC)
    display = territory.display["communes"].to_crs(config.CRS_METRIC)
    assert len(display) == 800
    # Coverage simplification keeps shared edges shared: the union's area barely moves
    # and the sum of areas equals the union's (no overlaps, no holes between neighbours).
    union_area = display.union_all().area
    assert union_area == pytest.approx(exact.union_all().area, rel=0.01)
    assert display.area.sum() == pytest.approx(union_area, rel=0.001)


def test_32_advisors_as_in_the_press_release(structures):
    assert structures.ok, [str(p) for p in structures.problems]
    frame = structures.frame
    assert schema.count_advisors(frame).total == 32
    assert set(frame[s.WAVE]) == {1}
    by_laureate = {}
    for laureate, group in frame.groupby(s.LAUREATE):
        by_laureate[laureate] = schema.count_advisors(group).total
    assert by_laureate.pop("Conseil départemental de l'Aisne") == 16
    champagne = [k for k in by_laureate if "Champagne Picarde" in k]
    assert len(champagne) == 1 and by_laureate.pop(champagne[0]) == 2
    assert len(by_laureate) == 14 and set(by_laureate.values()) == {1}


def test_every_row_has_a_source_and_string_codes(structures):
    frame = structures.frame
    assert (frame[s.SOURCE].str.len() > 10).all()
    assert frame[s.INSEE].map(type).eq(str).all()


def test_every_site_point_lies_in_its_declared_commune(sites, territory):
    communes = territory.communes.to_crs(config.CRS_METRIC).set_index("code")
    points = sites.to_crs(config.CRS_METRIC)
    for _, row in points.iterrows():
        assert communes.loc[row[s.INSEE], "geometry"].contains(row.geometry), row[s.ID]


def test_departmental_pool_sites_carry_no_invented_count(sites):
    pool = sites.loc[sites[s.POOL] == "CD02"]
    assert len(pool) == 10
    assert pool[s.ADVISORS].isna().all()
    assert (pool[s.POOL_ADVISORS] == 16).all()


def test_built_files_are_valid_geojson(built_data_dir):
    for name in AISNE_FILES.layers:
        frame = gpd.read_file(built_data_dir / name)
        assert frame.crs.to_epsg() == 4326, name
        assert frame.geometry.is_valid.all(), name
