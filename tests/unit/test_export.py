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

from aisnemap.domain import filters
from aisnemap.domain import schema as s
from aisnemap.domain.characters import printable
from aisnemap.french import texts
from aisnemap.render import export, maps, printing, style
from tests.support.decoding import png_has_colour

TODAY = dt.date(2026, 11, 26)
VERVINS = filters.Filters(arrondissement="025")


@pytest.fixture(scope="module")
def options(sites):
    return filters.options_from(sites)


@pytest.fixture(scope="module")
def department_doc(territory, sites, options, aisne):
    return printing.map_document(
        territory, sites, filters.Filters(), options, today=TODAY, context=aisne
    )


@pytest.fixture(scope="module")
def vervins_doc(territory, sites, options, aisne):
    return printing.map_document(territory, sites, VERVINS, options, today=TODAY, context=aisne)


def _pdf_text(raw: bytes) -> list[str]:
    """Each page's text, French thin and no-break spaces read as spaces."""
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages]
    return [p.replace("\u202f", " ").replace("\xa0", " ") for p in pages]


def test_png_is_large_not_blank_and_has_the_site_colours(department_doc, sites):
    png = printing.map_png(department_doc)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and (image.width, image.height) == (2338, 1654)
    pixels = image.convert("L").getextrema()
    assert pixels[0] < 50 and pixels[1] > 240  # dark text on a white page
    colours = style.service_colours(sorted(sites[s.SERVICE_TYPE].unique()))
    for service in ("France Services", "Tiers-lieu", "UTAS"):
        assert png_has_colour(png, colours[service]), service


def test_pdf_map_page_has_names_figures_and_only_the_legend_drawn(vervins_doc):
    pages = _pdf_text(printing.map_pdf(vervins_doc))
    first = pages[0]
    for name in ("Vervins", "Hirson", "Guise"):  # sous-préfecture, EPCI towns, site communes
        assert name in first, name
    for line in ("Postes annoncés : 3", "Sites : 5", "Population du territoire : 70 800"):
        assert line in first, line
    assert "arrondissement de Vervins" in first and "Export du 26/11/2026" in first
    # Vervins shows France Services and UTAS sites only: no other type in its legend.
    assert "France Services" in first and "Tiers-lieu" not in first and "Bibliothèque" not in first


def test_pdf_lists_the_sites_then_definitions_with_metadata(vervins_doc):
    raw = printing.map_pdf(vervins_doc)
    reader = PdfReader(io.BytesIO(raw))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    pages = _pdf_text(raw)
    assert "Sites affichés (5)" in pages[1]
    for site in ("UTAS de Thiérache — site d'Hirson", "Rozoy-sur-Serre", "Commune de Vervins"):
        assert site in pages[1], site
    assert pages[-1].startswith("Définitions et sources") and "IGN ADMIN EXPRESS" in pages[-1]
    meta = reader.metadata
    assert meta.title == "Conseillers numériques dans l'Aisne"
    assert "arrondissement de Vervins" in meta.subject and meta.creator
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_place_names_sit_inside_the_map_and_never_overlap(vervins_doc):
    fig = printing.render_map_page(vervins_doc)
    ax = fig.axes[0]
    kept = printing.draw_place_names(ax, vervins_doc)
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in kept]
    assert len(boxes) >= 8
    for box in boxes:
        assert (
            frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        )
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_fiche_territoire_is_a4_portrait_with_bands_and_sites(territory, sites, options, aisne):
    view = printing.map_document(territory, sites, VERVINS, options, today=TODAY, context=aisne)
    doc = printing.sheet_document(view, sites, VERVINS)
    raw = printing.territory_sheet(doc)
    reader = PdfReader(io.BytesIO(raw))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = _pdf_text(raw)[0]
    assert (
        reader.metadata.title == "Arrondissement de Vervins" and "Arrondissement de Vervins" in text
    )
    assert "Population par tranche de distance" in text and "< 5 km" in text
    assert "Sites affichés (5)" in text and "Postes annoncés : 3" in text
    bands = dict(doc.tables[0][1])
    assert sum(int(v.split(" (")[0].replace("\u202f", "")) for v in bands.values()) == 70_800


def test_fiche_bands_measure_to_every_site_of_the_departement(territory, sites, options, aisne):
    """As the README says: a commune of Vervins near a site of the Laon arrondissement is
    near a site. Expected bands from GeoPandas distances to all 25 sites, by hand."""
    view = printing.map_document(territory, sites, VERVINS, options, today=TODAY, context=aisne)
    bands = dict(printing.sheet_document(view, sites, VERVINS).tables[0][1])
    communes = territory.communes.loc[territory.communes["arrondissement_code"] == "025"]
    points = communes.to_crs(2154).representative_point()
    every_site = sites.to_crs(2154).geometry
    km = points.apply(lambda p: every_site.distance(p).min() / 1000).to_numpy()
    edges = [0, 5, 10, 15, 20, float("inf")]
    expected = [
        int(communes["population"].to_numpy()[(km >= lo) & (km < hi)].sum())
        for lo, hi in zip(edges, edges[1:], strict=False)
    ]
    shown = [int(v.split(" (")[0].replace("\u202f", "")) for v in bands.values()]
    assert shown == expected


def test_file_names_carry_reading_territory_and_date():
    assert (
        export.export_basename("arrondissement Vervins", today=TODAY, department="Aisne")
        == "conseillers-numeriques-aisne-arrondissement-vervins-2026-11-26"
    )
    assert (
        export.export_basename(
            "commune Château-Thierry", "postes au 2023-04-05", TODAY, department="Aisne"
        )
        == "conseillers-numeriques-aisne-postes-au-2023-04-05-commune-chateau-thierry-2026-11-26"
    )
    assert (
        export.export_basename(today=TODAY, department="Aisne")
        == "conseillers-numeriques-aisne-departement-2026-11-26"
    )


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
    layers = maps.prepare_layers(d)
    fmap = maps.build_map(layers, sites, maps.bounds_of(territory.communes))
    html = export.standalone_html(fmap, sources="Sources : essai").decode("utf-8")
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert "aisne.sites(" in html and "leaflet-container" in html
    assert "L.MarkerClusterGroup" in html and "A.sites = function" in html
    assert "url(data:image/png;base64," in html


HOSTILE_NAMES = (
    "Espace $x^2$ _a_ {b} \\frac",
    "Café ^ sous-tiret _ accolades {} 🙂",
    "Très long nom " * 12,
    '<img src=x onerror="window.__xss=1">',
    '=HYPERLINK("http://x","clic")',
    # Every character class tried: BOM and zero-width, direction override, control,
    # Arabic, Hebrew, CJK, emoji with a joiner, combining accents.
    "\ufeffCommune\u200b de Ribemont \u202eenilno\u202c \x07",
    "Médiathèque مكتبة ספרייה 图书馆 👩\u200d💻 e\u0301 ✨",
)


def test_hostile_names_go_through_every_exporter(territory, sites, options, aisne):
    """Defect: a service type with $…$ stopped the PNG and PDF exports for every visitor.

    Every hostile name at once, one per site, through each exporter once (a run per name
    cost half a minute of CI for the same checks)."""
    shown = sites.copy()
    ids = shown[s.ID].tolist()[: len(HOSTILE_NAMES)]
    for row, name in zip(shown.index, HOSTILE_NAMES, strict=False):
        for column in (s.SITE, s.OPERATOR, s.SERVICE_TYPE, s.LAUREATE):
            shown.loc[row, column] = name
    opts = filters.Options(
        options.waves, options.operator_types, (*HOSTILE_NAMES, *options.service_types)
    )
    doc = printing.map_document(
        territory, shown, filters.Filters(), opts, today=TODAY, context=aisne
    )
    assert printing.map_png(doc)[:4] == b"\x89PNG"
    legend = " ".join(_pdf_text(printing.map_pdf(doc))[0].split())
    assert printing.territory_sheet(doc)[:4] == b"%PDF"
    table = export.export_table(shown)
    back = pd.read_csv(io.BytesIO(export.csv_excel_bytes(table)), sep=";", encoding="utf-8-sig")
    assert export.xlsx_bytes(table)[:2] == b"PK"
    features = json.loads(export.geojson_bytes(shown))["features"]
    layers = maps.prepare_layers(territory.display)
    html = export.standalone_html(
        maps.build_map(layers, shown, maps.bounds_of(territory.communes)),
        HOSTILE_NAMES[3],
        list(HOSTILE_NAMES),
        sources="Sources : essai",
    ).decode("utf-8")
    assert "<img src=x" not in html and "<title>" in html
    for site_id, name in zip(ids, HOSTILE_NAMES, strict=True):
        literal = " ".join(printable(name).split())[:11]  # before any right-to-left script
        assert literal in legend, name  # the legend names the hostile service type as written
        assert back.loc[back["Id"] == site_id, "Site"].iloc[0] == export.neutralise_formula(name)
        assert name in {f["properties"][s.SITE] for f in features}


def test_csv_and_xlsx_have_a_number_of_advisors_a_spreadsheet_can_sum(sites):
    from openpyxl import load_workbook

    table = export.export_table(sites)
    assert table["Conseillers"].sum() == 16  # own counts; the group's sites are empty
    assert table.loc[table["Groupe"] == "CD02", "Conseillers"].isna().all()
    assert set(table.loc[table["Groupe"] == "CD02", "Conseillers du groupe"]) == {16}
    back = pd.read_csv(io.BytesIO(export.csv_excel_bytes(table)), sep=";", encoding="utf-8-sig")
    assert back["Conseillers"].sum() == 16
    sheet = load_workbook(io.BytesIO(export.xlsx_bytes(table))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    header = [c.value for c in sheet[1]]
    numbers = [r[header.index("Conseillers")].value for r in sheet.iter_rows(min_row=2)]
    assert sum(n for n in numbers if n is not None) == 16


def test_standalone_html_has_a_title_a_header_its_types_and_place_names(sites, territory, aisne):
    from aisnemap.domain import places

    d = territory.display
    layers = maps.prepare_layers(d)
    shown = filters.apply_filters(sites, VERVINS)
    types = sorted(set(shown[s.SERVICE_TYPE]))
    fmap = maps.build_map(
        layers,
        shown,
        maps.bounds_of(territory.communes),
        types,
        places=places.place_names(territory.communes, territory.points, shown),
    )
    html = export.standalone_html(
        fmap, "Titre", ["arrondissement de Vervins"], TODAY, sources=texts.sources_footer(aisne)
    ).decode()
    assert "<title>Titre</title>" in html and '<html lang="fr">' in html
    assert "arrondissement de Vervins" in html and "Export du 26/11/2026" in html
    assert "IGN ADMIN EXPRESS" in html
    assert '"Tiers-lieu"' not in html and '"UTAS"' in html  # legend: drawn types only
    assert '"Vervins"' in html and '"Hirson"' in html and "aisne-lieu" in html
