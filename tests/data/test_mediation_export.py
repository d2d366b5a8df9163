"""The "lieux de médiation numérique" export, validated by frictionless against the
national schema v1.0.2 (file in ../shared/sources/programme)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from frictionless import Resource, Schema, validate

from aisnemap import config
from aisnemap.render import export

SCHEMA = config.PROGRAMME_DIR / "lieux-mediation-numerique-schema-1.0.2.json"
EXAMPLE = config.PROGRAMME_DIR / "lieux-mediation-numerique-exemple.csv"
TODAY = dt.date(2026, 11, 26)


def _validate(path):
    # frictionless refuses absolute paths as unsafe: give it the folder as its base.
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return validate(Resource(path=path.name, basepath=str(path.parent), schema=schema))


@pytest.fixture(scope="module")
def exported(sites, tmp_path_factory):
    table, skipped = export.mediation_table(
        sites.to_crs(config.CRS_DRAW), TODAY, "aisne", "Tableau de bord — essai"
    )
    path = tmp_path_factory.mktemp("mediation") / "lieux.csv"
    path.write_bytes(export.mediation_csv(table))
    return path, table, skipped


def test_our_field_list_is_the_standards(exported):
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert list(export.MEDIATION_FIELDS) == [f.name for f in schema.fields]
    required = [f.name for f in schema.fields if f.constraints.get("required")]
    assert list(export.MEDIATION_REQUIRED) == required
    assert _validate(EXAMPLE).valid  # the standard's own example, as a sanity check


def test_the_export_is_valid_against_the_national_schema(exported):
    path, table, _ = exported
    report = _validate(path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(table) == 21
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    by_id = {r["id"]: r for r in rows}
    assert by_id["aisne-L01"]["dispositif_programmes_nationaux"] == (
        "Conseillers numériques|France Services"
    )
    assert by_id["aisne-L04"]["itinerance"] == "Itinérant"
    assert by_id["aisne-D01"]["dispositif_programmes_nationaux"] == "Conseillers numériques"
    assert by_id["aisne-L01"]["code_postal"] == "02820"
    assert by_id["aisne-L01"]["adresse"] == "2 bis route de Montaigu"
    assert all(r["date_maj"] == "2026-11-26" for r in rows)


def test_unknown_required_values_are_never_invented(exported):
    """The Bohain library has no published address: it is left out and said so."""
    _, table, skipped = exported
    assert "aisne-L03" not in set(table["id"])
    assert any(
        line.startswith("L03 « Bibliothèque municipale de Bohain-en-Vermandois")
        and "adresse, code_postal inconnu(s)" in line
        for line in skipped
    )
    assert [line.split(" ", 1)[0] for line in skipped] == ["L02", "L03", "L08", "D09"]


def test_a_broken_row_fails_the_validation(exported, tmp_path):
    """The validation can fail: a postcode of four digits is refused by the schema."""
    path, table, _ = exported
    broken = table.copy()
    broken.loc[0, "code_postal"] = "2820"
    bad = tmp_path / "casse.csv"
    bad.write_bytes(export.mediation_csv(broken))
    report = _validate(bad)
    assert not report.valid
    assert report.flatten(["fieldName", "type"]) == [["code_postal", "constraint-error"]]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("2 bis route de Montaigu, 02820 Saint-Erme", ("2 bis route de Montaigu", "02820")),
        ("Siège : 57 bd Gambetta, 02300 Chauny", ("Siège : 57 bd Gambetta", "02300")),
        ("place de l'Europe 02800 La Fère", ("place de l'Europe", "02800")),
        ("", ("", "")),
        ("02000 Laon", ("", "")),
        ("rue sans code postal, Laon", ("", "")),
    ],
)
def test_split_address(address, expected):
    assert export.split_address(address) == expected
