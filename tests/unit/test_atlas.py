"""Atlases: a département's (a fiche per EPCI or arrondissement) and the France one.

Built once per module (an EPCI atlas of the Aisne is 20 fiches); the checks read the PDF
as a person would: its pages, their titles, the summary and each page's figures, which
must be the figures of the single fiche of the same territory.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace

import geopandas as gpd
import pytest
from pypdf import PdfReader

from aisnemap.domain import filters, france
from aisnemap.french import texts
from aisnemap.render import atlas, printing

TODAY = dt.date(2026, 12, 2)
#: Every page's footer in an atlas: « Page k / N ».
PAGE_FOOTER = "Page {k} / {n}"


def _texts(raw: bytes) -> list[str]:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages]
    return [p.replace("\u202f", " ").replace("\xa0", " ") for p in pages]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def options(sites):
    return filters.options_from(sites)


@pytest.fixture(scope="module")
def progress_calls():
    return []


@pytest.fixture(scope="module")
def epci_atlas(territory, sites, options, aisne, progress_calls):
    raw = atlas.department_atlas(
        territory,
        sites,
        filters.Filters(),
        options,
        "epci",
        context=aisne,
        today=TODAY,
        progress=lambda done, total, name: progress_calls.append((done, total, name)),
    )
    return raw, _texts(raw)


def test_the_epci_atlas_has_a_cover_a_summary_and_the_twenty_epci(epci_atlas, territory):
    raw, pages = epci_atlas
    reader = PdfReader(io.BytesIO(raw))
    names = [name for _, name in atlas.territories_of(territory.communes, "epci")]
    assert len(names) == 20  # the Aisne's EPCI in the COG 2021 (see test_reference)
    cover = " ".join(_lines(pages[0]))
    assert "Atlas des conseillers numériques de l'Aisne, par EPCI" in cover
    assert "20 EPCI" in cover
    assert texts.ATLAS_SUMMARY in pages[1]
    # A bookmark per EPCI, in the summary's order, each on the page that names it.
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _ in marks[1:]] == names
    for title, index in marks[1:]:
        assert title in _lines(pages[index]) and texts.BANDS_TITLE in pages[index]
    # Every page numbered out of the total.
    n = len(pages)
    for k, text in enumerate(pages, start=1):
        assert PAGE_FOOTER.format(k=k, n=n) in text
    assert reader.metadata.title.startswith("Atlas des conseillers numériques de l'Aisne")


def test_the_summary_gives_each_epcis_page_and_figures(epci_atlas, territory):
    _, pages = epci_atlas
    summary = " ".join(_lines(pages[1]))
    for name in ("CA du Pays de Laon", "CC Thiérache Sambre et Oise"):
        assert name in summary
    # The summary's page for the Laon agglomeration is the page titled with its name.
    row = next(line for line in _lines(pages[1]) if line.startswith("CA du Pays de Laon"))
    page = int(row.split()[-1])
    assert "CA du Pays de Laon" in _lines(pages[page - 1])
    assert texts.BANDS_TITLE in pages[page - 1]


@pytest.mark.parametrize("name", ["CA du Pays de Laon", "CC de la Thiérache du Centre"])
def test_an_atlas_page_is_the_single_fiche_of_its_epci(
    name, epci_atlas, territory, sites, options, aisne
):
    _, pages = epci_atlas
    code = dict((n, c) for c, n in atlas.territories_of(territory.communes, "epci"))[name]
    chosen = replace(filters.Filters(), epci=code)
    doc = printing.map_document(territory, sites, chosen, options, today=TODAY, context=aisne)
    single = _texts(printing.territory_sheet(printing.sheet_document(doc, sites, chosen)))
    page = next(i for i, text in enumerate(pages) if name in _lines(text) and i > 1)
    atlas_lines = _lines(pages[page])
    # Same words and figures, same order; the atlas only adds its page number.
    assert [line for line in atlas_lines if not line.startswith("Page ")] == _lines(single[0])
    assert any(texts.FIG_ADVISORS in line for line in atlas_lines)


def test_progress_is_reported_once_per_epci(epci_atlas, progress_calls):
    assert [done for done, _, _ in progress_calls] == list(range(1, 21))
    assert {total for _, total, _ in progress_calls} == {20}


def test_an_arrondissement_atlas_with_a_date_of_situation(territory, sites, options, aisne):
    au = dt.date(2023, 4, 5)
    raw = atlas.department_atlas(
        territory,
        sites,
        replace(filters.Filters(), au=au, arrondissement="025"),  # its territory is ignored
        options,
        "arrondissement",
        context=aisne,
        today=TODAY,
    )
    pages = _texts(raw)
    titles = [
        line for p in pages[2:] for line in _lines(p) if line.startswith("Arrondissement de ")
    ]
    expected = [f"Arrondissement de {n}" for n in texts_sorted_arrondissements(territory)]
    assert titles == expected
    assert "05/04/2023" in pages[0] and "05/04/2023" in pages[2]


def texts_sorted_arrondissements(territory) -> list[str]:
    return [name for _, name in atlas.territories_of(territory.communes, "arrondissement")]


@pytest.fixture(scope="module")
def national(built_data_dir):
    nat = france.load_table(built_data_dir / france.FOLDER)
    shapes = gpd.GeoDataFrame.from_features(json.loads(nat.outlines)["features"])
    return nat, shapes


def test_the_france_atlas_has_a_page_per_departement_with_its_figures(national):
    nat, shapes = national
    au = dt.date(2022, 6, 1)
    frame = france.situation(nat.table, nat.posts, au)
    assert len(frame) == 101
    # Twelve départements (metropolitan, Corsica, overseas): the page rule is the same for
    # the 101; bench/atlas.py makes and times the whole atlas.
    chosen = frame.loc[
        frame["code"].isin(
            ["01", "02", "2A", "2B", "59", "60", "75", "971", "972", "973", "974", "976"]
        )
    ]
    calls = []
    raw = atlas.france_atlas(
        chosen, nat.posts, shapes, au, today=TODAY, progress=lambda *a: calls.append(a)
    )
    pages = _texts(raw)
    assert len(pages) == 1 + 1 + len(chosen)  # cover, summary, a page each
    assert len(calls) == len(chosen)
    for (_, row), text in zip(chosen.sort_values("code").iterrows(), pages[2:], strict=True):
        lines = _lines(text)
        assert f"{row['nom']} ({row['code']})" in lines
        assert f"{texts.FRANCE_FIG_POSTS} : {int(row['postes'])}" in lines
        assert "01/06/2022" in text
    aisne = chosen.loc[chosen["code"] == "02"].iloc[0]
    posts_02 = int(
        nat.posts.loc[(nat.posts["code"] == "02") & (nat.posts["date"] <= au), "postes"].sum()
    )
    assert int(aisne["postes"]) == posts_02 > 0
    summary = _lines(pages[1])
    row = next(line for line in summary if line.startswith("Aisne (02)"))
    assert row.split()[2] == str(posts_02) and row.split()[-1] == "4"
