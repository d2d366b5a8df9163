"""Exports of the current view: print-ready PNG/PDF, standalone HTML, CSV, XLSX, GeoJSON.

Rendered server-side with matplotlib (no browser), so it works on any server. No Streamlit.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from html import escape

import geopandas as gpd
import pandas as pd

from aisnemap import config
from aisnemap.domain import schema as s
from aisnemap.domain.characters import printable
from aisnemap.domain.views import sites_table
from aisnemap.render import assets

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Make a text cell inert in a spreadsheet (OWASP CSV injection): prefix with ';
    invisible and control characters removed (a spreadsheet cannot hold them all)."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def export_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The on-screen table plus numbers a spreadsheet can sum and coordinates, with
    spreadsheet formulas neutralised.

    "Conseillers" is a number (empty for a group's site and for an unpublished count),
    beside "Groupe" and "Conseillers du groupe"; "Effectif affiché" keeps the wording.
    """
    table = sites_table(sites).rename(columns={"Conseillers": "Effectif affiché"})
    by_id = sites.set_index(s.ID) if not sites.empty else None
    for column, source in (
        ("Conseillers", s.ADVISORS),
        ("Groupe", s.POOL),
        ("Conseillers du groupe", s.POOL_ADVISORS),
    ):
        values = table["Id"].map(by_id[source]) if by_id is not None else pd.Series(dtype=object)
        table[column] = values.astype("Int64") if source != s.POOL else values
    order = list(table.columns)
    at = order.index("Effectif affiché")
    table = table[[*order[:at], "Conseillers", "Groupe", "Conseillers du groupe", *order[at:-3]]]
    if not sites.empty:
        points = sites.to_crs(config.CRS_DRAW).set_index(s.ID).geometry
        table["Latitude"] = table["Id"].map(points.y).round(6)
        table["Longitude"] = table["Id"].map(points.x).round(6)
    else:
        table["Latitude"] = pd.Series(dtype=float)
        table["Longitude"] = pd.Series(dtype=float)
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(neutralise_formula)
    return table


def csv_excel_bytes(table: pd.DataFrame) -> bytes:
    """CSV for French Excel: ';' separator, UTF-8 with BOM, decimal comma."""
    text = table.to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, sheet: str = "Sites") -> bytes:
    """An XLSX workbook of a table (text stays text: INSEE codes keep their zero)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=sheet[:31], index=False)
        worksheet = writer.sheets[sheet[:31]]
        worksheet.freeze_panes = "A2"  # the header stays in view
        worksheet.auto_filter.ref = worksheet.dimensions
        for cells in worksheet.columns:
            width = max(len(str(c.value or "")) for c in cells[:200])
            worksheet.column_dimensions[cells[0].column_letter].width = min(max(10, width + 2), 60)
    return buffer.getvalue()


def geojson_bytes(sites: gpd.GeoDataFrame) -> bytes:
    """The filtered sites as GeoJSON (EPSG:4326), raw field values."""
    keep = [
        c
        for c in (
            *s.COLUMNS,
            "commune",
            "epci_siren",
            "epci_nom",
            "arrondissement_code",
            "arrondissement_nom",
            "place_au_centre",
        )
        if c in sites.columns
    ]
    frame = sites[[*keep, "geometry"]].to_crs(config.CRS_DRAW)
    return frame.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def standalone_html(
    fmap,
    title: str = "",
    subtitle: Sequence[str] = (),
    today: dt.date | None = None,
    *,
    sources: str,
) -> bytes:
    """The interactive map as one HTML file that opens offline (Leaflet inlined), with a
    ``<title>`` and a header: title, filters, export date and sources (escaped text)."""
    files = assets.inline_assets()
    images = assets.asset_path("vendor/leaflet/images")

    def data_uri(match: re.Match) -> str:
        path = images / match.group(1)
        if not path.is_file():
            return match.group(0)
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    html = fmap.get_root().render()
    # Every local script and style sheet of the map goes inline: the file opens offline.
    for name in assets.JS_FILES:
        pattern = rf'<script src="[^"]*{re.escape(name)}(\?v=\w+)?"></script>'
        code = files[name].replace("</script", "<\\/script")
        html = re.sub(pattern, lambda _, code=code: f"<script>{code}</script>", html)
    for name in assets.CSS_FILES:
        css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, files[name])
        pattern = rf'<link rel="stylesheet" href="[^"]*{re.escape(name)}(\?v=\w+)?"\s*/?>'
        html = re.sub(pattern, lambda _, css=css: f"<style>{css}</style>", html)
    if title:
        when = f"{today or dt.date.today():%d/%m/%Y}"
        header = (
            '<header class="aisne-entete" style="font:14px/1.4 sans-serif;padding:8px 12px;'
            'border-bottom:2px solid #000091">'
            f'<h1 style="font-size:18px;margin:0">{escape(title)}</h1>'
            f'<p style="margin:2px 0">{escape(" · ".join(subtitle))}</p>'
            f'<p style="margin:2px 0;font-size:12px;color:#333">Export du {when}. '
            f"{escape(sources)}</p></header>"
        )
        html = html.replace("<head>", f"<head><title>{escape(title)}</title>", 1)
        html = re.sub(r"<body>", lambda _: "<body>" + header, html, count=1)
        html = html.replace("<html>", '<html lang="fr">', 1)
    return html.encode("utf-8")


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Château-Thierry" → "chateau-thierry")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def export_basename(
    territory: str | None = None,
    reading: str | None = None,
    today: dt.date | None = None,
    *,
    department: str,
) -> str:
    """File name stem: conseillers-numeriques-aisne-[reading-]territory-AAAA-MM-JJ
    (``department``: the département's name, e.g. "Nord", written as a slug).

    ``territory`` is e.g. "arrondissement Vervins" (None: the whole département);
    ``reading`` e.g. "postes au 2023-04-05" (None: the announcement).
    """
    parts = [f"conseillers-numeriques-{slug(department)}"]
    if reading:
        parts.append(slug(reading))
    parts.append(slug(territory) if territory else "departement")
    parts.append(f"{today or dt.date.today():%Y-%m-%d}")
    return "-".join(parts)


# --- The national data standard for places of digital mediation (schema.data.gouv.fr,
# LaMednum/standard-mediation-num, v1.0.2). Field names and allowed values are facts of
# the standard; the tests validate our file against its schema with frictionless.
MEDIATION_VERSION = "1.0.2"
MEDIATION_FIELDS = (
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
)
MEDIATION_REQUIRED = ("id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj")
PROGRAMME_ADVISORS = "Conseillers numériques"
PROGRAMME_FRANCE_SERVICES = "France Services"
_POSTCODE_ADDRESS = re.compile(r"^(?P<street>.*?),?\s*(?P<cp>\d{5})\s+(?P<town>[^,]+)$")
_PIVOT = re.compile(r"^[a-zA-Z0-9]{9,14}$")


def split_address(address: object) -> tuple[str, str]:
    """("street", "postcode") of "street, 02000 Town"; ("", "") when not of that form."""
    text = " ".join(str(address or "").split())
    match = _POSTCODE_ADDRESS.match(text)
    if not match or not match.group("street").strip(" ,"):
        return "", ""
    return match.group("street").strip(" ,"), match.group("cp")


def mediation_table(
    sites: pd.DataFrame, date_maj: dt.date, prefix: str, source: str
) -> tuple[pd.DataFrame, list[str]]:
    """The sites as rows of the national standard, and one French line per site left out.

    Required values are taken from the data only: the site's name, commune, INSEE code,
    SIRET (``pivot``) and published address (street and postcode). A site missing one of
    them is **left out** and named in the returned lines, never completed with an
    invented value. ``dispositif_programmes_nationaux`` says "Conseillers numériques",
    plus "France Services" for a France Services site; ``itinerance`` is "Itinérant" or
    "Fixe" (empty when not given). Ids are ``prefix-`` and the site's id (the
    département's prefix: « nord-N… »), unique in the file as the standard's primary key
    requires; ``source`` names who publishes the file.
    """
    rows, skipped = [], []
    for _, site in sites.iterrows():
        street, postcode = split_address(site.get(s.ADDRESS))
        pivot = re.sub(r"\s", "", str(site.get(s.SIRET) or ""))
        if pivot in ("nan", "None", "<NA>"):
            pivot = ""
        missing = []
        if not _PIVOT.match(pivot):
            missing.append("pivot (SIRET)")
        if not street:
            missing.append("adresse")
        if not postcode:
            missing.append("code_postal")
        if missing:
            skipped.append(
                f"{site[s.ID]} « {site[s.SITE]} » non exporté : {', '.join(missing)} "
                "inconnu(s) dans les données publiées"
            )
            continue
        service = str(site.get(s.SERVICE_TYPE, ""))
        programmes = [PROGRAMME_ADVISORS]
        if service.startswith("France Services"):
            programmes.append(PROGRAMME_FRANCE_SERVICES)
        itinerant = site.get(s.ITINERANT)
        itinerance = (
            ""
            if itinerant is None or pd.isna(itinerant)
            else ("Itinérant" if bool(itinerant) else "Fixe")
        )
        exact = str(site.get(s.PRECISION, "")) == s.PRECISION_ADDRESS
        geometry = site.get("geometry")
        row = dict.fromkeys(MEDIATION_FIELDS, "")
        row.update(
            {
                "id": f"{prefix}-{site[s.ID]}",
                "pivot": pivot,
                "nom": str(site[s.SITE]),
                "commune": str(site.get("commune", "")),
                "code_postal": postcode,
                "code_insee": str(site[s.INSEE]),
                "adresse": street,
                "latitude": round(geometry.y, 6) if exact and geometry is not None else "",
                "longitude": round(geometry.x, 6) if exact and geometry is not None else "",
                "source": source,
                "itinerance": itinerance,
                "structure_parente": str(site.get(s.OPERATOR, "") or ""),
                "date_maj": date_maj.isoformat(),
                "dispositif_programmes_nationaux": "|".join(programmes),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(MEDIATION_FIELDS)), skipped


def mediation_csv(table: pd.DataFrame) -> bytes:
    """The standard's CSV: comma-separated, UTF-8, a header row (as its valid example)."""
    return table.to_csv(index=False).encode("utf-8")
