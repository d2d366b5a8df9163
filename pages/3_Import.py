"""Page "Import vague 2": upload, validate, preview and confirm new or updated sites;
download the served file and restore a backup. Closed without an admin secret."""

import streamlit as st

from aisnemap.french import texts
from aisnemap.ui.importing import authorised, backups_section, configured_secret, import_section
from aisnemap.ui.page import current_view, footer, name_tab, run_page


def render() -> None:
    """The import page, for an authenticated administrator only."""
    view = current_view()
    data = view.data
    name_tab(texts.IMPORT_TITLE, department=data.department)
    st.title(texts.IMPORT_TITLE)
    secret = configured_secret()
    if data.territory is None:
        return
    if not data.curated:
        st.info(texts.no_announcement(data.department))
        return
    if not secret:
        st.info(texts.IMPORT_CLOSED)
        return
    if not authorised(secret):
        return
    st.caption(texts.IMPORT_INTRO)
    import_section(data)
    backups_section(data)


run_page(render)
footer()
