"""Display of the key figures (formatting in French)."""

from __future__ import annotations

import streamlit as st

from .. import texts
from ..filters import Figures


def fmt_int(value: int | float) -> str:
    """French thousands separator (narrow no-break space)."""
    return f"{round(value):,}".replace(",", "\u202f")


def show_figures(figures: Figures) -> None:
    """The key figures as metrics, each with its definition on hover."""
    cols = st.columns(3) + st.columns(3)
    cols[0].metric(texts.FIG_ADVISORS, fmt_int(figures.advisors), help=texts.FIG_ADVISORS_HELP)
    cols[1].metric(texts.FIG_SITES, fmt_int(figures.sites), help=texts.FIG_SITES_HELP)
    cols[2].metric(
        texts.FIG_COMMUNES, fmt_int(figures.communes_with_site), help=texts.FIG_COMMUNES_HELP
    )
    cols[3].metric(
        texts.FIG_POPULATION, fmt_int(figures.population), help=texts.FIG_POPULATION_HELP
    )
    per = (
        "—" if figures.inhabitants_per_advisor is None else fmt_int(figures.inhabitants_per_advisor)
    )
    cols[4].metric(texts.FIG_PER_ADVISOR, per, help=texts.FIG_PER_ADVISOR_HELP)
    cols[5].metric(
        texts.FIG_FUNDING, f"{fmt_int(figures.funding_ceiling_eur)} €", help=texts.FIG_FUNDING_HELP
    )
    notes = []
    if figures.pool_advisors:
        if not figures.pool_counted:
            notes.append(texts.pool_not_counted(figures.pool_advisors, figures.pool_sites_shown))
        notes.append(texts.pool_note(figures.pools, figures.pool_names))
    if figures.unknown_sites:
        notes.append(texts.unknown_count_note(figures.unknown_sites))
    if notes:
        st.caption(texts.literal(" ".join(notes)))
