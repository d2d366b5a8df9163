"""The hostile-input corpus: each file gives a clear French error or a documented acceptance,
and none changes the served data."""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
import pytest

from aisnemap import config
from aisnemap.admin import importer
from aisnemap.build.sources import SourceError, read_feature_collection
from aisnemap.domain import schema as s
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus"
MANIFEST = json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))
CSV_CASES = sorted(k for k, v in MANIFEST.items() if k.endswith(".csv") and "type" not in v)
GENERATED = sorted(k for k, v in MANIFEST.items() if "genere" in v)
GEOJSON_CASES = sorted(k for k in MANIFEST if k.endswith(".geojson"))


# Words that betray a library's English message leaking to the user.
ENGLISH = re.compile(r"\b(Expecting|Unterminated|Error|invalid literal|could not|unexpected)\b")


def _digest() -> str:
    return hashlib.sha256(config.STRUCTURES_CSV.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def current(sites) -> pd.DataFrame:
    return pd.DataFrame(sites[list(s.COLUMNS)])


def test_corpus_has_at_least_15_bad_inputs():
    bad = [k for k, v in MANIFEST.items() if v["attendu"] != "ACCEPTÉ"]
    assert len(bad) >= 15
    assert {p.name for p in CORPUS.iterdir()} - {"corpus.json"} == set(MANIFEST) - set(GENERATED)


def corpus_bytes(name: str) -> bytes:
    """A corpus file's content; generated cases (too big to version) are built here."""
    if name == "gros_6mo.csv":
        head = (CORPUS / "utf8_bom.csv").read_bytes()
        return (head * (6_000_000 // len(head) + 1))[:6_000_000]
    return (CORPUS / name).read_bytes()


@pytest.mark.parametrize("name", CSV_CASES)
def test_csv_case(name, current, territory):
    before = _digest()
    expected = MANIFEST[name]["attendu"]
    preview = importer.prepare_import(
        corpus_bytes(name), current, territory.communes, metric_crs="EPSG:2154"
    )
    messages = [str(p) for p in preview.problems]
    if expected == "ACCEPTÉ":
        assert preview.ok, messages
        assert preview.changed
    else:
        assert not preview.ok
        assert any(expected in m for m in messages), messages
    assert not any(ENGLISH.search(m) for m in messages), messages
    assert _digest() == before


@pytest.mark.parametrize("name", GEOJSON_CASES)
def test_geojson_case(name):
    with pytest.raises(SourceError, match=MANIFEST[name]["attendu"]) as info:
        read_feature_collection(CORPUS / name)
    assert not ENGLISH.search(str(info.value))


def test_huge_upload_is_refused_with_a_bound(current, territory):
    huge = b"id," + b"x" * (3 * 1024 * 1024)
    preview = importer.prepare_import(huge, current, territory.communes, metric_crs="EPSG:2154")
    assert not preview.ok
    assert "trop volumineux" in str(preview.problems[0]) and "2 Mo" in str(preview.problems[0])


def test_html_everywhere_stays_text(current, territory):
    preview = importer.prepare_import(
        (CORPUS / "html_partout.csv").read_bytes(),
        current,
        territory.communes,
        metric_crs="EPSG:2154",
    )
    row = preview.new_table.set_index(s.ID).loc["W01"]
    assert row[s.SITE].startswith('<img src=x onerror="window.__xss=1">')


def test_reimporting_the_served_file_changes_nothing(current, territory):
    preview = importer.prepare_import(
        config.STRUCTURES_CSV.read_bytes(), current, territory.communes, metric_crs="EPSG:2154"
    )
    assert preview.ok and not preview.changed
    assert (preview.added, preview.modified, preview.removed) == ([], [], [])


def test_merge_changes_only_the_uploaded_rows(current, territory):
    preview = importer.prepare_import(
        (CORPUS / "utf8_bom.csv").read_bytes(), current, territory.communes, metric_crs="EPSG:2154"
    )
    assert (preview.added, preview.modified, preview.removed) == (["W01"], [], [])


def test_truncated_backup_is_refused(tmp_path, territory):
    """A backup cut at a row boundary still parses: only its checksum tells."""
    entry = MANIFEST["sauvegarde_tronquee.csv"]
    backups = tmp_path / "sauvegardes"
    backups.mkdir()
    backup = backups / "structures-20260101-120000-000000.csv"
    backup.write_bytes((CORPUS / "sauvegarde_tronquee.csv").read_bytes())
    backup.with_name(backup.name + ".sha256").write_text(f"{entry['somme_complete']}  x\n")
    before = _digest()
    with pytest.raises(importer.SaveError, match=entry["attendu"]):
        importer.restore_backup(
            backup, territory.communes, config.STRUCTURES_CSV, backups, metric_crs="EPSG:2154"
        )
    assert _digest() == before


def test_restore_outside_the_backup_folder_is_refused(tmp_path, territory):
    entry = MANIFEST["restauration_hors_dossier.csv"]
    before = _digest()
    with pytest.raises(importer.SaveError, match=entry["attendu"]):
        importer.restore_backup(
            CORPUS / "restauration_hors_dossier.csv",
            territory.communes,
            config.STRUCTURES_CSV,
            tmp_path / "sauvegardes",
            metric_crs="EPSG:2154",
        )
    assert _digest() == before
