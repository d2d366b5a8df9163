"""Shared fixtures: the real built data (built once if missing) and tiny hand-made layers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from aisnemap import config
from aisnemap.build import france
from aisnemap.build import pipeline as build
from aisnemap.domain import france as national_files
from aisnemap.domain import schema
from aisnemap.domain.departements import (
    DepartmentContext,
    context_for,
    department_dir,
)
from aisnemap.domain.territory import Territory, load_territory, locate_sites
from tests.support.departements import AISNE

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="session", autouse=True)
def built_data_dir(tmp_path_factory) -> Iterator[Path]:
    """The real build, run once per test session by the current code into a fresh folder.

    Every test (and every ``streamlit run`` a browser test starts, through
    ``AISNEMAP_DATA_DIR``) reads these outputs, never an older data/ folder.
    """
    out = tmp_path_factory.mktemp("donnees")
    build.run_build(config.SOURCES_DIR, config.COG_YEAR, out)
    france.build_france(config.SOURCES_DIR, config.COG_YEAR, out_dir=national_files.france_dir(out))
    patch = pytest.MonkeyPatch()
    patch.setattr(config, "DATA_DIR", out)
    patch.setenv("AISNEMAP_DATA_DIR", str(out))
    # Server state (failed admin tries) of the tests stays out of the clone too.
    state = tmp_path_factory.mktemp("etat")
    patch.setattr(config, "STATE_DIR", state)
    patch.setenv("AISNEMAP_STATE_DIR", str(state))
    yield out
    patch.undo()


#: Three kinds of département: a large mainland one, Corsica's letter code, an overseas one;
#: their communes and population in the Etalab COG 2021 reference.
DEPARTEMENTS = {"59": (648, 2_608_346), "2A": (124, 158_507), "974": (24, 861_210)}


@pytest.fixture(scope="session")
def built_departements(built_data_dir: Path) -> dict[str, str]:
    """Nord, Corse-du-Sud and La Réunion built once per session where the app reads them
    (data/departements/CODE of the session's data folder); their build reports."""
    return {
        code: build.run_build(
            config.SOURCES_DIR,
            config.COG_YEAR,
            department_dir(code, built_data_dir),
            department=code,
        ).text()
        for code in DEPARTEMENTS
    }


@pytest.fixture(scope="session")
def aisne(built_data_dir: Path) -> DepartmentContext:
    """The Aisne's context over the session's build (its announcement included)."""
    return context_for(AISNE, built_data_dir)


@pytest.fixture(scope="session")
def territory(aisne: DepartmentContext) -> Territory:
    """The department's layers as the app reads them."""
    return load_territory(aisne)


@pytest.fixture(scope="session")
def structures(territory: Territory) -> schema.Validation:
    """The committed data/structures.csv, validated against the reference."""
    return schema.read_structures(config.STRUCTURES_CSV, territory.insee_codes)


@pytest.fixture(scope="session")
def sites(territory: Territory, structures: schema.Validation) -> gpd.GeoDataFrame:
    """The located advisor sites."""
    located, problems = locate_sites(structures.frame, territory.communes, metric_crs="EPSG:2154")
    assert not problems, [str(p) for p in problems]
    return located


@pytest.fixture
def tiny_communes() -> gpd.GeoDataFrame:
    """Three square communes side by side (1 km each, Lambert-93 around Laon), in WGS84."""
    x0, y0 = 740_000, 6_940_000
    frame = gpd.GeoDataFrame(
        {
            "code": ["02001", "02002", "02003"],
            "nom": ["Alpha", "Bêta", "Gamma"],
            "population": [100, 200, 300],
            "epci_siren": ["200000001", "200000001", "200000002"],
            "epci_nom": ["CC Un", "CC Un", "CC Deux"],
            "arrondissement_code": ["022", "022", "023"],
            "arrondissement_nom": ["Laon", "Laon", "Saint-Quentin"],
        },
        geometry=[box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(3)],
        crs=config.CRS_METRIC,
    )
    return frame.to_crs(config.CRS_DRAW)
