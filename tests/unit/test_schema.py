"""Validation of structures files: one test per kind of bad input, messages in French."""

from __future__ import annotations

import pytest

from aisnemap.domain import schema
from aisnemap.domain import schema as s
from aisnemap.domain.territory import locate_sites

# Files without the optional siret column, as most imports will be.
COLS = [c for c in s.COLUMNS if c != s.SIRET]
HEADER = ",".join(COLS)
GOOD = (
    "A1,1,Lauréat,Site A,2,,,Commune d'Alpha,commune,France Services,non,02001,"
    "1 rue de la Mairie,,,commune,communiqué 18/03/2021,élevée"
)
POOL_ROW = (
    "P1,1,Département,UTAS,,CD,16,Département,département,UTAS,non,02002,,,,commune,source,élevée"
)
KNOWN = {"02001", "02002", "02003"}


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _messages(validation: schema.Validation) -> list[str]:
    return [str(p) for p in validation.errors]


def test_good_file_is_read_with_string_codes():
    v = schema.read_structures(_csv(GOOD, POOL_ROW), KNOWN)
    assert v.ok, _messages(v)
    assert v.frame[s.INSEE].tolist() == ["02001", "02002"]
    assert schema.count_advisors(v.frame).total == 18
    assert v.frame.loc[1, s.ADVISORS] is not None and v.frame[s.ADVISORS].isna().tolist() == [
        False,
        True,
    ]


def test_missing_column():
    header = HEADER.replace(",source", "")
    row = GOOD.replace(",communiqué 18/03/2021", "")
    v = schema.read_structures(_csv(row, header=header), KNOWN)
    assert _messages(v) == ["ligne 1 : colonnes manquantes : source"]


def test_extra_column_is_a_warning_and_ignored():
    v = schema.read_structures(_csv(GOOD + ",x", header=HEADER + ",remarque"), KNOWN)
    assert v.ok
    assert [str(p) for p in v.problems] == ["ligne 1 : colonnes ignorées (inconnues) : remarque"]


def test_unknown_insee_code():
    v = schema.read_structures(_csv(GOOD.replace("02001", "02999")), KNOWN)
    assert _messages(v) == [
        "ligne 2, colonne « code_insee » : code INSEE « 02999 » inconnu dans le département "
        "(COG de référence)"
    ]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2408", "mal formé « 2408 » (zéro initial perdu par le tableur ?)"),
        ("2A004", "inconnu"),
        ("02-001", "mal formé"),
    ],
)
def test_malformed_or_foreign_insee_codes(code, message):
    v = schema.read_structures(_csv(GOOD.replace("02001", code)), KNOWN)
    assert len(v.errors) == 1 and message in str(v.errors[0])


def test_duplicate_id():
    v = schema.read_structures(_csv(GOOD, GOOD), KNOWN)
    assert _messages(v) == ["ligne 3, colonne « id » : identifiant « A1 » en double (déjà ligne 2)"]


@pytest.mark.parametrize("value", ["deux", "-1", "1.5", "0", ""])
def test_advisors_must_be_a_positive_integer(value):
    row = GOOD.replace(",Site A,2,", f",Site A,{value},")
    v = schema.read_structures(_csv(row), KNOWN)
    assert len(v.errors) == 1
    assert "colonne « conseillers » : nombre de conseillers invalide" in str(v.errors[0])


def test_pool_site_with_its_own_count_is_refused():
    v = schema.read_structures(_csv(POOL_ROW.replace("UTAS,,CD", "UTAS,3,CD")), KNOWN)
    assert "répartition non publiée" in _messages(v)[0]


def test_inconsistent_pool_totals():
    other = POOL_ROW.replace("P1,", "P2,").replace(",CD,16,", ",CD,15,")
    v = schema.read_structures(_csv(POOL_ROW, other), KNOWN)
    assert "effectif du groupe « CD » incohérent : 15 ici, 16 ligne 2" in _messages(v)[0]


def test_coordinates_outside_the_department_and_swapped():
    outside = GOOD.replace(",,,commune,", ",48.85,2.35,adresse,")
    swapped = GOOD.replace("A1,", "A2,").replace(",,,commune,", ",3.62,49.56,adresse,")
    v = schema.read_structures(_csv(outside, swapped), KNOWN)
    messages = _messages(v)
    assert "coordonnées hors de l'Aisne (48.85, 2.35)" in messages[0]
    assert "(latitude et longitude inversées ?)" in messages[1]


def test_coordinates_in_another_commune_are_an_error(tiny_communes):
    lon, lat = tiny_communes.geometry.iloc[2].centroid.x, tiny_communes.geometry.iloc[2].centroid.y
    row = GOOD.replace(",,,commune,", f",{lat:.6f},{lon:.6f},adresse,")
    v = schema.read_structures(_csv(row), KNOWN)
    assert v.ok
    _, problems = locate_sites(v.frame, tiny_communes, metric_crs="EPSG:2154")
    assert [str(p) for p in problems] == [
        "ligne 2, colonne « latitude » : coordonnées situées dans la commune 02003, pas dans la "
        "commune déclarée 02001"
    ]


def test_french_excel_file_semicolon_cp1252_and_decimal_comma_is_accepted():
    row = GOOD.replace(",,,commune,", ",49.56,3.62,adresse,").replace("Lauréat", "Lauréat élu")
    text = (
        "\r\n".join([HEADER, row])
        .replace(",", ";")
        .replace("49.56", "49,56")
        .replace("3.62", "3,62")
    )
    v = schema.read_structures(text.encode("cp1252"), KNOWN)
    assert v.ok, _messages(v)
    assert (v.encoding, v.delimiter) == ("cp1252", ";")
    assert v.frame.loc[0, s.LAUREATE] == "Lauréat élu"
    assert v.frame.loc[0, s.LAT] == pytest.approx(49.56)


def test_utf8_bom_is_accepted():
    v = schema.read_structures(b"\xef\xbb\xbf" + _csv(GOOD), KNOWN)
    assert v.ok and v.frame.columns[0] == "id"


def test_empty_file():
    assert _messages(schema.read_structures(b"", KNOWN)) == ["le fichier est vide"]
    assert _messages(schema.read_structures(_csv(), KNOWN)) == [
        "aucune ligne de données après l'en-tête"
    ]


def test_html_in_a_text_field_is_kept_as_text():
    payload = '<img src=x onerror="window.__xss=1">'
    row = GOOD.replace("Site A", '"' + payload.replace('"', '""') + '"')
    v = schema.read_structures(_csv(row), KNOWN)
    assert v.ok
    assert v.frame.loc[0, s.SITE] == payload


def test_wrong_separator_is_explained():
    v = schema.read_structures(
        _csv(GOOD.replace(",", "\t"), header=HEADER.replace(",", "\t")), KNOWN
    )
    assert "séparateur non reconnu" in _messages(v)[0]


def test_ragged_row_is_reported_with_its_line():
    v = schema.read_structures(_csv(GOOD, "A2,1,x"), KNOWN)
    assert _messages(v) == ["ligne 3 : 3 champs au lieu de 18 (séparateur ou guillemets ?)"]


def test_size_and_row_bounds():
    big = b"x" * (schema.MAX_BYTES + 1)
    assert "trop volumineux" in _messages(schema.read_structures(big, KNOWN))[0]
    rows = [GOOD.replace("A1,", f"A{i},") for i in range(schema.MAX_ROWS + 1)]
    assert "trop de lignes" in _messages(schema.read_structures(_csv(*rows), KNOWN))[0]


def test_binary_file():
    assert "binaire" in _messages(schema.read_structures(b"\x89PNG\x00\x00", KNOWN))[0]


def test_missing_file(tmp_path):
    assert "fichier introuvable" in _messages(schema.read_structures(tmp_path / "nope.csv"))[0]


def test_round_trip_to_csv_text():
    v = schema.read_structures(_csv(GOOD, POOL_ROW), KNOWN)
    again = schema.read_structures(schema.to_csv_text(v.frame).encode("utf-8"), KNOWN)
    assert again.ok
    assert again.frame.drop(columns="_ligne").equals(v.frame.drop(columns="_ligne"))


# --- encodings (a file is read as what it is, or refused naming the lines) -------------


def test_one_windows_1252_line_in_a_utf8_file_is_refused_naming_it():
    """Defect: the whole file was decoded as Windows-1252 and 'département' became
    'dÃ©partement' on the public pages."""
    raw = _csv(GOOD, POOL_ROW.replace("P1,", "P2,")) + GOOD.replace("A1,", "A3,").replace(
        "Lauréat", "Lauréat bis"
    ).encode("cp1252")
    v = schema.read_structures(raw, KNOWN)
    assert not v.ok
    [message] = _messages(v)
    assert message.startswith("encodages mélangés : les lignes 4 ne sont pas en UTF-8")


def test_utf16_gets_its_own_message():
    v = schema.read_structures(_csv(GOOD).decode().encode("utf-16"), KNOWN)
    assert "encodé en UTF-16" in _messages(v)[0]
    assert "binaire" not in _messages(v)[0]


def test_valid_utf8_is_read_as_utf8():
    v = schema.read_structures(_csv(GOOD.replace("Lauréat", "Lauréat Ã©")), KNOWN)
    assert v.ok and v.encoding == "utf-8"
    assert v.frame.loc[0, s.LAUREATE] == "Lauréat Ã©"


# --- an import an official can do -----------------------------------------------------


def test_usual_column_names_are_recognised_and_reported():
    header = HEADER.replace("code_insee", "Code INSEE").replace("laureat", "Lauréat")
    header = header.replace("type_service", "Type de service")
    v = schema.read_structures(_csv(GOOD, header=header), KNOWN)
    assert v.ok, _messages(v)
    assert v.aliases == {
        "Lauréat": "laureat",
        "Type de service": "type_service",
        "Code INSEE": "code_insee",
    }
    warnings = [str(p) for p in v.problems if p.severity == schema.WARNING]
    assert warnings == [
        "ligne 1 : noms de colonnes reconnus : « Lauréat » → laureat, « Type de service » → "
        "type_service, « Code INSEE » → code_insee"
    ]


def test_optional_columns_may_be_left_out():
    keep = [c for c in s.COLUMNS if c not in s.OPTIONAL_COLUMNS]
    row = dict(zip(COLS, GOOD.split(","), strict=True))
    v = schema.read_structures(_csv(",".join(row[c] for c in keep), header=",".join(keep)), KNOWN)
    assert v.ok, _messages(v)
    assert v.frame.loc[0, s.LAUREATE] == "" and v.frame[s.ITINERANT].isna().all()


@pytest.mark.parametrize(
    ("column", "given", "stored"),
    [
        (s.SERVICE_TYPE, "france services", "France Services"),
        (s.SERVICE_TYPE, "MAIRIE", "Mairie"),
        (s.SERVICE_TYPE, "mediatheque", "Médiathèque"),
        (s.OPERATOR_TYPE, "Etat", "État"),
        (s.OPERATOR_TYPE, "Commune", "commune"),
        (s.WAVE, "vague 2", 2),
        (s.WAVE, "V3", 3),
    ],
)
def test_categories_and_waves_are_normalised(column, given, stored):
    row = dict(zip(COLS, GOOD.split(","), strict=True)) | {column: given}
    v = schema.read_structures(_csv(",".join(row.values())), KNOWN)
    assert v.ok, _messages(v)
    assert v.frame.loc[0, column] == stored


def test_an_unknown_category_lists_the_allowed_values():
    v = schema.read_structures(_csv(GOOD.replace(",commune,France", ",coopérative,France")), KNOWN)
    [message] = _messages(v)
    assert "valeur « coopérative » inconnue ; valeurs admises : « commune », « EPCI »" in message


@pytest.mark.parametrize("word", ["non publié", "Non publie", "inconnu", "?"])
def test_an_unpublished_advisor_count_is_unknown_never_one(word):
    v = schema.read_structures(_csv(GOOD.replace(",2,,,", f",{word},,,")), KNOWN)
    assert v.ok, _messages(v)
    count = schema.count_advisors(v.frame)
    assert (count.total, count.unknown_sites) == (0, 1)
    assert f"{s.ADVISORS_UNKNOWN},,," in schema.to_csv_text(v.frame)


def test_a_blank_itinerancy_is_not_given_not_no():
    v = schema.read_structures(_csv(GOOD.replace(",non,02001", ",,02001")), KNOWN)
    assert v.ok and v.frame[s.ITINERANT].isna().all()
    again = schema.read_structures(schema.to_csv_text(v.frame).encode(), KNOWN)
    assert again.frame[s.ITINERANT].isna().all()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        (
            s.ADVISORS,
            "1234567890123456789",
            "nombre de conseillers invalide « 1234567890123456789 » (entier attendu",
        ),
        (s.ADVISORS, "501", "(au plus 500"),
        (s.WAVE, "9999999999999999999", "vague invalide « 9999999999999999999 »"),
        (s.WAVE, "100", "au plus 99"),
    ],
)
def test_huge_numbers_get_a_french_message_not_an_overflow(column, value, expected):
    row = dict(zip(COLS, GOOD.split(","), strict=True)) | {column: value}
    v = schema.read_structures(_csv(",".join(row.values())), KNOWN)
    assert any(expected in m for m in _messages(v)), _messages(v)


def test_huge_pool_size_gets_a_french_message():
    v = schema.read_structures(
        _csv(POOL_ROW.replace(",CD,16,", ",CD,12345678901234567890,")), KNOWN
    )
    assert any("effectif du groupe invalide" in m for m in _messages(v))


def test_three_groups_with_two_rows_each_are_counted_once_each():
    """Toy case big enough to see a per-site double count: 3 groups, 2 sites each."""
    rows = [GOOD]
    for group, size in (("G1", 16), ("G2", 2), ("G3", 5)):
        for k in (1, 2):
            rows.append(
                POOL_ROW.replace("P1,", f"{group}{k},").replace(",CD,16,", f",{group},{size},")
            )
    v = schema.read_structures(_csv(*rows), KNOWN)
    assert v.ok, _messages(v)
    count = schema.count_advisors(v.frame)
    assert count.pools == {"G1": 16, "G2": 2, "G3": 5}
    assert (count.own, count.total) == (2, 25)


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\ufeff", "U+FEFF"),
        ("\u200b", "espace sans chasse (U+200B)"),
        ("\u202e", "forçage droite-à-gauche (U+202E)"),
        ("\x07", "caractère de contrôle (U+0007)"),
        ("\t", "tabulation (U+0009)"),
    ],
)
def test_invisible_characters_are_refused_naming_line_column_and_character(char, named):
    """« Commune\u200b de Ribemont » made a second operator; a U+FEFF broke the prints."""
    row = GOOD.replace("Commune d'Alpha", f"Commune{char} d'Alpha")
    validation = schema.read_structures(_csv(row), KNOWN)
    assert not validation.ok
    [message] = [m for m in _messages(validation) if "invisible" in m]
    assert message.startswith("ligne 2, colonne « operateur » : caractère invisible")
    assert named in message and "au 8e caractère" in message


def test_a_joiner_inside_an_emoji_or_a_script_is_not_hidden():
    row = GOOD.replace("Site A", "Site 👩\u200d💻 مکتب\u200cها")
    assert schema.read_structures(_csv(row), KNOWN).ok


@pytest.mark.parametrize(
    "start", [b"PK\x03\x04\x14\x00\x06\x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"]
)
def test_a_workbook_is_told_to_be_saved_as_csv(start):
    [message] = _messages(schema.read_structures(start + b"\x00" * 200, KNOWN))
    assert message.startswith("classeur Excel : enregistrez-le au format CSV")
