"""Digital fragility (IFN) and France Services: reading, checks, weighted figures, planner."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from aisnemap.domain import coverage, fragility
from aisnemap.domain.territory import CommunePoints

HEADER = (
    "name,division,code,no_thd_coverage_rate,no_4g_coverage_rate,poverty_rate,"
    "older_65_rate,nscol15p_rate,total\n"
)


def test_ifn_keeps_the_departement_pads_codes_and_reports_gaps():
    text = HEADER + (
        "Laon,city,2408,1,2,3,4,5,3\n"  # a code that lost its leading zero
        "Guise,city,02361,10,10,10,10,10,10\n"
        "Ailleurs,city,75056,1,1,1,1,1,1\n"
    )
    read = fragility.read_ifn(text, ["02408", "02361", "02691"])
    scores = read.scores.set_index("code")
    assert scores.loc["02408", "total"] == 3.0 and scores.loc["02361", "total"] == 10.0
    assert np.isnan(scores.loc["02691", "total"])
    assert "75056" not in scores.index
    assert read.report == [
        "IFN : 1 commune(s) absente(s) du fichier (02691) : « non renseigné » sur la carte"
    ]


@pytest.mark.parametrize("value", ["10.5", "-1", "beaucoup"])
def test_a_score_out_of_range_is_reported_and_never_used(value):
    text = HEADER + f"Laon,city,02408,1,2,{value},4,5,3\n"
    read = fragility.read_ifn(text, ["02408"])
    assert np.isnan(read.scores.loc[0, "poverty_rate"])
    assert read.scores.loc[0, "total"] == 3.0
    assert read.report == [
        f"IFN : commune 02408, score « Pauvreté » = « {value} » hors de 0–10 : « non renseigné »"
    ]


def test_a_missing_column_is_a_clear_error():
    with pytest.raises(ValueError, match="colonne\\(s\\) absente\\(s\\) : total"):
        fragility.read_ifn(HEADER.replace(",total", "") + "Laon,city,02408,1,2,3,4,5\n", [])


def test_weighted_mean_and_fragile_population():
    population = pd.Series([1000, 3000, 500])
    scores = pd.Series([2.0, 6.0, np.nan])
    # (1000 × 2 + 3000 × 6) / 4000 = 5.0; the commune without a score does not count.
    assert fragility.weighted_mean(population, scores) == pytest.approx(5.0)
    assert fragility.fragile_population(population, scores, 6.0) == 3000
    assert fragility.fragile_population(population, scores, 6.5) == 0
    assert fragility.weighted_mean(population, pd.Series([np.nan] * 3)) is None


def _toy_communes() -> gpd.GeoDataFrame:
    """Three communes 50 km apart (Lambert-93), none within 10 km of another."""
    cells = [
        box(700_000 + i * 50_000, 6_900_000, 701_000 + i * 50_000, 6_901_000) for i in range(3)
    ]
    return gpd.GeoDataFrame(
        {
            "code": ["02001", "02002", "02003"],
            "nom": ["Grande", "Petite fragile", "Site existant"],
            "population": [1000, 600, 5000],
        },
        geometry=cells,
        crs="EPSG:2154",
    ).to_crs("EPSG:4326")


def test_the_fragile_objective_prefers_a_smaller_but_more_fragile_commune():
    communes = _toy_communes()
    sites = communes.iloc[[2]].copy()
    sites["geometry"] = sites.geometry.representative_point()
    weights = fragility.fragile_weight(communes["population"].to_numpy(), [2.0, 9.0, 5.0])
    # population × IFN / 10: Grande 1000 × 0.2 = 200, Petite fragile 600 × 0.9 = 540.
    assert weights.tolist() == pytest.approx([200.0, 540.0, 2500.0])
    points = CommunePoints.of(communes, "EPSG:2154")
    by_population = coverage.greedy_sites(communes, sites, 1, points, fragile=weights)
    by_fragility = coverage.greedy_sites(
        communes, sites, 1, points, fragile=weights, objective="fragile"
    )
    assert by_population[0].nom == "Grande"
    assert by_fragility[0].nom == "Petite fragile"
    # Each suggestion gives its gain under both objectives.
    assert (by_population[0].gain, by_population[0].gain_fragile) == (1000, pytest.approx(200))
    assert (by_fragility[0].gain, by_fragility[0].gain_fragile) == (600, pytest.approx(540))
    with pytest.raises(ValueError, match="objective"):
        coverage.greedy_sites(communes, sites, 1, points, objective="autre")


def test_france_services_outside_their_commune_are_kept_and_reported():
    communes = _toy_communes()
    inside = communes.geometry.iloc[0].representative_point()
    far = communes.geometry.iloc[1].representative_point()
    text = (
        '"id_fs","insee_dep","lib_fs","adresse","insee_com","code_postal","lib_com",'
        '"latitude","longitude","itinerance","format_fs","labellisation"\n'
        f'"1","02","FS Grande","1 rue","02001","02000","Grande",{inside.y},{inside.x},'
        '"Non","Site principal","Espace labellisé 01/01/2020"\n'
        f'"2","02","FS égarée","2 rue","02001","02000","Grande",{far.y},{far.x},'
        '"Oui","Bus","Espace labellisé 01/01/2021"\n'
        '"3","59","FS du Nord","3 rue","59350","59000","Lille",50.6,3.06,"Non","",""\n'
        '"4","02","FS inconnue","4 rue","02999","02000","?",,,"Non","",""\n'
    )
    read = fragility.read_france_services(text, "02", communes)
    table = read.table
    assert table["nom"].tolist() == ["FS Grande", "FS égarée", "FS inconnue"]
    assert table["place_verifiee"].tolist() == [True, False, False]
    assert table["itinerant"].tolist() == [False, True, False]
    assert re.fullmatch(
        r"France Services 2 « FS égarée » : coordonnées à 49,\d\u00a0km hors de sa commune 02001 ;"
        r" gardées, lieu non vérifié",
        read.report[0],
    )
    assert read.report[1].startswith("France Services 4 « FS inconnue » : commune 02999 inconnue")
