"""Display of the key figures (formatting in French)."""

from __future__ import annotations

import streamlit as st

from .. import texts
from ..filters import Figures
from ..programme import cumulative_posts
from ..texts import fmt_int
from ..views import figure_notes


def show_figures(figures: Figures) -> list[str]:
    """The key figures as metrics, each with its definition on hover.

    In the national reading (``figures.structures`` set) they count posts and structures,
    and give the list's estimated State investment beside the release's ceiling.
    Returns the notes that qualify the figures, for the caller to show.
    """
    national = figures.structures is not None
    cols = st.columns(6, gap="small")
    if national:
        cols[0].metric(texts.FIG_POSTS, fmt_int(figures.advisors), help=texts.FIG_POSTS_HELP)
        cols[1].metric(
            texts.FIG_STRUCTURES, fmt_int(figures.structures), help=texts.FIG_STRUCTURES_HELP
        )
    else:
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
    if national:
        cols[4].metric(texts.FIG_PER_POST, per, help=texts.FIG_PER_ADVISOR_HELP)
        cols[5].metric(
            texts.FIG_INVESTMENT,
            f"{fmt_int(figures.investment_eur)} €",
            help=texts.FIG_INVESTMENT_HELP.format(
                n=fmt_int(figures.advisors), ceiling=fmt_int(figures.funding_ceiling_eur)
            ),
        )
    else:
        cols[4].metric(texts.FIG_PER_ADVISOR, per, help=texts.FIG_PER_ADVISOR_HELP)
        cols[5].metric(
            texts.FIG_FUNDING,
            f"{fmt_int(figures.funding_ceiling_eur)} €",
            help=texts.FIG_FUNDING_HELP,
        )
    # The notes (pools, unknown counts) go under the map, so the map starts high.
    return figure_notes(figures)


def show_cumulative_chart(posts, au) -> None:
    """Posts validated in the department over time, up to the date of situation."""
    if posts is None or posts.empty:
        return
    series = cumulative_posts(posts)
    series = series.loc[series["date"].dt.date <= au].set_index("date")
    with st.expander(texts.CHART_TITLE):
        st.line_chart(series, y="postes", x_label="Date de comité", y_label="Postes cumulés")
