"""Coverage of the Aisne by all sites: the printed figures are consistent."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aisnemap.domain import coverage
from tests.support.server import ROOT


def test_coverage_command_prints_consistent_figures(sites, territory):
    out = subprocess.run(
        [sys.executable, "-m", "aisnemap.domain.coverage"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = coverage.compute_coverage(territory.communes, sites, territory.points, sites["site"])
    assert int(result.bands.sum()) == 531_345
    within = result.population_within(10)
    assert within == int(result.bands.iloc[:2].sum())
    assert f"population à moins de 10 km d'un site : {within}" in out
    for label, value in result.bands.items():
        assert f"{label:>9} : {value}" in out
    far = result.farthest(1).iloc[0]
    assert f"commune la plus éloignée : {far['nom']} ({far['code']})" in out
    assert far["distance_km"] == result.table["distance_km"].max()
    # Independent check with GeoPandas distances in Lambert-93: the vectorised search
    # found each commune's true nearest site.
    points = territory.communes.to_crs(2154).representative_point()
    site_points = sites.to_crs(2154).geometry
    brute = points.apply(lambda p: site_points.distance(p).min() / 1000)
    assert result.table["distance_km"].to_numpy() == pytest.approx(brute.to_numpy(), abs=1e-6)
