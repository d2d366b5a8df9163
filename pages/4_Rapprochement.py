"""Page "Rapprochement": the announcement of 18 March 2021 against the national list."""

import streamlit as st

from aisnemap.domain import programme
from aisnemap.french import texts
from aisnemap.ui.page import footer, page_header, run_page
from aisnemap.ui.tables import show_table, table_downloads


def render() -> None:
    """Matched, absent, different and later structures, with a CSV export."""
    view = page_header(texts.RECONCILE_TITLE, texts.reconcile_intro)
    data = view.data
    if not data.ok:
        return
    if not data.curated:
        st.info(texts.no_announcement(data.department))
        return
    if data.posts is None:
        st.info(texts.NATIONAL_MISSING)
        return
    table = programme.reconcile(
        data.sites, data.posts, data.territory.communes, data.june, data.recruitment_posts
    )
    counts = table[programme.R_STATUS].value_counts()
    cols = st.columns(4)
    for col, status in zip(cols, texts.RECONCILE_STATUSES, strict=True):
        col.metric(texts.sentence(status), int(counts.get(status, 0)))
    shown = table.rename(columns=programme.RECONCILE_COLUMNS)
    show_table(shown)
    table_downloads(shown, "rapprochement-annonce-liste-nationale", "rapprochement")


run_page(render)
footer()
