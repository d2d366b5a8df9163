"""Every département from the same app (issue 13): the server's département
(``AISNEMAP_DEPARTEMENT``), another one by URL (``?dep=``), the France page, bad codes and
a département without posts."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from aisnemap import config, integrity
from aisnemap.domain.departements import department_dir, files_for
from aisnemap.french import texts
from tests.support.apptest import map_args, metrics, page_title, plain
from tests.support.departements import AISNE
from tests.support.server import ROOT

DASHBOARD = str(ROOT / "dashboard.py")
NBSP = "\u202f"


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _errors(at: AppTest) -> str:
    return " ".join(plain(e.value) for e in at.error)


@pytest.fixture
def nord_server(built_departements, monkeypatch):
    monkeypatch.setenv("AISNEMAP_DEPARTEMENT", "59")


def test_the_nord_on_its_own_server_at_the_list_date(nord_server):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["au"] = "2023-04-05"
    _run(at)
    assert page_title(at) == "Conseillers numériques dans le Nord"
    m = metrics(at)
    assert m[texts.FIG_POSTS] == "121"
    assert m[texts.FIG_POPULATION] == f"2{NBSP}608{NBSP}346"
    # No announcement in the Nord: no reading switch, no import or reconciliation page.
    assert not [r for r in at.sidebar.radio if r.label == texts.LABEL_READING]
    assert "Aisne" not in " ".join(c.value for c in at.caption)
    # The map is the Nord's: its communes' names, not the Aisne's.
    script = map_args(at)["script"]
    assert "Roubaix" in script and "Laon" not in script


def test_the_nord_without_a_date_reads_the_list_at_its_last_date(nord_server):
    at = _run(AppTest.from_file(DASHBOARD, default_timeout=120))
    assert metrics(at)[texts.FIG_POSTS] == "121"
    assert at.query_params["au"] == "2023-04-05"


def test_an_earlier_date_counts_fewer_posts(nord_server):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["au"] = "2021-06-30"
    _run(at)
    assert 0 < int(metrics(at)[texts.FIG_POSTS].replace(NBSP, "")) < 121


def test_another_departement_by_url_on_the_aisne_server(built_departements):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["dep"] = "2a"
    _run(at)
    assert page_title(at) == "Conseillers numériques en Corse-du-Sud"
    assert at.query_params["dep"] == "2A"
    posts = int(metrics(at)[texts.FIG_POSTS].replace(NBSP, ""))
    # From the national file itself (not the national build): its 13 rows of « 2A ».
    source = pd.read_csv(
        config.PROGRAMME_DIR / "cnfs-structures-2023-04-05.csv", sep=";", dtype=str
    )
    rows = source.loc[source["Code département"] == "2A"]
    expected = int(rows["Nombre de conseillers validés par le COSELEC"].astype(int).sum())
    assert posts == expected == 16


def test_an_unknown_code_is_said_in_french_and_the_aisne_is_shown(built_departements):
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["dep"] = "99"
    _run(at)
    assert "Département inconnu : « 99 ». Codes valides : 01, 02" in _errors(at)
    assert page_title(at) == texts.app_title(AISNE)
    assert metrics(at)[texts.FIG_ADVISORS] == "32"


def test_a_departement_without_posts_shows_an_empty_state(
    built_departements, tmp_path, monkeypatch
):
    """La Réunion's build with a national list emptied: its map, a message, no crash."""
    data = tmp_path / "donnees"
    folder = department_dir("974", data)
    shutil.copytree(department_dir("974"), folder)
    posts = folder / files_for("974").posts
    emptied = posts.read_text(encoding="utf-8").splitlines()[0] + "\n"
    posts.write_text(emptied, encoding="utf-8")
    # As a build from a list without any post there records it (else: a damaged file).
    manifest = json.loads((folder / config.MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest[integrity.FILES_KEY][posts.name] = integrity.describe(posts.name, emptied)
    (folder / config.MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(config, "DATA_DIR", data)
    monkeypatch.setenv("AISNEMAP_DEPARTEMENT", "974")
    at = _run(AppTest.from_file(DASHBOARD, default_timeout=120))
    assert page_title(at) == "Conseillers numériques à La Réunion"
    assert "Aucun poste de conseiller numérique validé à La Réunion" in " ".join(
        i.value for i in at.info
    )
    assert "Saint-Denis" in map_args(at)["script"]  # the island's map, without sites
    assert not at.error


def test_the_france_page_counts_every_post_and_opens_a_departement(built_departements):
    at = _run(AppTest.from_file(DASHBOARD, default_timeout=120))
    at.switch_page("pages/5_France.py")
    _run(at)
    assert page_title(at) == texts.FRANCE_TITLE
    m = metrics(at)
    assert m[texts.FRANCE_FIG_POSTS] == f"3{NBSP}922"  # 3 925 posts minus Saint-Martin's 3
    table = at.table[0].value
    table.columns = [plain(c) for c in table.columns]
    assert len(table) == 101
    nord = table.loc[table[texts.FRANCE_COLUMNS["code"]] == "59"].iloc[0]
    assert nord[texts.FRANCE_COLUMNS["postes"]] == "121"
    assert nord[texts.FRANCE_COLUMNS["population"]] == f"2{NBSP}608{NBSP}346"
    assert nord[texts.FRANCE_COLUMNS["pour_10000"]] == "0,46"
    # The France atlas is offered at the date chosen, a page per département.
    [atlas] = [b for b in at.button if b.key == "atlas_france"]
    assert atlas.label == texts.ATLAS_FRANCE_MAKE.format(n=101)
    # An earlier date colours fewer posts.
    at.select_slider(key="france_au").set_value(dt.date(2021, 3, 24))
    _run(at)
    assert int(metrics(at)[texts.FRANCE_FIG_POSTS].replace(NBSP, "")) < 3922
    # Opening the Nord from the page shows its map at the list's date.
    at.select_slider(key="france_au").set_value(dt.date(2023, 4, 5))
    at.selectbox(key="france_departement").set_value("59")
    at.button(key="france_ouvrir").click()
    _run(at)
    assert page_title(at) == "Conseillers numériques dans le Nord"
    assert metrics(at)[texts.FIG_POSTS] == "121"


@pytest.mark.parametrize("page", ["pages/1_Territoires.py", "pages/2_Couverture.py"])
def test_the_nord_pages_work_without_an_announcement(nord_server, page):
    at = _run(AppTest.from_file(DASHBOARD, default_timeout=180))
    at.switch_page(page)
    _run(at)
    assert not at.error
    assert "Aisne" not in " ".join(plain(c.value) for c in at.caption)
    assert len(at.table) >= 1 and len(at.table[0].value) > 1


def test_the_france_page_names_national_sources_only(built_departements):
    at = _run(AppTest.from_file(DASHBOARD, default_timeout=120))
    at.switch_page("pages/5_France.py")
    _run(at)
    assert texts.FRANCE_SOURCES in [c.value for c in at.caption]
    assert "préfecture" not in " ".join(c.value for c in at.caption)


def test_a_nord_print_names_the_nord_and_not_the_aisne(built_departements):
    """The PDF of the Nord: its title, creator and sources; no word of the Aisne."""
    import io

    from pypdf import PdfReader

    from aisnemap.domain.filters import Filters
    from aisnemap.render import export, printing
    from aisnemap.ui.data import load_app_data

    data = load_app_data(department="59")
    view = Filters(au=data.readings.dates[-1])
    doc = printing.map_document(
        data.territory,
        data.sites,
        view,
        data.readings.options(view.au),
        data.national.unplaced,
        context=data.context,
    )
    reader = PdfReader(io.BytesIO(printing.map_pdf(doc)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title == "Conseillers numériques dans le Nord"
    assert reader.metadata.creator == "Tableau de bord des conseillers numériques du Nord"
    assert "Aisne" not in text and "préfecture de" not in text
    assert export.export_basename(department=data.department.name).startswith(
        "conseillers-numeriques-nord-departement-"
    )


#: What the Aisne's announcement says, written by hand from ../shared/seed: none of it may
#: appear on a page of a département without an announcement.
ANNOUNCEMENT_WORDS = ("Aisne", "18/03/2021", "18 mars 2021", "50\u202f000", "50 000", "communiqué")


def _page_text(at: AppTest) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
    parts = [plain(e.value) for kind in kinds for e in at.get(kind)]
    parts += [m.label + " " + m.value for m in at.metric]
    parts += [e.label for e in at.expander]
    return " ".join(parts)


@pytest.mark.parametrize("code", ["59", "2A", "974"])
@pytest.mark.parametrize(
    "page", [None, "pages/1_Territoires.py", "pages/2_Couverture.py"], ids=["carte", "ter", "cou"]
)
def test_no_page_of_another_departement_quotes_the_aisne_announcement(
    built_departements, code, page
):
    at = AppTest.from_file(DASHBOARD, default_timeout=180)
    at.query_params["dep"] = code
    _run(at)
    if page:
        at.switch_page(page)
        _run(at)
    text = _page_text(at)
    assert texts.FIG_POSTS in text or page  # the map page reads the national list
    for word in ANNOUNCEMENT_WORDS:
        assert word not in text, (code, page, word)


def test_a_date_before_a_departements_first_committee_shows_no_post_and_says_why(
    built_departements,
):
    """Haute-Corse's first committee is the 28/04/2021 (its rows of the national list):
    on 31/03/2021 it had no post; the date is kept, never moved to that committee."""
    source = pd.read_csv(
        config.PROGRAMME_DIR / "cnfs-structures-2023-04-05.csv", sep=";", dtype=str
    )
    dates = pd.to_datetime(
        source.loc[source["Code département"] == "2B", "Date de validation en comité de sélection"],
        dayfirst=True,
    )
    assert dates.min().date() == dt.date(2021, 4, 28)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["dep"] = "2B"
    at.query_params["au"] = "2021-03-31"
    _run(at)
    assert at.query_params["au"] == "2021-03-31"
    assert metrics(at)[texts.FIG_POSTS] == "0"
    assert "premier comité de sélection date du 28/04/2021" in " ".join(i.value for i in at.info)


def test_the_france_page_opens_a_departement_at_the_exact_date(built_departements):
    at = _run(AppTest.from_file(DASHBOARD, default_timeout=120))
    at.switch_page("pages/5_France.py")
    _run(at)
    at.select_slider(key="france_au").set_value(dt.date(2021, 3, 24))
    at.selectbox(key="france_departement").set_value("2B")
    at.button(key="france_ouvrir").click()
    _run(at)
    assert at.query_params["au"] == "2021-03-24"
    assert metrics(at)[texts.FIG_POSTS] == "0"


def test_the_declared_activity_of_a_departement_is_on_its_page(built_departements):
    """The Nord's declared activity, per 10 000 inhabitants: from the activity file and the
    Etalab population directly."""
    import json

    activity = json.loads(
        (config.PROGRAMME_DIR / "cnfs-activite-departements-2024-02-22.json").read_text()
    )
    [nord] = [e for e in activity if e["departement"] == "59"]
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["dep"] = "59"
    _run(at)
    [table] = [
        t.value for t in at.table if texts.ACT_TOTAL_COLUMNS[0] in map(plain, t.value.columns)
    ]
    m = dict(zip(map(plain, table.iloc[:, 0]), map(plain, table.iloc[:, 1]), strict=True))
    assert m[texts.ACT_USAGERS] == f"{nord['usagers']:,}".replace(",", NBSP)
    per = round(nord["usagers"] / 2_608_346 * 10_000)
    assert m[texts.ACT_PER_10000] == f"{per:,}".replace(",", NBSP)
    assert any("déclarés" in c.value and "pas des habitants" in c.value for c in at.caption)
