"""How a site and a territory look, shared by the interactive map and the PNG/PDF exports.

One place for the colours and marker rules, so a symbol means the same thing on screen
and on paper. No Streamlit, no folium, no matplotlib here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from aisnemap.domain import schema as s
from aisnemap.french import texts

#: Colours for service types not listed below (Paul Tol's muted and light schemes).
EXTRA_COLOURS = (
    "#117733",
    "#AA4499",
    "#88CCEE",
    "#DDCC77",
    "#661100",
    "#6699CC",
    "#CC6677",
    "#888888",
)
#: Fixed colours (Okabe & Ito, then Tol) for the known service types, so a colour keeps
#: its meaning across views and exports.
SERVICE_COLOURS = {
    "France Services": "#0072B2",
    "France Services itinérant": "#56B4E9",
    "Espace numérique": "#E69F00",
    "Tiers-lieu": "#D55E00",
    "Bibliothèque": "#009E73",
    "Mairie": "#CC79A7",
    "Espace de services publics": "#332288",
    "UTAS": "#882255",
    "MDPH": "#999933",
    "Bibliothèque départementale": "#44AA99",
    "Administration départementale": "#000000",
    "Non précisé (liste nationale)": "#8c8c8c",
}
UNKNOWN_SERVICE_COLOUR = "#777777"
#: Outline of the selected territory (the DSFR's "bleu France").
TERRITORY_COLOUR = "#000091"
SITE_EDGE = "#222222"
POOL_RADIUS = 8.0
UNKNOWN_COUNT_RADIUS = 7.0


def service_colours(service_types: Sequence[str]) -> dict[str, str]:
    """Colour of each service type: fixed for known ones, then the palette's free colours."""
    colours = {}
    extra = 0
    for service in service_types:
        if service in SERVICE_COLOURS:
            colours[service] = SERVICE_COLOURS[service]
        else:
            colours[service] = EXTRA_COLOURS[extra % len(EXTRA_COLOURS)]
            extra += 1
    return colours


def advisors_label(row: pd.Series) -> str:
    """How many advisors a site has, as shown to the user."""
    if row[s.POOL]:
        return f"groupe de {int(row[s.POOL_ADVISORS])} ({texts.POOL_LABEL})"
    if pd.isna(row[s.ADVISORS]):
        return s.ADVISORS_UNKNOWN
    return str(int(row[s.ADVISORS]))


def itinerant_label(value: object) -> str:
    """oui / non / non renseigné."""
    if value is None or pd.isna(value):
        return texts.NOT_GIVEN
    return texts.YES if value else texts.NO


@dataclass(frozen=True)
class SiteStyle:
    """The marker of one site: radius in screen pixels, colours, outline."""

    radius: float
    fill: str
    fill_opacity: float
    stroke: str
    weight: float
    dashed: bool


def site_style(row: pd.Series, colours: dict[str, str]) -> SiteStyle:
    """Marker of a site: area grows with its advisors; a pool site is a hollow ring in its
    service colour; an itinerant site has a dashed outline; a site placed at its commune's
    centre is lighter."""
    colour = colours.get(row[s.SERVICE_TYPE], UNKNOWN_SERVICE_COLOUR)
    dashed = bool(row[s.ITINERANT]) if not pd.isna(row[s.ITINERANT]) else False
    if row[s.POOL]:
        return SiteStyle(POOL_RADIUS, "#ffffff", 0.9, colour, 3.0, dashed)
    if pd.isna(row[s.ADVISORS]):
        radius = UNKNOWN_COUNT_RADIUS
    else:
        radius = round(5.0 + 4.0 * math.sqrt(max(int(row[s.ADVISORS]), 1)), 1)
    centred = bool(row.get("place_au_centre", False))
    return SiteStyle(radius, colour, 0.45 if centred else 0.9, SITE_EDGE, 1.5, dashed)
