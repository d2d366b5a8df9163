"""Per-territory figures."""

from __future__ import annotations

import numpy as np
import pytest

from aisnemap.domain import analysis


def test_arrondissement_figures_add_up(sites, territory):
    table = analysis.territory_stats(sites, territory.communes, "arrondissement")
    places = table.loc[table["code"] != ""]
    assert len(places) == 5
    assert places["population"].sum() == 531_345
    assert places["communes"].sum() == 800
    assert places["conseillers"].sum() + table.iloc[-1]["conseillers"] == 32
    assert places["sites"].sum() == 25
    pool = table.iloc[-1]
    assert pool["nom"] == analysis.POOL_ROW and pool["conseillers"] == 16


def test_epci_without_advisor_has_no_ratio(sites, territory):
    table = analysis.territory_stats(sites, territory.communes, "epci")
    assert len(table) == 21
    row = table.loc[table["code"] == "200071991"].iloc[0]  # CC Retz en Valois
    assert row["conseillers"] == 0 and np.isnan(row["habitants_par_conseiller"])
    assert analysis.ratio_class(row["habitants_par_conseiller"]) == (
        analysis.NO_ADVISOR_LABEL,
        analysis.NO_ADVISOR_COLOUR,
    )


def test_ratio_classes():
    assert analysis.ratio_class(5_000)[0] == "< 10 000"
    assert analysis.ratio_class(10_000)[0] == "10 000 – 20 000"
    assert analysis.ratio_class(100_000)[0] == "≥ 80 000"


def test_unknown_level(sites, territory):
    with pytest.raises(ValueError, match="unknown level"):
        analysis.territory_stats(sites, territory.communes, "canton")


def test_a_territory_with_only_pool_sites_is_never_drawn_as_without_advisor(sites, territory):
    """CA du Pays de Laon hosts four sites of the Département's pool and no advisor of its
    own: the choropleth gives it the pool class, not "aucun conseiller"."""
    table = analysis.territory_stats(sites, territory.communes, "epci")
    frame = analysis.choropleth_frame(territory.display["epci"], table, "epci_siren")
    pool_only = frame.loc[frame["classe"] == analysis.POOL_ONLY_LABEL, "nom"].tolist()
    assert pool_only == [
        "CA du Pays de Laon",
        "CA GrandSoissons Agglomération",
        "CC des Trois Rivières",
    ]
    laon = frame.loc[frame["nom"] == "CA du Pays de Laon"].iloc[0]
    assert laon["couleur"] == analysis.POOL_ONLY_COLOUR
    assert "4 sites du groupe départemental" in laon["etiquette"]
    no_advisor = frame.loc[frame["classe"] == analysis.NO_ADVISOR_LABEL]
    assert (no_advisor["sites_du_groupe"].fillna(0) == 0).all()
    assert (analysis.POOL_ONLY_LABEL, analysis.POOL_ONLY_COLOUR) in analysis.legend_items()
