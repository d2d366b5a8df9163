"""Page frame: one router (dashboard.py) sets the page up, draws the shared sidebar once,
then runs the selected page; pages read the data and filters through :func:`current_view`."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from .. import config, texts
from ..assets import ensure_assets
from ..filters import Filters
from ..schema import ERROR
from .data import AppData, load_app_data

_FILTERS_KEY = "vue_filtres"


@dataclass(frozen=True)
class View:
    """What a page draws from: the loaded data and the filters of the sidebar."""

    data: AppData
    filters: Filters


def setup_app() -> AppData:
    """Page config and local assets, then the data (errors shown, never raised)."""
    st.set_page_config(page_title=texts.APP_TITLE, layout="wide")
    _assets_once()
    data = load_app_data()
    if data.error:
        st.error(f"{texts.DATA_MISSING} {data.error}")
    elif data.sites is None:
        st.error(texts.STRUCTURES_INVALID)
        show_problems(data)
    return data


def remember_filters(filters: Filters) -> None:
    """Keep this run's filters for the page about to run."""
    st.session_state[_FILTERS_KEY] = filters


def current_view() -> View:
    """The data and the filters drawn by the router for this run."""
    return View(load_app_data(), st.session_state.get(_FILTERS_KEY, Filters()))


def static_url() -> str:
    """Where this server serves the app's static files (honours server.baseUrlPath)."""
    return config.static_url_for(st.get_option("server.baseUrlPath"))


def page_header(title: str, intro: str) -> View:
    """Title and introduction of a page; returns what the page draws from."""
    st.title(title)
    st.caption(intro)
    return current_view()


@st.cache_resource(show_spinner=False)
def _assets_once() -> bool:
    ensure_assets()
    return True


def show_problems(data: AppData) -> None:
    """List validation problems in French (errors first)."""
    if not data.problems:
        return
    errors = [p for p in data.problems if p.severity == ERROR]
    label = f"Problèmes dans le fichier des structures ({len(data.problems)})"
    with st.expander(label, expanded=bool(errors)):
        for problem in data.problems:
            (st.error if problem.severity == ERROR else st.warning)(str(problem))


def footer() -> None:
    """Sources line shown at the bottom of every page."""
    st.caption(texts.SOURCES_FOOTER)
