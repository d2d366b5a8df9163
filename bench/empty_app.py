"""The framework's floor, for the benchmarks only: an empty Streamlit page (one line of
text, no data, no map). Timed from navigation to its text drawn."""

import streamlit as st

st.write("Page vide")
