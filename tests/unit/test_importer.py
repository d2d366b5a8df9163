"""Saving the structures table: atomic, locked against lost updates, with checksummed and
rotated backups, restorable only after validation; and the command-line import."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import subprocess
import sys

import pytest

from aisnemap.admin import importer
from aisnemap.domain import schema
from aisnemap.domain import schema as s
from tests.conftest import ROOT

# Files without the optional siret column, as most imports will be.
COLS = [c for c in s.COLUMNS if c != s.SIRET]
HEADER = ",".join(COLS)
ROW = "A1,1,L,Site A,2,,,Op,commune,France Services,non,02001,,,,commune,src,ok"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _table(*rows: str):
    v = schema.read_structures(_csv(*rows))
    assert v.ok, [str(p) for p in v.problems]
    return v.frame


@pytest.fixture
def served(tmp_path):
    """A served file with one site, and its backup folder."""
    target, backups = tmp_path / "structures.csv", tmp_path / "sauvegardes"
    target.write_bytes(_csv(ROW))
    return target, backups


def test_save_keeps_a_checksummed_backup_and_replaces(served):
    target, backups = served
    before = target.read_bytes()
    backup = importer.save_structures(
        _table(ROW.replace("Site A", "Site B")), target, backups, dt.datetime(2021, 4, 1, 9, 30)
    )
    assert backup.read_bytes() == before
    assert backup.name == "structures-20210401-093000-000000.csv"
    assert importer.verify_backup(backup) is None
    assert schema.read_structures(target).frame[s.SITE].tolist() == ["Site B"]
    assert [p.name for p in target.parent.iterdir() if p.suffix == ".tmp"] == []


def test_failed_save_leaves_the_previous_file(served, monkeypatch):
    target, backups = served
    before = target.read_bytes()
    real_replace = os.replace

    def broken_replace(src, dst):
        if str(dst) == str(target):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(importer.SaveError, match="le fichier précédent est conservé") as refused:
        importer.save_structures(_table(ROW.replace("Site A", "Site B")), target, backups)
    assert target.read_bytes() == before
    assert [p for p in target.parent.iterdir() if p.suffix == ".tmp"] == []
    # In French, without the system's English words, and no backup of a save not made.
    assert "disque plein" in str(refused.value) and "No space" not in str(refused.value)
    assert importer.list_backups(backups) == [] and list(backups.glob("*.sha256")) == []


@pytest.mark.parametrize("code", [27, 13, 122])
def test_write_errors_are_said_in_french(code):
    reason = importer.write_error_reason(OSError(code, "File too large"))
    assert reason.split(" (")[0] in {
        "fichier trop grand pour le système de fichiers",
        "droits d'écriture insuffisants",
        "quota de disque dépassé",
    }
    assert "File" not in reason


def test_a_stale_preview_is_refused_with_the_conflict_message(served, tiny_communes):
    """Defect: two officials confirm at once, both see "Import enregistré", one is lost."""
    target, backups = served
    current = importer.read_served(target)
    first = importer.prepare_import(
        _csv(ROW.replace("A1,", "B1,")),
        current.frame,
        tiny_communes,
        base_version=current.version,
        metric_crs="EPSG:2154",
    )
    second = importer.prepare_import(
        _csv(ROW.replace("A1,", "C1,")),
        current.frame,
        tiny_communes,
        base_version=current.version,
        metric_crs="EPSG:2154",
    )
    importer.save_structures(first.new_table, target, backups, expected_version=first.base_version)
    with pytest.raises(importer.ConflictError, match=r"modifié par un autre import à \d\d:\d\d"):
        importer.save_structures(
            second.new_table, target, backups, expected_version=second.base_version
        )
    assert schema.read_structures(target).frame[s.ID].tolist() == ["A1", "B1"]


def _save_after_barrier(target, backups, upload, version, barrier, results):
    from aisnemap.admin import importer as imp
    from aisnemap.domain import schema as sch

    frame = sch.read_structures(target).frame.drop(columns="_ligne")
    new = sch.read_structures(upload).frame
    import pandas as pd

    table = pd.concat([frame, new], ignore_index=True).drop(columns="_ligne")
    barrier.wait()
    try:
        imp.save_structures(table, target, backups, expected_version=version)
        results.put("enregistré")
    except imp.ConflictError as exc:
        results.put(f"conflit : {exc}")


def test_two_processes_saving_the_same_preview_lose_nothing(served):
    """Both processes computed their preview against the same version: exactly one wins."""
    target, backups = served
    version = importer.version_of(target.read_bytes())
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(
            target=_save_after_barrier,
            args=(target, backups, _csv(ROW.replace("A1,", f"{i},")), version, barrier, results),
        )
        for i in ("P1", "P2")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    outcomes = sorted(results.get(timeout=5) for _ in procs)
    assert outcomes[0].startswith("conflit : le fichier des structures a été modifié")
    assert outcomes[1] == "enregistré"
    ids = schema.read_structures(target).frame[s.ID].tolist()
    assert ids in (["A1", "P1"], ["A1", "P2"])


def test_preview_shows_each_modified_field_before_and_after(tiny_communes):
    current = _table(ROW, ROW.replace("A1,", "A2,"))
    upload = _csv(
        ROW.replace("Site A", "Site A'").replace(",non,", ",oui,"), ROW.replace("A1,", "A3,")
    )
    merge = importer.prepare_import(
        upload, current, tiny_communes, importer.MODE_MERGE, metric_crs="EPSG:2154"
    )
    assert (merge.added, merge.modified, merge.removed) == (["A3"], ["A1"], [])
    assert merge.changes == {"A1": [("site", "Site A", "Site A'"), ("itinerant", "non", "oui")]}
    assert merge.totals_before["sites"] == 2 and merge.totals_after["sites"] == 3
    replace = importer.prepare_import(
        upload, current, tiny_communes, importer.MODE_REPLACE, metric_crs="EPSG:2154"
    )
    assert (replace.added, replace.modified, replace.removed) == (["A3"], ["A1"], ["A2"])
    same = importer.prepare_import(_csv(ROW), current, tiny_communes, metric_crs="EPSG:2154")
    assert same.ok and not same.changed and same.changes == {}


def test_unknown_advisor_count_is_counted_as_unknown_not_one(tiny_communes):
    current = _table(ROW)
    upload = _csv(ROW.replace("A1,", "A2,").replace(",2,,,", ",non publié,,,"))
    preview = importer.prepare_import(upload, current, tiny_communes, metric_crs="EPSG:2154")
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview.totals_after["conseillers"] == 2
    assert preview.totals_after["effectif_non_publie"] == 1


def test_unknown_mode(tiny_communes):
    with pytest.raises(ValueError, match="unknown mode"):
        importer.prepare_import(b"", _table(ROW), tiny_communes, "tout", metric_crs="EPSG:2154")


# --- backups ------------------------------------------------------------------------


def _backup_at(backups, when: dt.datetime, content: bytes = b"x"):
    backups.mkdir(exist_ok=True)
    path = backups / f"structures-{when:%Y%m%d-%H%M%S-%f}.csv"
    path.write_bytes(content)
    path.with_name(path.name + ".sha256").write_text(f"{importer.version_of(content)}  x\n")
    return path


def test_rotation_keeps_the_last_ones_and_one_a_day(tmp_path):
    backups = tmp_path / "b"
    now = dt.datetime(2026, 11, 26, 12, 0)
    for day in range(120):  # three a day for 120 days
        for hour in (6, 8, 10):
            _backup_at(backups, now - dt.timedelta(days=day) - dt.timedelta(hours=12 - hour))
    removed = importer.rotate_backups(backups, now, keep_last=5, keep_days=90)
    kept = importer.list_backups(backups)
    # The 5 newest, plus the newest of each of the 90 days (the 5 newest cover 2 days).
    assert len(kept) == 5 + 90 - 2
    assert len(removed) == 360 - len(kept)
    assert len(list(backups.glob("*.sha256"))) == len(kept)


def test_a_truncated_backup_is_flagged_and_refused(served, tiny_communes):
    target, backups = served
    importer.save_structures(_table(ROW.replace("Site A", "Site B")), target, backups)
    [backup] = importer.list_backups(backups)
    backup.write_bytes(backup.read_bytes()[:-20])  # cut, as by a crash without fsync
    assert "tronquée ou modifiée" in importer.verify_backup(backup)
    before = target.read_bytes()
    with pytest.raises(importer.SaveError, match="tronquée ou modifiée"):
        importer.restore_backup(backup, tiny_communes, target, backups, metric_crs="EPSG:2154")
    assert target.read_bytes() == before


def test_restore_refuses_a_file_outside_the_backup_folder(served, tiny_communes, tmp_path):
    target, backups = served
    outside = tmp_path / "ailleurs.csv"
    outside.write_bytes(_csv(ROW))
    with pytest.raises(importer.SaveError, match="seules les sauvegardes du dossier"):
        importer.restore_backup(outside, tiny_communes, target, backups, metric_crs="EPSG:2154")
    with pytest.raises(importer.SaveError, match="seules les sauvegardes du dossier"):
        importer.restore_backup(
            backups / ".." / "structures.csv",
            tiny_communes,
            target,
            backups,
            metric_crs="EPSG:2154",
        )


def test_restore_validates_like_an_import(served, tiny_communes):
    """Defect: a backup with an unknown INSEE code was restored, breaking the public map."""
    target, backups = served
    _backup_at(backups, dt.datetime(2021, 1, 1), _csv(ROW.replace("02001", "02999")))
    [backup] = importer.list_backups(backups)
    with pytest.raises(importer.SaveError, match="code INSEE « 02999 » inconnu"):
        importer.restore_backup(backup, tiny_communes, target, backups, metric_crs="EPSG:2154")


def test_restore_backs_up_the_current_file_first(served, tiny_communes):
    target, backups = served
    importer.save_structures(_table(ROW.replace("Site A", "Site B")), target, backups)
    [backup] = importer.list_backups(backups)
    replaced = target.read_bytes()
    new_backup = importer.restore_backup(
        backup, tiny_communes, target, backups, metric_crs="EPSG:2154"
    )
    assert schema.read_structures(target).frame[s.SITE].tolist() == ["Site A"]
    assert new_backup.read_bytes() == replaced
    assert importer.verify_backup(new_backup) is None


def test_a_lone_checksum_is_removed_and_a_backup_without_one_is_finished(served):
    target, backups = served
    importer.save_structures(_table(ROW.replace("Site A", "Site B")), target, backups)
    [backup] = importer.list_backups(backups)
    (backups / "structures-20200101-000000-000000.csv.sha256").write_text("abc  x\n")
    importer._checksum_path(backup).unlink()  # as a kill right after the backup, before
    importer.clean_temp_files(target, backups)
    assert importer.verify_backup(backup) is None
    assert sorted(p.name for p in backups.iterdir()) == [backup.name, backup.name + ".sha256"]


def test_only_restorable_backups_count_toward_those_kept(tmp_path):
    backups = tmp_path / "b"
    now = dt.datetime(2026, 11, 26, 12, 0)
    good = [_backup_at(backups, now - dt.timedelta(hours=h)) for h in range(3, 6)]
    broken = _backup_at(backups, now - dt.timedelta(hours=1))
    broken.write_bytes(b"tronque")
    importer.rotate_backups(backups, now, keep_last=3, keep_days=0)
    # The three good ones are all kept: the damaged one did not take a place.
    assert set(good) <= set(importer.list_backups(backups))


def test_leftover_temp_files_are_cleaned(served):
    target, backups = served
    backups.mkdir()
    (target.parent / ".structures.csv.abc.tmp").write_text("moitié")
    (backups / ".structures-1.csv.def.tmp").write_text("moitié")
    removed = importer.clean_temp_files(target, backups)
    assert len(removed) == 2
    assert not list(target.parent.glob(".*.tmp")) and not list(backups.glob(".*.tmp"))


# --- command line -------------------------------------------------------------------


def test_cli_import_dry_run_writes_nothing(served, tiny_communes, tmp_path):
    target, backups = served
    upload = tmp_path / "vague2.csv"
    upload.write_bytes(_csv(ROW.replace("A1,", "B1,")))
    before = target.read_bytes()
    outcome = importer.import_file(
        upload, "fusion", False, tiny_communes, target, backups, metric_crs="EPSG:2154"
    )
    assert outcome.code == 0
    assert "ajoutés (1) : B1" in outcome.lines
    assert outcome.lines[-1].startswith("Aperçu seulement : rien n'est écrit")
    assert target.read_bytes() == before
    saved = importer.import_file(
        upload, "fusion", True, tiny_communes, target, backups, metric_crs="EPSG:2154"
    )
    assert saved.code == 0 and saved.lines[-1].startswith("Import enregistré")
    assert schema.read_structures(target).frame[s.ID].tolist() == ["A1", "B1"]


def test_cli_refused_import_exits_non_zero(served, tiny_communes, tmp_path):
    target, backups = served
    upload = tmp_path / "mauvais.csv"
    upload.write_bytes(_csv(ROW.replace("02001", "2001")))
    outcome = importer.import_file(
        upload, "fusion", True, tiny_communes, target, backups, metric_crs="EPSG:2154"
    )
    assert outcome.code == 1
    assert outcome.lines[0] == "Import refusé :"
    assert any("zéro initial perdu" in line for line in outcome.lines)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory, built_data_dir):
    """A private served file for the real command line, on the real built data."""
    folder = tmp_path_factory.mktemp("cli")
    target = folder / "structures.csv"
    target.write_bytes((ROOT / "data" / "structures.csv").read_bytes())
    env = dict(os.environ)
    env.update(
        AISNEMAP_STRUCTURES=str(target),
        AISNEMAP_BACKUP_DIR=str(folder / "sauvegardes"),
        AISNEMAP_DATA_DIR=str(built_data_dir),
    )
    return folder, target, env


def _cli(env, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "aisnemap.admin.importer", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_concurrent_cli_imports_keep_both_rows(cli_env):
    folder, target, env = cli_env
    row = (
        "{id},2,,Nouveau site {id},1,,,Commune de Ribemont,commune,Mairie,,02648,,,,commune,essai,"
    )
    files = []
    for ident in ("V2A", "V2B"):
        path = folder / f"{ident}.csv"
        path.write_text(HEADER + "\n" + row.format(id=ident) + "\n", encoding="utf-8")
        files.append(path)
    procs = [_cli(env, "--import", str(p), "--mode", "fusion", "--oui") for p in files]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    ids = set(schema.read_structures(target).frame[s.ID])
    assert {"V2A", "V2B"} <= ids and len(ids) == 27
    listing = _cli(env, "--list").communicate(timeout=60)[0]
    assert listing.count("vérifiée") == 2


def test_cli_restore_outside_the_backup_folder_fails_in_french(cli_env):
    folder, target, env = cli_env
    proc = _cli(env, "--restore", str(target), "--oui")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "seules les sauvegardes du dossier" in err


def _save_forever(target, backups) -> None:
    """A save after another, until killed (run in a forked child)."""
    frame = schema.read_structures(target).frame.drop(columns="_ligne")
    turn = 0
    while True:
        turn += 1
        frame.loc[frame.index[0], s.SITE] = f"Site {turn}"
        importer.save_structures(frame, target, backups)


def test_forty_kills_during_saves_leave_only_restorable_backups(served):
    """SIGKILL at random moments of saves (backup, checksum, file): after the next command
    every backup listed verifies and no temporary file is left."""
    import random
    import signal
    import time

    target, backups = served
    fork = multiprocessing.get_context("fork")
    chance = random.Random(2026)
    for _ in range(40):
        child = fork.Process(target=_save_forever, args=(target, backups))
        child.start()
        time.sleep(chance.uniform(0.05, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
    importer.clean_temp_files(target, backups)  # what every command does first
    listed = importer.list_backups(backups)
    assert len(listed) > 40
    assert [b.name for b in listed if importer.verify_backup(b) is not None] == []
    assert list(target.parent.glob(".*.tmp")) == [] and list(backups.glob(".*.tmp")) == []
    assert schema.read_structures(target).ok
