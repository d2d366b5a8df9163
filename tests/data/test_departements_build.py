"""Any département from the same build (issue 13, first step): Nord, Corse-du-Sud and
La Réunion, checked against the Etalab COG 2021 reference."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest

from aisnemap import config
from aisnemap.build import pipeline as build
from aisnemap.build.sources import SourceLayout
from aisnemap.domain.departements import files_for, metric_crs
from tests.conftest import DEPARTEMENTS as EXPECTED


def _reference(code: str) -> tuple[int, int]:
    path = config.SOURCES_DIR / SourceLayout().reference_file(2021, "communes.json")
    communes = [
        c
        for c in json.loads(path.read_text(encoding="utf-8"))
        if c.get("departement") == code and c.get("type") == "commune-actuelle"
    ]
    return len(communes), sum(c.get("population", 0) for c in communes)


@pytest.mark.parametrize("code", list(EXPECTED))
def test_communes_and_population_match_the_reference(built_departements, code):
    root, reports = config.DATA_DIR, built_departements
    folder = root / "departements" / code
    names = files_for(code)
    communes = gpd.read_file(folder / names.exact.communes)
    assert (len(communes), int(communes["population"].sum())) == EXPECTED[code]
    assert (len(communes), int(communes["population"].sum())) == _reference(code)
    assert communes["code"].str.startswith(code).all()
    display = gpd.read_file(folder / names.display.communes)
    assert len(display) == len(communes)
    assert display.geometry.is_valid.all() and not display.geometry.is_empty.any()
    manifest = json.loads((folder / config.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["departement"] == code and manifest["communes"] == EXPECTED[code][0]
    assert build.is_built(folder, 2021, code)
    # Every département has its IFN and its France Services.
    assert (
        f"IFN : {EXPECTED[code][0]} communes sur {EXPECTED[code][0]} avec un score"
        in (reports[code])
    )


def test_overseas_simplification_is_done_in_its_own_projection(built_departements):
    """La Réunion simplified in Lambert-93 would be distorted; in RGR92 / UTM 40S its
    display outline keeps the island's area within 2 %."""
    root = config.DATA_DIR
    folder = root / "departements" / "974"
    names = files_for("974")
    exact = gpd.read_file(folder / names.exact.department).to_crs(metric_crs("974"))
    display = gpd.read_file(folder / names.display.department).to_crs(metric_crs("974"))
    assert metric_crs("974") == "EPSG:2975"
    assert abs(display.area.sum() / exact.area.sum() - 1) < 0.02
    assert 2_400e6 < exact.area.sum() < 2_600e6  # La Réunion: about 2 512 km²


def test_the_national_list_rows_of_saint_martin_are_reported(built_departements):
    reports = built_departements
    assert "département « 0 » hors des 101 départements (INSEE 97801)" in reports["59"]
    assert "121 postes" in reports["59"]


def test_an_unknown_code_lists_the_valid_ones():
    run = subprocess.run(
        [sys.executable, "-m", "aisnemap.build", "--departement", "99"],
        capture_output=True,
        text=True,
        cwd=config.ROOT,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("Département inconnu : « 99 ». Codes valides : 01, 02")
    assert "2A, 2B" in run.stderr and run.stderr.strip().endswith("974, 976.")
