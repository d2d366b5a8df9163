"""The département's IFN scores and France Services, against the national files."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from aisnemap import config
from aisnemap.domain import fragility
from aisnemap.domain.departements import files_for
from tests.support.departements import AISNE

AISNE_FILES = files_for(AISNE.code)

PROGRAMME = config.PROGRAMME_DIR


@pytest.fixture(scope="module")
def ifn(built_data_dir) -> pd.DataFrame:
    return pd.read_csv(built_data_dir / AISNE_FILES.ifn, dtype={"code": str})


def test_all_800_communes_of_the_cog_have_their_ifn(ifn, territory):
    assert len(ifn) == 800
    assert set(ifn["code"]) == set(territory.communes["code"])
    for column in fragility.SCORES:
        assert ifn[column].notna().all()
        assert ifn[column].between(0, 10).all()


def test_the_weighted_mean_is_reproduced_by_the_command(built_data_dir, territory):
    """An independent computation from the national file and the Etalab populations."""
    raw = pd.read_csv(PROGRAMME / fragility.IFN_COMMUNES_FILE, dtype=str)
    raw = raw.loc[raw["code"].str.startswith("02"), ["code", "total"]]
    joined = territory.communes[["code", "population"]].merge(raw, on="code", how="inner")
    assert len(joined) == 800
    total = joined["total"].astype(float)
    expected = (joined["population"] * total).sum() / joined["population"].sum()
    fragile = int(joined.loc[total >= 6, "population"].sum())
    run = subprocess.run(
        [sys.executable, "-m", "aisnemap.domain.fragility"],
        capture_output=True,
        text=True,
        env={**os.environ, "AISNEMAP_DATA_DIR": str(built_data_dir)},
        check=True,
        cwd=config.ROOT,
    )
    printed = float(
        re.search(r"pondéré par la population : ([\d,]+)", run.stdout).group(1).replace(",", ".")
    )
    assert printed == pytest.approx(expected, abs=5e-4)
    assert f"population des communes d'IFN ≥ 6 : {fragile} sur 531345" in run.stdout
    assert "communes avec un score : 800 / 800" in run.stdout


def test_france_services_of_the_aisne(built_data_dir):
    table = pd.read_csv(
        built_data_dir / AISNE_FILES.france_services_2022, dtype={"code_insee": str}
    )
    assert len(table) == 31
    assert int(table["itinerant"].sum()) == 7
    assert table["code_insee"].str.startswith("02").all()
    report = (built_data_dir / config.REPORT_FILE).read_text(encoding="utf-8")
    assert "France Services (01/12/2022) : 31 lieux, dont 7 itinérants" in report
    assert "IFN : 800 communes sur 800 avec un score" in report


def test_france_services_of_august_2024_with_their_practical_details(built_data_dir):
    """The current list: the Aisne's 35 rows of the file (README), with antennas, formats,
    opening hours and contacts; counted from the CSV directly."""
    raw = pd.read_csv(PROGRAMME / "france-services-2024-08-01.csv", dtype=str)
    aisne = raw.loc[raw["insee_dep"].str.zfill(2) == "02"]
    table = pd.read_csv(built_data_dir / AISNE_FILES.france_services, dtype=str)
    assert len(table) == len(aisne) == 35
    assert (table["type"] == "Antenne").sum() == (aisne["type_fs"] == "Antenne").sum()
    travelling = aisne["format_fs"].str.casefold().isin(["itinérante", "bus_équivalent"])
    assert (table["itinerant"] == "True").sum() == travelling.sum()
    assert table["telephone"].notna().sum() == aisne["telephone"].notna().sum()


def test_france_services_of_paris_arrondissements_count_for_paris(built_data_dir, tmp_path):
    """The list codes Paris's France Services by arrondissement (751xx): none is « commune
    inconnue », all are in Paris (75056)."""
    from aisnemap.build import pipeline

    raw = pd.read_csv(PROGRAMME / "france-services-2024-08-01.csv", dtype=str)
    expected = int((raw["insee_dep"] == "75").sum())
    report = pipeline.run_build(config.SOURCES_DIR, 2021, tmp_path, department="75")
    assert "inconnue" not in report.text()
    table = pd.read_csv(tmp_path / "france_services_75.csv", dtype=str)
    assert len(table) == expected and set(table["code_insee"]) == {"75056"}
