"""Saving the structures table: atomic, with backups, restorable; secrets compared safely."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from aisnemap import importer, schema
from aisnemap import schema as s

HEADER = ",".join(s.COLUMNS)
ROW = "A1,1,L,Site A,2,,,Op,commune,France Services,non,02001,,,,commune,src,ok"


def _table(*rows: str):
    v = schema.read_structures(("\n".join([HEADER, *rows]) + "\n").encode())
    assert v.ok, [str(p) for p in v.problems]
    return v.frame


def test_save_keeps_a_backup_and_replaces(tmp_path):
    target, backups = tmp_path / "structures.csv", tmp_path / "sauvegardes"
    target.write_text("ancien contenu\n")
    backup = importer.save_structures(_table(ROW), target, backups, dt.datetime(2021, 4, 1, 9, 30))
    assert backup.read_text() == "ancien contenu\n"
    assert backup.name.startswith("structures-20210401-093000")
    assert schema.read_structures(target).frame[s.ID].tolist() == ["A1"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failed_save_leaves_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "structures.csv"
    target.write_text("ancien contenu\n")

    def broken_replace(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(importer.SaveError, match="le fichier précédent est conservé"):
        importer.save_structures(_table(ROW), target, tmp_path / "b")
    assert target.read_text() == "ancien contenu\n"
    assert [p for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_restore_a_backup(tmp_path):
    target, backups = tmp_path / "structures.csv", tmp_path / "b"
    importer.save_structures(_table(ROW), target, backups)
    importer.save_structures(_table(ROW.replace("Site A", "Site B")), target, backups)
    [backup] = importer.list_backups(backups)
    importer.restore_backup(backup, target, backups)
    assert schema.read_structures(target).frame[s.SITE].tolist() == ["Site A"]
    assert len(importer.list_backups(backups)) == 2


def test_preview_merge_and_replace(tiny_communes):
    current = _table(ROW, ROW.replace("A1,", "A2,"))
    upload = "\n".join(
        [HEADER, ROW.replace("Site A", "Site A'"), ROW.replace("A1,", "A3,")]
    ).encode()
    merge = importer.prepare_import(upload, current, tiny_communes, importer.MODE_MERGE)
    assert (merge.added, merge.modified, merge.removed) == (["A3"], ["A1"], [])
    assert merge.totals_before["sites"] == 2 and merge.totals_after["sites"] == 3
    replace = importer.prepare_import(upload, current, tiny_communes, importer.MODE_REPLACE)
    assert (replace.added, replace.modified, replace.removed) == (["A3"], ["A1"], ["A2"])
    same = importer.prepare_import(("\n".join([HEADER, ROW])).encode(), current, tiny_communes)
    assert same.ok and not same.changed


def test_unknown_mode(tiny_communes):
    with pytest.raises(ValueError, match="unknown mode"):
        importer.prepare_import(b"", _table(ROW), tiny_communes, "tout")


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("s3cret", "s3cret", True),
        ("s3cre", "s3cret", False),
        ("", "s3cret", False),
        ("x", None, False),
        ("é", "é", True),
    ],
)
def test_check_secret(given, expected, ok):
    assert importer.check_secret(given, expected) is ok


def test_admin_secret_sources(monkeypatch):
    monkeypatch.delenv("AISNEMAP_ADMIN_SECRET", raising=False)
    assert importer.admin_secret({}) is None
    assert importer.admin_secret({"admin_secret": "a"}) == "a"
    monkeypatch.setenv("AISNEMAP_ADMIN_SECRET", "b")
    assert importer.admin_secret({}) == "b"
