"""Rendering: the Leaflet map (folium), print documents (matplotlib) and file exports,
with the styles they share. No Streamlit."""
