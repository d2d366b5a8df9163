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
    assert len(table) == 22  # L02 has the SIRET of the list of 25/06/2021 since
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
    assert [line.split(" ", 1)[0] for line in skipped] == ["L03", "L08", "D09"]


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


@pytest.mark.parametrize("code", ["59", "2A", "974"])
def test_other_departements_export_valid_unique_ids_of_their_own(
    built_departements, built_data_dir, tmp_path, code
):
    """The Nord, Corse-du-Sud and La Réunion: valid against the schema (its primary key
    included), ids carrying the département's own prefix, no cell naming the Aisne."""
    from aisnemap.domain import programme, schema
    from aisnemap.domain.departements import context_of_code
    from aisnemap.domain.territory import load_territory
    from aisnemap.french import texts

    context = context_of_code(code, built_data_dir)
    territory = load_territory(context)
    posts = programme.load_posts(context.folder / context.files.posts)
    reading = programme.national_reading(
        posts, schema.empty_frame(), territory.communes, territory.metric_crs
    )
    table, _ = export.mediation_table(
        reading.sites.to_crs(config.CRS_DRAW),
        programme.LIST_DATE,
        context.id_prefix,
        texts.mediation_source(context, True),
    )
    path = tmp_path / "lieux.csv"
    path.write_bytes(export.mediation_csv(table))
    report = _validate(path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(table) > 0 and table["id"].is_unique
    prefix = {"59": "nord-", "2A": "corse-du-sud-", "974": "la-reunion-"}[code]
    assert table["id"].str.startswith(prefix).all()
    cells = table.astype(str).to_numpy().ravel()
    assert not [c for c in cells if "Aisne" in c or "aisne" in c]
