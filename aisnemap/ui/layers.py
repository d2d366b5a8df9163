"""Optional layers of the home map: digital fragility (IFN) and France Services."""

from __future__ import annotations

import streamlit as st
from folium.map import Layer

from aisnemap.domain import fragility
from aisnemap.french import texts
from aisnemap.render.maps import (
    FragilityLayer,
    FranceServicesLayer,
    encode_layer,
    france_services_records,
)
from aisnemap.ui.data import AppData, FilesVersion

K_IFN = "c_ifn"
K_FS = "c_fs"


@st.cache_resource(show_spinner=False, max_entries=16)
def _fragility_json(column: str, version: FilesVersion, _data: AppData) -> str:
    # Keyed on the score and the files' version the data was loaded from (never on an
    # object's id, which a later département's data may reuse after an eviction).
    frame = fragility.fragility_frame(_data.territory.display.communes, _data.ifn, column)
    return encode_layer(frame, "etiquette", "couleur")


def layer_choices() -> tuple[str, str]:
    """The two choices above the map (fragility score, France Services edition), as the
    widgets hold them, from the URL (``?ifn=total&fs=2024``) on a session's first run:
    read before the map is sent, the widgets being drawn after it (:func:`layer_controls`)."""
    from aisnemap.ui.page import Q_FS, Q_IFN

    for key, param, offered in ((K_IFN, Q_IFN, fragility.SCORES), (K_FS, Q_FS, texts.FS_EDITIONS)):
        if key not in st.session_state:
            asked = st.query_params.get(param, "")
            st.session_state[key] = asked if asked in offered else ""
    return st.session_state[K_IFN], st.session_state[K_FS]


def layer_controls() -> None:
    """The two choices' widgets, kept in the URL: a shared link opens with them."""
    from aisnemap.ui.page import Q_FS, Q_IFN

    layer_choices()
    left, right = st.columns(2, vertical_alignment="bottom")
    choice = left.selectbox(
        texts.LABEL_FRAGILITY,
        ["", *fragility.SCORES],
        format_func=lambda c: fragility.SCORES.get(c, texts.FRAGILITY_NONE),
        key=K_IFN,
    )
    edition = right.selectbox(
        texts.LABEL_FS_EDITION,
        list(texts.FS_EDITIONS),
        format_func=texts.FS_EDITIONS.get,
        key=K_FS,
    )
    for param, value in ((Q_IFN, choice), (Q_FS, edition)):
        if value and st.query_params.get(param) != value:
            st.query_params[param] = value
        elif not value and param in st.query_params:
            del st.query_params[param]


def chosen_layers(data: AppData, choice: str, edition: str) -> tuple[list[Layer], list[str]]:
    """The optional layers to draw for the two choices, and their captions."""
    layers: list[Layer] = []
    notes: list[str] = []
    if choice:
        if data.ifn is None:
            notes.append(texts.IFN_UNAVAILABLE)
        else:
            layers.append(
                FragilityLayer(
                    _fragility_json(choice, data.version, data),
                    f"IFN : {fragility.SCORES[choice].lower()} (score 0 à 10)",
                    fragility.legend_items(),
                    [texts.IFN_LEGEND_NOTE],
                )
            )
            notes.append(texts.IFN_CAPTION)
    if edition:
        table = data.france_services if edition == "2024" else data.france_services_2022
        if table is None:
            notes.append(texts.FS_UNAVAILABLE)
        else:
            layers.append(FranceServicesLayer(france_services_records(table)))
            antennas = int(table["type"].fillna("").str.casefold().eq("antenne").sum())
            notes.append(
                texts.fs_caption(edition, len(table), int(table["itinerant"].sum()), antennas)
            )
    return layers, notes


def threshold_slider(container, key: str) -> float:
    """The fragility threshold (IFN total, half points, written the French way)."""
    return container.select_slider(
        texts.LABEL_FRAGILITY_THRESHOLD,
        fragility.THRESHOLDS,
        value=fragility.DEFAULT_THRESHOLD,
        format_func=fragility.fmt_score,
        key=key,
        help=texts.FRAGILITY_THRESHOLD_HELP,
    )
