"""Home page: the map of the advisors, the key figures and the table of sites."""

import streamlit as st
from streamlit_folium import st_folium

from aisnemap import texts
from aisnemap.filters import apply_filters, key_figures, territory_communes
from aisnemap.maps import bounds_of, build_map
from aisnemap.ui.figures import show_figures
from aisnemap.ui.page import footer, show_problems, start_page
from aisnemap.ui.sidebar import sidebar_filters
from aisnemap.views import sites_table

data = start_page("Carte")
st.title(texts.APP_TITLE)
st.caption(texts.APP_SUBTITLE)

if data.ok:
    communes = data.territory.communes
    filters = sidebar_filters(data.options, communes)
    shown = apply_filters(data.sites, filters)
    show_figures(key_figures(data.sites, communes, filters))
    if shown.empty:
        st.info(texts.NO_SITE)
    fmap = build_map(
        data.layers,
        shown,
        bounds_of(territory_communes(communes, filters)),
        service_types=data.options.service_types,
    )
    st_folium(fmap, key="carte", height=640, use_container_width=True, returned_objects=[])
    st.caption(texts.MAP_HELP)
    st.subheader(texts.TABLE_TITLE)
    st.dataframe(sites_table(shown), hide_index=True, width="stretch")
    show_problems(data)
footer()
