"""Page "Trouver un lieu": from a commune typed or chosen, the nearest advisor sites and
France Services, their distance and practical details, on a map; ``?lieu=CODE`` reopens
the same answer."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from aisnemap.domain import nearby
from aisnemap.domain.filters import criteria_mask
from aisnemap.french import formatting, texts
from aisnemap.render import maps
from aisnemap.ui.page import Q_PLACE, footer, page_header, run_page, static_url
from aisnemap.ui.tables import show_table, table_downloads

K_TYPED = "trouver_saisie"
K_CODE = "trouver_commune"


def _km(value: float) -> str:
    return formatting.fmt_km(value, 1)


def sites_table(found: nearby.Nearby) -> pd.DataFrame:
    table = pd.DataFrame(found.sites.drop(columns="geometry"))
    table["distance"] = table["distance_km"].map(_km)
    columns = [c for c in texts.FIND_SITE_COLUMNS if c in table]
    return table[columns].rename(columns=texts.FIND_SITE_COLUMNS).fillna("")


def services_table(services: pd.DataFrame) -> pd.DataFrame:
    table = services.copy()
    table["distance"] = table["distance_km"].map(_km)
    columns = [c for c in texts.FIND_FS_COLUMNS if c in table]
    return table[columns].rename(columns=texts.FIND_FS_COLUMNS).fillna("")


def render() -> None:
    """The page body (inside the error boundary)."""
    view = page_header(texts.FIND_TITLE, texts.FIND_INTRO)
    data, filters = view.data, view.filters
    if not data.ok:
        return
    communes = data.territory.communes
    names = dict(zip(communes["code"], communes["nom"], strict=True))
    asked = st.query_params.get(Q_PLACE)
    if asked in names and K_TYPED not in st.session_state:
        # A shared link: the same answer, the commune already typed.
        st.session_state[K_TYPED] = names[asked]
        st.session_state[K_CODE] = asked
    typed = st.text_input(texts.FIND_TYPED, key=K_TYPED, placeholder=texts.FIND_TYPED_HINT)
    matches = nearby.match_communes(communes, typed or "")
    if not typed:
        return
    if not matches:
        st.info(texts.FIND_NONE.format(typed=texts.literal(typed)))
        return
    if st.session_state.get(K_CODE) not in matches:
        st.session_state[K_CODE] = matches[0]
    code = st.selectbox(
        texts.FIND_CHOICE, matches, key=K_CODE, format_func=lambda c: f"{names[c]} ({c})"
    )
    if st.query_params.get(Q_PLACE) != code:
        st.query_params[Q_PLACE] = code
    sites = view.sites.loc[criteria_mask(view.sites, filters)]
    found = nearby.nearest_places(
        code, communes, data.territory.points, sites, data.france_services
    )
    services = found.france_services if data.france_services is not None else None
    fmap = maps.nearby_map(
        data.layers, found, services, view.options.service_types, static_url=static_url()
    )
    st_folium(fmap, key="carte_trouver", height=480, use_container_width=True, returned_objects=[])
    st.caption(texts.FIND_MAP_NOTE)

    st.subheader(texts.FIND_SITES_TITLE, anchor=False)
    if found.sites.empty:
        st.info(texts.NO_SITE)
    else:
        table = sites_table(found)
        show_table(table, alt=texts.FIND_SITES_TITLE)
        table_downloads(table, f"sites-proches-{code}", "trouver_sites")
    st.subheader(texts.FIND_FS_TITLE, anchor=False)
    if services is None:
        st.info(texts.FIND_NO_FS)
    elif len(services):
        table = services_table(services)
        show_table(table, alt=texts.FIND_FS_TITLE)
        table_downloads(table, f"france-services-proches-{code}", "trouver_fs")
    st.caption(texts.FIND_LINK)
    st.code(f"?{Q_PLACE}={code}", language=None)


run_page(render)
footer()
