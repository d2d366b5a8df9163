"""The map alone, for the benchmarks only: the app's own map of the Aisne (same base map,
same layers, same streamlit-folium component and assets) on a page with nothing else.
What streamlit-folium itself costs over the empty page, with the app's data and cache."""

import folium
import streamlit as st
from streamlit_folium import st_folium

from aisnemap.domain.filters import Filters, apply_filters, territory_communes
from aisnemap.render.maps import base_map, bounds_of, view_layers
from aisnemap.ui.data import load_app_data

st.set_page_config(page_title="Carte seule", layout="wide")
data = load_app_data()
filters = Filters()
types = data.options.service_types
st_folium(
    base_map(data.layers, data.department_bounds, types, static_url="/app/static"),
    key="carte",
    height=600,
    use_container_width=True,
    returned_objects=[],
    feature_group_to_add=view_layers(
        apply_filters(data.sites, filters),
        types,
        fit=bounds_of(territory_communes(data.territory.communes, filters)),
    ),
    layer_control=folium.LayerControl(collapsed=True),
)
