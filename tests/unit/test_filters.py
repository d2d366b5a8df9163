"""Filters, key figures and the URL form of a view, on a small hand-made table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from aisnemap.domain import filters as f
from aisnemap.domain import schema as s
from aisnemap.domain.departements import ANNOUNCEMENTS
from aisnemap.domain.filters import Filters


@pytest.fixture
def table() -> pd.DataFrame:
    rows = [
        # id, wave, operator type, service, itinerant, insee, epci, arr, advisors, pool, pool total
        ("A", 1, "EPCI", "France Services", False, "02001", "E1", "022", 2, "", None),
        ("B", 1, "commune", "Tiers-lieu", True, "02002", "E1", "022", 1, "", None),
        ("C", 2, "commune", "Mairie", False, "02003", "E2", "023", 1, "", None),
        ("D", 1, "département", "UTAS", False, "02001", "E1", "022", None, "CD", 16),
        ("E", 1, "département", "UTAS", False, "02003", "E2", "023", None, "CD", 16),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            s.ID,
            s.WAVE,
            s.OPERATOR_TYPE,
            s.SERVICE_TYPE,
            s.ITINERANT,
            s.INSEE,
            "epci_siren",
            "arrondissement_code",
            s.ADVISORS,
            s.POOL,
            s.POOL_ADVISORS,
        ],
    )
    frame[s.ADVISORS] = frame[s.ADVISORS].astype("Int64")
    frame[s.POOL_ADVISORS] = frame[s.POOL_ADVISORS].astype("Int64")
    return frame


@pytest.fixture
def communes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["02001", "02002", "02003", "02004"],
            "nom": ["Alpha", "Bêta", "Gamma", "Delta"],
            "population": [1000, 2000, 3000, 4000],
            "epci_siren": ["E1", "E1", "E2", "E2"],
            "epci_nom": ["CC Un", "CC Un", "CC Deux", "CC Deux"],
            "arrondissement_code": ["022", "022", "023", "023"],
            "arrondissement_nom": ["Laon", "Laon", "Saint-Quentin", "Saint-Quentin"],
        }
    )


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame[s.ID])


def test_no_filter_keeps_everything(table):
    assert ids(f.apply_filters(table, Filters())) == ["A", "B", "C", "D", "E"]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        (Filters(waves=(2,)), ["C"]),
        (Filters(operator_types=("commune",)), ["B", "C"]),
        (Filters(service_types=("UTAS", "Mairie")), ["C", "D", "E"]),
        (Filters(itinerant=True), ["B"]),
        (Filters(itinerant=False), ["A", "C", "D", "E"]),
        (Filters(arrondissement="023"), ["C", "E"]),
        (Filters(epci="E1"), ["A", "B", "D"]),
        (Filters(commune="02001"), ["A", "D"]),
        (Filters(service_types=()), []),
        (Filters(epci="E1", commune="02003"), []),
    ],
)
def test_each_criterion(table, criteria, expected):
    assert ids(f.apply_filters(table, criteria)) == expected


def test_figures_whole_department_count_the_pool_once(table, communes):
    fig = f.key_figures(table, communes, Filters())
    assert (fig.advisors, fig.located_advisors, fig.pool_advisors) == (20, 4, 16)
    assert fig.pool_counted and fig.sites == 5 and fig.communes_with_site == 3
    assert fig.population == 10_000
    assert fig.inhabitants_per_advisor == pytest.approx(500)
    assert f.announced_funding_eur(fig, ANNOUNCEMENTS["02"]) == 1_000_000


def test_figures_on_a_territory_exclude_the_pool_and_say_so(table, communes):
    fig = f.key_figures(table, communes, Filters(epci="E2"))
    assert (fig.advisors, fig.pool_counted, fig.pool_sites_shown) == (1, False, 1)
    assert fig.population == 7000 and fig.communes == 2
    assert fig.inhabitants_per_advisor == pytest.approx(7000)


def test_pool_leaves_the_figures_when_its_service_is_filtered_out(table, communes):
    fig = f.key_figures(table, communes, Filters(service_types=("France Services",)))
    assert (fig.advisors, fig.pool_advisors) == (2, 0)


def test_no_advisor_means_no_ratio(table, communes):
    fig = f.key_figures(table, communes, Filters(service_types=()))
    assert fig.advisors == 0 and fig.inhabitants_per_advisor is None


def test_query_round_trip(table, communes):
    options = f.options_from(table)
    view = Filters(waves=(1,), service_types=("UTAS",), itinerant=False, epci="E2")
    query = f.to_query(view, options)
    assert query == {"vague": ["1"], "service": ["UTAS"], "itinerant": "non", "epci": "E2"}
    params = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    assert f.from_query(params, options, communes) == view


def test_default_view_has_an_empty_query(table):
    options = f.options_from(table)
    all_selected = Filters(
        waves=options.waves,
        operator_types=options.operator_types,
        service_types=options.service_types,
    )
    assert f.to_query(all_selected, options) == {}
    assert f.to_query(Filters(service_types=()), options) == {"service": ["aucun"]}
    assert f.from_query({"service": ["aucun"]}, options).service_types == ()


def test_unknown_query_values_are_ignored(table, communes):
    options = f.options_from(table)
    params = {
        "vague": ["x", "9"],
        "service": ["<script>"],
        "commune": ["99999"],
        "itinerant": ["peut-être"],
    }
    assert f.from_query(params, options, communes) == Filters()


def test_describe_names_the_territory_and_restrictions(table, communes):
    options = f.options_from(table)
    announcement = "annonce de la préfecture du 18 mars 2021"
    announced = dt.date(2021, 3, 18)
    assert f.describe(Filters(), options, communes, announced) == [
        announcement,
        "tout le département",
    ]
    assert f.describe(Filters(), options, communes)[0] == "annonce de la préfecture"
    words = f.describe(Filters(epci="E2", itinerant=True, waves=(1,)), options, communes, announced)
    assert words == [announcement, "EPCI : CC Deux", "vague : Vague 1", "sites itinérants"]
    words = f.describe(Filters(waves=(), au=dt.date(2021, 3, 31)), options, communes)
    assert words == [
        "postes validés au 31/03/2021 (liste nationale COSELEC)",
        "tout le département",
        "vague : aucune",
    ]


# Every filter and every territory level, both directions, expectations written by hand.
ROUND_TRIPS = [
    (Filters(waves=(2,)), {"vague": ["2"]}),
    (Filters(operator_types=("commune",)), {"operateur": ["commune"]}),
    (Filters(service_types=("Mairie", "UTAS")), {"service": ["Mairie", "UTAS"]}),
    (Filters(service_types=()), {"service": ["aucun"]}),
    (Filters(itinerant=True), {"itinerant": "oui"}),
    (Filters(itinerant=False), {"itinerant": "non"}),
    (Filters(arrondissement="023"), {"arrondissement": "023"}),
    (Filters(epci="E2"), {"epci": "E2"}),
    (Filters(commune="02004"), {"commune": "02004"}),
    (
        Filters(arrondissement="023", epci="E2", commune="02003"),
        {"arrondissement": "023", "epci": "E2", "commune": "02003"},
    ),
]


@pytest.mark.parametrize(("view", "query"), ROUND_TRIPS)
def test_to_query_writes_each_filter(table, view, query):
    assert f.to_query(view, f.options_from(table)) == query


@pytest.mark.parametrize(("view", "query"), ROUND_TRIPS)
def test_from_query_reads_each_filter(table, communes, view, query):
    params = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    assert f.from_query(params, f.options_from(table), communes) == view


def test_a_site_whose_itinerancy_is_not_given_matches_neither_choice(table):
    table[s.ITINERANT] = table[s.ITINERANT].astype("boolean")
    table.loc[table[s.ID] == "B", s.ITINERANT] = pd.NA
    assert ids(f.apply_filters(table, Filters(itinerant=True))) == []
    assert ids(f.apply_filters(table, Filters(itinerant=False))) == ["A", "C", "D", "E"]
    assert ids(f.apply_filters(table, Filters())) == ["A", "B", "C", "D", "E"]


@pytest.mark.parametrize(
    ("value", "shown"), [(0.49, "49,0\u00a0%"), (0.7646, "76,5\u00a0%"), (1, "100,0\u00a0%")]
)
def test_percentages_are_written_the_french_way(value, shown):
    from aisnemap.french import formatting

    assert formatting.fmt_percent(value) == shown
