"""The wave-2 import page through AppTest, on a temporary copy of structures.csv."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from aisnemap import config, texts
from tests.conftest import FIXTURES
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")
IMPORT_PAGE = str(ROOT / "pages/3_Import.py")
CORPUS = FIXTURES / "corpus"
SECRET = "correct horse battery staple"


@pytest.fixture
def served(tmp_path, monkeypatch, built_data_dir):
    """A private copy of the served table, and the admin secret configured."""
    target = tmp_path / "structures.csv"
    shutil.copy(config.STRUCTURES_CSV, target)
    monkeypatch.setattr(config, "STRUCTURES_CSV", target)
    monkeypatch.setattr(config, "BACKUP_DIR", tmp_path / "sauvegardes")
    monkeypatch.setenv("AISNEMAP_ADMIN_SECRET", SECRET)
    return target


def _import_page(secret: str | None = SECRET) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.switch_page(IMPORT_PAGE).run()
    if secret is not None:
        at.text_input("import_secret").input(secret)
        at.button[0].click().run()  # the form's submit button
    return at


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_page_is_closed_without_a_secret(served, monkeypatch):
    monkeypatch.delenv("AISNEMAP_ADMIN_SECRET")
    at = _import_page(secret=None)
    assert not at.exception
    assert any(texts.IMPORT_CLOSED in i.value for i in at.info)
    assert len(at.get("file_uploader")) == 0


def test_wrong_secret_is_refused_and_reveals_nothing(served):
    at = _import_page("mauvais")
    assert [e.value for e in at.error] == [texts.IMPORT_REFUSED]
    assert len(at.get("file_uploader")) == 0


def test_import_a_new_site_then_see_it_on_the_map(served):
    at = _import_page()
    assert not at.exception
    new = (CORPUS / "utf8_bom.csv").read_bytes()
    at.get("file_uploader")[0].set_value(("vague2.csv", new, "text/csv")).run()
    assert not at.exception
    metrics = {m.label: (m.value, m.proto.delta) for m in at.metric}
    assert metrics[texts.FIG_SITES] == ("26", "1")
    assert metrics[texts.FIG_ADVISORS] == ("33", "1")
    assert any("W01" in m.value for m in at.markdown)
    before = served.read_bytes()
    at.button("import_confirmer").click().run()
    assert not at.exception
    assert any("Import enregistré" in s.value for s in at.success)
    backups = list((served.parent / "sauvegardes").glob("*.csv"))
    assert len(backups) == 1 and backups[0].read_bytes() == before

    home = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert {m.label: m.value for m in home.metric}[texts.FIG_SITES] == "26"
    assert home.multiselect("f_vague").options == ["Vague 1", "Vague 2"]


MANIFEST = json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(k for k in MANIFEST if k.endswith(".csv")))
def test_every_corpus_file_is_handled_without_changing_the_data(served, name):
    before = _digest(served)
    at = _import_page()
    at.get("file_uploader")[0].set_value((name, (CORPUS / name).read_bytes(), "text/csv")).run()
    assert not at.exception
    expected = MANIFEST[name]["attendu"]
    if expected == "ACCEPTÉ":
        assert len(at.button) >= 1 and at.button("import_confirmer")
    else:
        shown = " ".join(str(df.value.to_dict()) for df in at.dataframe) + " ".join(
            e.value for e in at.error
        )
        assert expected in shown
    assert _digest(served) == before
