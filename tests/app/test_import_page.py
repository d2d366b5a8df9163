"""The wave-2 import page through AppTest, on a temporary copy of structures.csv."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from aisnemap import config
from aisnemap.domain import schema
from aisnemap.french import texts
from tests.conftest import FIXTURES
from tests.data.test_corpus import CSV_CASES, corpus_bytes
from tests.support.apptest import markdown_leaks, plain, read_table
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")
IMPORT_PAGE = str(ROOT / "pages/3_Import.py")
CORPUS = FIXTURES / "corpus"
SECRET = "correct horse battery staple"


@pytest.fixture
def served(tmp_path, monkeypatch, built_data_dir):
    """A private copy of the served table, the admin secret configured, a fresh counter."""
    target = tmp_path / "structures.csv"
    shutil.copy(config.STRUCTURES_CSV, target)
    monkeypatch.setattr(config, "STRUCTURES_CSV", target)
    monkeypatch.setattr(config, "BACKUP_DIR", tmp_path / "sauvegardes")
    monkeypatch.setattr(config, "STATE_DIR", tmp_path)
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
    """No secret: the import is not in the menu, and its page (run from its file, as the
    legacy pages/ mode can) says it is closed without naming the setting."""
    monkeypatch.delenv("AISNEMAP_ADMIN_SECRET")
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(IMPORT_PAGE)
    page = AppTest.from_file(IMPORT_PAGE, default_timeout=120).run()
    assert not page.exception
    assert any(texts.IMPORT_CLOSED in i.value for i in page.info)
    assert len(page.get("file_uploader")) == 0
    shown = " ".join(str(e.value) for e in [*page.info, *page.markdown, *page.caption])
    assert "admin_secret" not in shown and "AISNEMAP_ADMIN_SECRET" not in shown


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
    assert any("W01" in plain(m.value) for m in at.markdown)
    before = served.read_bytes()
    at.button("import_confirmer").click().run()
    assert not at.exception
    assert any("Import enregistré" in s.value for s in at.success)
    backups = list((served.parent / "sauvegardes").glob("*.csv"))
    assert len(backups) == 1 and backups[0].read_bytes() == before

    home = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert {m.label: m.value for m in home.metric}[texts.FIG_SITES] == "26"
    # The subtitle reads its numbers from the data, and says a later wave came in.
    assert "les 33 conseillers numériques des 26 sites" in home.caption[0].value
    assert "vagues suivantes" in home.caption[0].value
    assert home.multiselect("f_vague").options == ["Vague 1", "Vague 2"]


MANIFEST = json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CSV_CASES)
def test_every_corpus_file_is_handled_without_changing_the_data(served, name):
    before = _digest(served)
    at = _import_page()
    at.get("file_uploader")[0].set_value((name, corpus_bytes(name), "text/csv")).run()
    assert not at.exception
    expected = MANIFEST[name]["attendu"]
    if expected == "ACCEPTÉ":
        assert len(at.button) >= 1 and at.button("import_confirmer")
    else:
        shown = " ".join(str(read_table(at, i).to_dict()) for i in range(len(at.table))) + " ".join(
            plain(e.value) for e in at.error
        )
        assert expected in shown
    assert _digest(served) == before


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.get("file_uploader")[0].set_value((name, content, "text/csv")).run()
    assert not at.exception
    return at


def _new_site(ident: str) -> bytes:
    header = (CORPUS / "utf8_bom.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    row = f"{ident},2,,Site {ident},1,,,Commune de Ribemont,commune,Mairie,,02648,,,,commune,essai,"
    return f"{header}\n{row}\n".encode()


def test_two_sessions_confirming_at_once_lose_nothing(served):
    """Defect: both saw "Import enregistré" and one import was gone."""
    first, second = _import_page(), _import_page()
    _upload(first, "a.csv", _new_site("V2A"))
    _upload(second, "b.csv", _new_site("V2B"))
    first.button("import_confirmer").click().run()
    assert any("Import enregistré" in s.value for s in first.success)
    second.button("import_confirmer").click().run()
    assert not second.success
    [error] = [plain(e.value) for e in second.error]
    assert "modifié par un autre import à" in error and "rechargez l'aperçu" in error
    ids = set(schema.read_structures(served).frame[schema.ID])
    assert "V2A" in ids and "V2B" not in ids
    # Reloading the preview compares against the new file; then it saves.
    second.button("import_recharger").click().run()
    assert [m.value for m in second.metric][0] == "27"
    second.button("import_confirmer").click().run()
    assert any("Import enregistré" in s.value for s in second.success)
    assert {"V2A", "V2B"} <= set(schema.read_structures(served).frame[schema.ID])


def test_preview_lists_each_changed_field(served):
    at = _import_page()
    modified = served.read_text(encoding="utf-8").replace(
        "Médiathèque Jean Macé (une des 5 permanences de la ville)", "Médiathèque Jean Macé"
    )
    _upload(at, "modifie.csv", modified.encode())
    tables = [read_table(at, i) for i in range(len(at.table))]
    [changes] = [df for df in tables if "Avant" in df.columns]
    assert changes.to_dict("records") == [
        {
            "Site": "L14",
            "Colonne": "site",
            "Avant": "Médiathèque Jean Macé (une des 5 permanences de la ville)",
            "Après": "Médiathèque Jean Macé",
        }
    ]


def test_markdown_and_math_from_the_data_stay_literal(served):
    """Defect: an image from another host was fetched, a link was clickable, $…$ rendered."""
    at = _import_page()
    for name in ("markdown_partout.csv", "markdown_entete.csv"):
        _upload(at, name, (CORPUS / name).read_bytes())
        assert markdown_leaks(at) == []
    at.button("import_confirmer").click().run()
    assert any("Import enregistré" in s.value for s in at.success)
    home = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert not home.exception
    for page in ("pages/1_Territoires.py", "pages/2_Couverture.py"):
        home.switch_page(str(ROOT / page)).run()
        assert not home.exception and markdown_leaks(home) == []


def test_download_and_restore_a_backup_from_the_page(served):
    at = _import_page()
    assert at.get("download_button")  # the served file can be downloaded
    original = served.read_bytes()
    _upload(at, "a.csv", _new_site("V2A"))
    at.button("import_confirmer").click().run()
    at = _import_page()
    [label] = [o for o in at.selectbox("import_sauvegarde").options]
    assert label.endswith("— vérifiée")
    at.button("import_voir_restauration").click().run()
    assert any("V2A" in plain(m.value) for m in at.markdown)  # "Retirés (1) : V2A"
    at.button("import_restaurer").click().run()
    assert any("Sauvegarde restaurée" in s.value for s in at.success)
    assert served.read_bytes() == original


def test_failed_tries_delay_every_session(served):
    """Defect: 5 tries per session, so reloading gave 25 tries in 42 s."""
    for _ in range(3):
        _import_page("mauvais")
    fresh = _import_page(secret=None)
    [message] = [e.value for e in fresh.error]
    assert message.startswith("Essai refusé : attendez")
    assert "recharg" not in message
    assert [t.key for t in fresh.get("text_input")] == ["f_recherche"]  # no secret field
