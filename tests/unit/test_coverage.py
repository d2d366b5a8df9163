"""Straight-line distances and the greedy planner on hand-made cases."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from aisnemap import config
from aisnemap.domain import coverage
from aisnemap.domain.territory import CommunePoints


def _squares(xs: list[float], pops: list[int]) -> gpd.GeoDataFrame:
    """1 km squares centred on (x, 6 900 000) in Lambert-93."""
    return gpd.GeoDataFrame(
        {
            "code": [f"0200{i}" for i in range(len(xs))],
            "nom": [f"C{i}" for i in range(len(xs))],
            "population": pops,
        },
        geometry=[box(x - 500, 6_899_500, x + 500, 6_900_500) for x in xs],
        crs=config.CRS_METRIC,
    )


def _points(communes: gpd.GeoDataFrame) -> CommunePoints:
    return CommunePoints.of(communes, config.CRS_METRIC)


def _sites(xs: list[float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        geometry=[Point(x, 6_900_000) for x in xs], crs=config.CRS_METRIC
    ).to_crs(4326)


def test_distance_is_exact_in_lambert_93():
    communes = _squares([700_000, 703_000, 712_000], [10, 20, 30])
    result = coverage.compute_coverage(communes, _sites([700_000]), _points(communes))
    assert result.table["distance_km"].tolist() == pytest.approx([0.0, 3.0, 12.0], abs=1e-3)
    assert result.table["bande"].tolist() == ["< 5 km", "< 5 km", "10–15 km"]
    assert result.bands.tolist() == [30, 0, 30, 0, 0]
    assert result.population_within(10) == 30
    assert result.farthest(1)["code"].iloc[0] == "02002"


def test_band_edges():
    assert coverage.band_index(np.array([0, 4.99, 5, 10, 19.99, 20, 50])).tolist() == [
        0,
        0,
        1,
        2,
        3,
        4,
        4,
    ]


def test_no_site_means_infinite_distance():
    communes = _squares([700_000], [5])
    result = coverage.compute_coverage(communes, _sites([]).iloc[0:0], _points(communes))
    assert np.isinf(result.table["distance_km"].iloc[0])
    assert result.bands.iloc[-1] == 5


def test_greedy_picks_the_obvious_best_site():
    # Codes 02000… in order. A site at x = 700 km covers the two villages near it. Of the
    # others, a site at 740 km reaches 733, 740 and 746 km (50 + 5000 + 300 = 5350); at
    # 746 km it misses 733 km (13 km: 5300); at 733 km it misses 746 km (5050).
    communes = _squares([700_000, 702_000, 733_000, 740_000, 746_000], [10, 10, 50, 5000, 300])
    picks = coverage.greedy_sites(communes, _sites([700_000]), 2, _points(communes))
    assert [(p.code, p.gain) for p in picks] == [("02003", 5350)]
    assert len(picks) == 1  # nothing left to gain: the planner stops


def test_greedy_never_lowers_coverage():
    rng = np.random.default_rng(0)
    xs = list(rng.uniform(650_000, 800_000, 60))
    communes = _squares(xs, list(rng.integers(50, 5000, 60)))
    points = _points(communes)
    before = coverage.compute_coverage(communes, _sites(xs[:2]), points).population_within(10)
    picks = coverage.greedy_sites(communes, _sites(xs[:2]), 8, points)
    covered = [before] + [p.covered_after for p in picks]
    assert all(b >= a for a, b in zip(covered, covered[1:], strict=False))
    assert all(p.gain > 0 for p in picks)
    gains = [p.gain for p in picks]
    assert gains == sorted(gains, reverse=True)


def test_negative_n_is_refused():
    with pytest.raises(ValueError, match="n must be"):
        communes = _squares([700_000], [1])
        coverage.greedy_sites(communes, _sites([700_000]), -1, _points(communes))


def test_crs_is_required():
    with pytest.raises(ValueError, match="CRS"):
        coverage.metric_xy(gpd.GeoDataFrame(geometry=[Point(0, 0)]), config.CRS_METRIC)
