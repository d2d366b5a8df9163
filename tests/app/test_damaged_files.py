"""A damaged built file: a French page naming the file by its role, no path, no figure.

Each case copies the session's build, damages one file as a disk, a hand edit or a killed
copy would, and opens the pages. The check is against the build's manifest (size,
SHA-256, rows), so a truncated table can never be read as a smaller département.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from aisnemap import config
from aisnemap.build import pipeline
from aisnemap.domain import programme
from aisnemap.domain.departements import files_for
from aisnemap.french import data_files
from tests.support.apptest import plain
from tests.support.departements import AISNE
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")
FRANCE = str(ROOT / "pages" / "5_France.py")
FILES = files_for(AISNE.code)


@pytest.fixture()
def data_copy(tmp_path, built_data_dir, monkeypatch) -> Path:
    """The session's build (the Aisne and the national view) in a folder of this test."""
    copy = tmp_path / "donnees"
    shutil.copytree(built_data_dir, copy, ignore=shutil.ignore_patterns("departements"))
    monkeypatch.setattr(config, "DATA_DIR", copy)
    return copy


def _truncate(path: Path) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40)


def _no_columns(path: Path) -> None:
    path.write_text("\n\n\n", encoding="utf-8")


def _one_figure_changed(path: Path) -> None:
    """Same rows and columns, one post count edited by hand: only the checksum sees it."""
    import pandas as pd

    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[0, "postes"] = str(int(table.loc[0, "postes"]) + 7)
    table.to_csv(path, index=False, lineterminator="\n")


def _not_geojson(path: Path) -> None:
    path.write_text("<html><body>Erreur 502</body></html>", encoding="utf-8")


def _page_text(at: AppTest) -> str:
    kinds = ("title", "markdown", "caption", "error", "warning", "info", "success", "metric")
    parts = []
    for kind in kinds:
        for element in at.get(kind):
            value = getattr(element, "value", "")
            parts.append(plain(str(value)))
            parts.append(str(getattr(element, "label", "")))
    return " ".join(parts)


def _assert_french_message_without_path(at: AppTest, folder: Path, name: str, role: str):
    assert not at.exception
    shown = _page_text(at)
    errors = " ".join(plain(e.value) for e in at.error)
    assert data_files.damaged_file(role) in errors
    for leak in (str(folder), name, "GDAL", "not recognized", "Traceback", "Error"):
        assert leak not in shown, leak


@pytest.mark.parametrize("damage", [_truncate, _binary, _no_columns, _one_figure_changed])
def test_a_damaged_posts_table_gives_no_figure_and_leaves_the_france_page(data_copy, damage):
    damage(data_copy / FILES.posts)
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    role = data_files.file_role(FILES.posts)
    _assert_french_message_without_path(at, data_copy, FILES.posts, role)
    # No figure rather than a wrong one: the map and its key figures are not drawn.
    assert len(at.metric) == 0
    # The national page reads its own files: it still works, with its figures.
    at.switch_page(FRANCE).run()
    assert not at.exception
    assert len(at.metric) > 0


def test_a_truncated_national_table_is_said_not_counted(data_copy):
    from aisnemap.domain.france import TABLE_FILE, france_dir

    _truncate(france_dir(data_copy) / TABLE_FILE)
    at = AppTest.from_file(FRANCE, default_timeout=120).run()
    role = data_files.file_role(TABLE_FILE)
    _assert_french_message_without_path(at, data_copy, TABLE_FILE, role)
    assert len(at.metric) == 0  # never « 1 439 postes » from the lines left


def test_contours_that_are_not_geojson_are_named_by_their_role(data_copy):
    _not_geojson(data_copy / FILES.exact.communes)
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    role = data_files.file_role(FILES.exact.communes)
    assert role == "les contours des communes"
    _assert_french_message_without_path(at, data_copy, FILES.exact.communes, role)
    assert len(at.metric) == 0


def test_a_build_with_a_missing_source_fails_and_is_not_marked_built(tmp_path, capsys, monkeypatch):
    """Without the national list the Nord would read « aucun poste validé »: the build
    stops (exit 1) and writes nothing, so no visitor is told a wrong zero."""
    sources = tmp_path / "programme"
    sources.mkdir()
    for path in config.PROGRAMME_DIR.iterdir():
        if path.name != programme.LIST_FILE:
            (sources / path.name).symlink_to(path)
    monkeypatch.setattr(config, "PROGRAMME_DIR", sources)
    out = tmp_path / "nord"
    assert pipeline.main(["--departement", "59", "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "fichier source manquant" in error and programme.LIST_FILE in error
    assert not pipeline.is_built(out, department="59")
    assert not (out / config.MANIFEST_FILE).exists()
