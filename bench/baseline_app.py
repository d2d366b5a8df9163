"""Naive baseline, built the obvious way, for the benchmarks only (never shipped).

One page: read the raw GeoJSON on every run, folium.GeoJson of all communes with a
tooltip, one marker per site, st_folium with default arguments, no caching, no
simplification. Leaflet comes from the app's static files (like the real app), otherwise
the map would not draw at all on this offline machine and nothing could be timed.
"""

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from aisnemap import config

st.set_page_config(page_title="Baseline", layout="wide")
communes = gpd.read_file(config.DATA_DIR / "communes_aisne.geojson")
sites = pd.read_csv(config.STRUCTURES_CSV, dtype=str)
sites = sites.merge(
    communes.drop(columns="geometry"), left_on="code_insee", right_on="code", how="left"
)
points = communes.set_index("code").geometry.representative_point()

arrondissements = ["Tous"] + sorted(communes["arrondissement_nom"].unique())
choice = st.sidebar.selectbox("Arrondissement", arrondissements)
if choice != "Tous":
    sites = sites[sites["arrondissement_nom"] == choice]

m = folium.Map(location=[49.6, 3.6], zoom_start=8, tiles=None)
m.default_js = [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
m.default_css = [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]
folium.GeoJson(communes, tooltip=folium.GeoJsonTooltip(fields=["nom"])).add_to(m)
for _, row in sites.iterrows():
    if pd.notna(row["latitude"]):
        lat, lon = float(row["latitude"]), float(row["longitude"])
    else:
        point = points[row["code_insee"]]
        lat, lon = point.y, point.x
    # No folium popup: it needs jQuery, which this offline baseline does not load (the
    # first marker's popup then stops the script and the other 24 are never drawn).
    folium.CircleMarker([lat, lon], radius=8, tooltip=row["site"]).add_to(m)
st_folium(m)
st.dataframe(sites)
