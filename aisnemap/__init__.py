"""Domain package of the Aisne digital-advisors map (no Streamlit outside ``ui``)."""
