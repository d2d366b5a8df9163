"""The national list's traps, waves and the national reading, on hand-made rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from aisnemap.build import pipeline as build
from aisnemap.domain import programme as p
from aisnemap.domain import schema as s


def _row(**values: str) -> dict[str, str]:
    row = {
        p.C_NAME: "COMMUNE DE LAON",
        p.C_POSTS: "1",
        p.C_DATE: "24/03/2021",
        p.C_TYPE: "publique",
        p.C_SIRET: "21020408800019",
        p.C_DEPT: "2",
        p.C_ADDRESS: "PLACE DE L'HOTEL DE VILLE 02000 LAON",
        p.C_INSEE: "2408",
        p.C_POSTCODE: "2000",
        p.C_INVEST: "55429",
        p.C_ZRR: "non",
        p.C_QPV: "oui",
        p.C_FS: "non renseigné",
    }
    return row | values


MAPPING = {"02408": "02408", "02018": "02018", "02301": "02018"}


@pytest.mark.parametrize(
    ("given", "padded"), [("2", "02"), ("02", "02"), ("2A", "2A"), ("2b", "2B"), ("974", "974")]
)
def test_department_codes_get_their_leading_zero_back(given, padded):
    assert p.pad_department(given) == padded


@pytest.mark.parametrize(
    ("given", "padded"),
    [("2408", "02408"), ("02408", "02408"), ("2A004", "2A004"), ("75119", "75119")],
)
def test_insee_codes_get_their_leading_zero_back(given, padded):
    assert p.pad_insee(given) == padded


def test_four_digit_codes_are_kept_for_the_aisne_with_five_digits():
    built = p.department_posts([_row()], "02", MAPPING)
    assert built.table[[p.P_INSEE_LIST, p.P_INSEE, p.P_POSTCODE]].values.tolist() == [
        ["02408", "02408", "02000"]
    ]


def test_corsica_rows_stay_in_corsica():
    rows = [_row(**{p.C_DEPT: "2A", p.C_INSEE: "2A004"}), _row()]
    assert p.department_posts(rows, "02", MAPPING).table[p.P_INSEE].tolist() == ["02408"]
    corsica = p.department_posts(rows, "2A", {"2A004": "2A004"})
    assert corsica.table[p.P_INSEE].tolist() == ["2A004"]


def test_department_zero_is_reported_outside_the_101():
    rows = [_row(**{p.C_DEPT: "0", p.C_INSEE: "97801"}), _row()]
    assert p.department_posts(rows, "02", MAPPING).table[p.P_INSEE].tolist() == ["02408"]
    [line] = p.outside_departments(rows, {"02", "2A"})
    assert "département « 0 » hors des 101 départements (INSEE 97801)" in line


def test_a_paris_code_under_the_aisne_is_counted_but_has_no_place():
    row = _row(**{p.C_NAME: "EMMAUS CONNECT", p.C_POSTS: "3", p.C_INSEE: "75119"})
    table = p.department_posts([row], "02", MAPPING).table
    assert table[[p.P_POSTS, p.P_INSEE, p.P_PLACE]].values.tolist() == [
        [3, "75119", p.PLACE_OUTSIDE]
    ]


def test_a_homonym_code_of_another_departement_is_repaired_by_name_and_postcode():
    """The list codes Leval (Nord, 59620) with 90066, Leval of the Territoire de Belfort:
    the commune's name and postcode name one commune of the Nord, which is kept and said.
    A structure of Paris (Emmaüs Connect) is not moved: no commune of that name here."""
    index = build.homonym_index(
        [
            {
                "code": "59344",
                "nom": "Leval",
                "departement": "59",
                "type": "commune-actuelle",
                "codesPostaux": ["59620"],
            },
            {
                "code": "90066",
                "nom": "Leval",
                "departement": "90",
                "type": "commune-actuelle",
                "codesPostaux": ["90110"],
            },
        ],
        "59",
    )
    assert index == {("leval", "59620"): "59344"}
    leval = _row(
        **{p.C_DEPT: "59", p.C_INSEE: "90066", p.C_POSTCODE: "59620", "Commune INSEE": "Leval"}
    )
    paris = _row(
        **{p.C_DEPT: "59", p.C_INSEE: "75119", p.C_POSTCODE: "75019", "Commune INSEE": "Paris"}
    )
    built = p.department_posts([leval, paris], "59", {"59344": "59344"}, index)
    assert built.table[[p.P_INSEE, p.P_PLACE]].values.tolist() == [
        ["59344", p.PLACE_COMMUNE],
        ["75119", p.PLACE_OUTSIDE],
    ]
    line, paris_line = built.repairs
    assert "« 90066 » hors du département (homonyme), corrigé en 59344" in line
    assert "commune 75119 hors du département" in paris_line
    # Without the index (no name to go by), the row stays "hors département".
    alone = p.department_posts([leval], "59", {"59344": "59344"}).table
    assert alone[p.P_PLACE].tolist() == [p.PLACE_OUTSIDE]


def test_a_former_code_is_brought_to_the_cog():
    table = p.department_posts([_row(**{p.C_INSEE: "2301"})], "02", MAPPING).table
    assert table[[p.P_INSEE_LIST, p.P_INSEE]].values.tolist() == [["02301", "02018"]]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        (p.C_POSTS, "deux", "nombre de postes invalide « deux »"),
        (p.C_DATE, "2021-03-24", "date de comité invalide « 2021-03-24 »"),
        (p.C_SIRET, "123", "SIRET invalide « 123 »"),
        (p.C_INSEE, "2999", "code INSEE « 02999 » inconnu du COG"),
    ],
)
def test_a_malformed_row_is_reported_and_counted_never_dropped_silently(field, value, reason):
    built = p.department_posts([_row(), _row(**{field: value})], "02", MAPPING)
    assert len(built.table) == 1
    [problem] = built.problems
    assert (
        problem.startswith("liste nationale, ligne 3 (COMMUNE DE LAON) : ignorée")
        and reason in problem
    )


def test_committees_become_waves_named_by_month():
    dates = [dt.date(2021, 3, 24), dt.date(2021, 6, 16), dt.date(2021, 6, 9), dt.date(2021, 4, 7)]
    waves = p.committee_waves(dates)
    assert waves == {
        dt.date(2021, 3, 24): 1,
        dt.date(2021, 4, 7): 2,
        dt.date(2021, 6, 9): 3,
        dt.date(2021, 6, 16): 4,
    }
    assert p.wave_labels(waves) == {
        1: "Comité n° 1 du département — mars 2021",
        2: "Comité n° 2 du département — avril 2021",
        3: "Comité n° 3 du département — 9 juin 2021",
        4: "Comité n° 4 du département — 16 juin 2021",
    }


def test_a_curated_structure_is_drawn_at_its_sites_and_others_at_their_commune():
    structures = pd.DataFrame(
        [
            {c: "" for c in s.COLUMNS}
            | {s.ITINERANT: None, s.LAT: None, s.LON: None}
            | {s.ID: "A", s.SIRET: "1" * 14, s.INSEE: "02408", s.SOURCE: "src", s.POOL: ""},
            {c: "" for c in s.COLUMNS}
            | {s.ITINERANT: None, s.LAT: None, s.LON: None}
            | {s.ID: "B1", s.SIRET: "2" * 14, s.INSEE: "02408", s.SOURCE: "s", s.POOL: ""},
            {c: "" for c in s.COLUMNS}
            | {s.ITINERANT: None, s.LAT: None, s.LON: None}
            | {s.ID: "B2", s.SIRET: "2" * 14, s.INSEE: "02018", s.SOURCE: "s", s.POOL: ""},
        ]
    )
    posts = p.department_posts(
        [
            _row(**{p.C_SIRET: "1" * 14, p.C_POSTS: "2"}),
            _row(**{p.C_SIRET: "2" * 14, p.C_POSTS: "3", p.C_DATE: "07/04/2021"}),
            _row(**{p.C_SIRET: "3" * 14}),
        ],
        "02",
        MAPPING,
    ).table
    posts[p.P_DATE] = pd.to_datetime(posts[p.P_DATE]).dt.date
    frame = p.national_frame(posts, structures).set_index(s.ID)
    assert frame.loc["A", s.ADVISORS] == 2 and frame.loc["A", s.POOL] == ""
    # Two sites of one structure: its 3 posts are a group, not 3 per site.
    assert frame.loc[["B1", "B2"], s.POOL_ADVISORS].tolist() == [3, 3]
    assert s.count_advisors(frame.reset_index()).total == 2 + 3 + 1
    assert frame.loc["N" + "3" * 14, s.PRECISION] == s.PRECISION_COMMUNE
    assert frame[s.WAVE].tolist() == [1, 2, 2, 1]


def test_the_build_names_every_repair_and_keeps_the_source_values():
    """Leading zeros restored (said), « sans objet » kept as the source writes it, an
    identical duplicate row flagged."""
    row = _row(**{p.C_DEPT: "2", p.C_INSEE: "2408", p.C_QPV: "sans objet"})
    built = p.department_posts([row, dict(row)], "02", {"02408": "02408"})
    assert built.table[p.P_QPV].tolist() == ["sans objet", "sans objet"]
    assert any("zéro initial rétabli (code INSEE « 2408 » → 02408" in r for r in built.repairs)
    assert any("identique à la ligne 2" in r for r in built.repairs)
