"""Page frame shared by every page: config, data loading, error display."""

from __future__ import annotations

import streamlit as st

from .. import texts
from ..assets import ensure_assets
from ..schema import ERROR
from .data import AppData, load_app_data


def start_page(title: str) -> AppData:
    """Set up the page and return the data (errors are shown, never raised)."""
    st.set_page_config(
        page_title=f"{title} — {texts.APP_TITLE}", page_icon=texts.PAGE_ICON, layout="wide"
    )
    _assets_once()
    data = load_app_data()
    if data.error:
        st.error(f"{texts.DATA_MISSING} {data.error}")
    elif data.sites is None:
        st.error(texts.STRUCTURES_INVALID)
        show_problems(data)
    return data


@st.cache_resource(show_spinner=False)
def _assets_once() -> bool:
    ensure_assets()
    return True


def show_problems(data: AppData) -> None:
    """List validation problems in French (errors first)."""
    if not data.problems:
        return
    errors = [p for p in data.problems if p.severity == ERROR]
    with st.expander(
        f"Problèmes dans le fichier des structures ({len(data.problems)})", expanded=bool(errors)
    ):
        for problem in data.problems:
            (st.error if problem.severity == ERROR else st.warning)(str(problem))


def footer() -> None:
    """Sources line shown at the bottom of every page."""
    st.caption(texts.SOURCES_FOOTER)
