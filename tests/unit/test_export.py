"""Exports: PNG/PDF rendered server-side, CSV for French Excel, XLSX, GeoJSON, HTML."""

from __future__ import annotations

import datetime as dt
import io
import json

import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from aisnemap import export, filters, maps, style
from aisnemap import schema as s
from tests.support.decoding import png_has_colour


@pytest.fixture(scope="module")
def static_layers(territory) -> export.StaticLayers:
    d = territory.display
    return export.StaticLayers(d["communes"], d["epci"], d["arrondissements"], d["department"])


@pytest.fixture(scope="module")
def figure(static_layers, sites, territory):
    options = filters.options_from(sites)
    return export.render_map_figure(
        static_layers,
        sites,
        territory.communes,
        "Titre",
        ["tout le département"],
        options.service_types,
        dt.date(2026, 11, 26),
    )


def test_png_is_large_not_blank_and_has_the_site_colours(figure, sites):
    png = export.figure_bytes(figure, "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1600
    assert image.width / image.height == pytest.approx(11.69 / 8.27, rel=0.01)
    pixels = image.convert("L").getextrema()
    assert pixels[0] < 50 and pixels[1] > 240  # dark text on a white page
    colours = style.service_colours(sorted(sites[s.SERVICE_TYPE].unique()))
    for service in ("France Services", "Tiers-lieu", "UTAS"):
        assert png_has_colour(png, colours[service]), service


def test_pdf_is_one_a4_landscape_page_with_the_sources(figure):
    reader = PdfReader(io.BytesIO(export.figure_bytes(figure, "pdf")))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = reader.pages[0].extract_text()
    assert "IGN ADMIN EXPRESS" in text and "Export du 26/11/2026" in text


def test_unknown_figure_format(figure):
    with pytest.raises(ValueError, match="unsupported format"):
        export.figure_bytes(figure, "gif")


def test_csv_for_french_excel_round_trips(sites):
    table = export.export_table(sites)
    raw = export.csv_excel_bytes(table)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Id;Lauréat;Site;")
    back = pd.read_csv(
        io.BytesIO(raw), sep=";", decimal=",", dtype={"Code INSEE": str}, encoding="utf-8-sig"
    )
    assert back["Code INSEE"].tolist() == table["Code INSEE"].tolist()
    assert back["Code INSEE"].str.len().eq(5).all()
    assert "Hôtel du Département" in back["Site"].tolist()
    assert back["Latitude"].dtype == float and back["Latitude"].between(48.8, 50.2).all()
    # D01, Hôtel du Département: 49.56429, 3.621 in structures.csv, decimal comma here.
    assert ";49,56429;3,621\r\n" in text  # last columns of the D01 row


def test_csv_also_opens_in_the_windows_excel_encoding(sites):
    text = export.csv_excel_bytes(export.export_table(sites)).decode("utf-8-sig")
    assert text.encode("cp1252", errors="strict")  # accents representable for legacy Excel


def test_formula_cells_are_neutralised(sites):
    hostile = sites.copy()
    hostile.loc[hostile.index[0], s.SITE] = '=HYPERLINK("http://x","clic")'
    hostile.loc[hostile.index[1], s.OPERATOR] = "+1+1"
    table = export.export_table(hostile)
    assert '\'=HYPERLINK("http://x","clic")' in table["Site"].tolist()
    assert "'+1+1" in table["Opérateur"].tolist()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.xlsx_bytes(table))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://x","clic")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_xlsx_keeps_insee_codes_as_text(sites):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.xlsx_bytes(export.export_table(sites)))).active
    header = [c.value for c in sheet[1]]
    column = header.index("Code INSEE")
    codes = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert len(codes) == 25 and all(isinstance(c, str) and c.startswith("02") for c in codes)


def test_geojson_of_the_filtered_sites(sites):
    shown = filters.apply_filters(sites, filters.Filters(arrondissement="023"))
    data = json.loads(export.geojson_bytes(shown))
    assert len(data["features"]) == 7
    assert {f["properties"]["code_insee"] for f in data["features"]} >= {"02691"}
    assert gpd.read_file(io.BytesIO(export.geojson_bytes(shown))).crs.to_epsg() == 4326


def test_standalone_html_has_leaflet_inlined(sites, territory):
    d = territory.display
    layers = maps.prepare_layers(d["communes"], d["epci"], d["arrondissements"], d["department"])
    fmap = maps.build_map(layers, sites, maps.bounds_of(territory.communes))
    html = export.standalone_html(fmap).decode("utf-8")
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert "L.circleMarker" in html and "leaflet-container" in html
    assert "url(data:image/png;base64," in html


def test_text_from_the_data_is_drawn_literally_never_as_a_formula(static_layers, sites, territory):
    """Defect: a service type with $…$ stopped the PNG and PDF exports for every visitor."""
    hostile = "Espace $x^2$ _a_ {b} \\frac 🙂 " + "très long nom " * 8
    shown = sites.copy()
    shown.loc[shown.index[0], s.SERVICE_TYPE] = hostile
    fig = export.render_map_figure(
        static_layers,
        shown,
        territory.communes,
        "Titre $1$",
        [f"service : {hostile}"],
        [hostile, *sorted(set(sites[s.SERVICE_TYPE]))],
        dt.date(2026, 11, 26),
    )
    assert export.figure_bytes(fig, "png")[:4] == b"\x89PNG"
    text = PdfReader(io.BytesIO(export.figure_bytes(fig, "pdf"))).pages[0].extract_text()
    assert "Espace $x^2$ _a_ {b}" in text and "Titre $1$" in text
