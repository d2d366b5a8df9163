"""The conseillers numériques map dashboard: build, domain, rendering, admin, French text
and the Streamlit UI (no Streamlit outside ``ui``), for every département."""
