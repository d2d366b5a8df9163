"""Display of the key figures (formatting in French)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from aisnemap.domain.filters import Figures, announced_funding_eur
from aisnemap.domain.programme import cumulative_posts
from aisnemap.french import formatting, texts
from aisnemap.french.formatting import fmt_date, fmt_eur, fmt_int
from aisnemap.render import charts


def figure_cards(figures: Figures, announcement=None) -> list[tuple[str, str, str]]:
    """(label, value, definition) of each key figure, values written in French.

    In the national reading (``figures.structures`` set) they count posts and structures,
    and give the list's estimated State investment (beside the funding terms of the
    département's ``announcement``, where one was curated).
    """
    per = (
        "—" if figures.inhabitants_per_advisor is None else fmt_int(figures.inhabitants_per_advisor)
    )
    communes = (texts.FIG_COMMUNES, fmt_int(figures.communes_with_site), texts.FIG_COMMUNES_HELP)
    population = (texts.FIG_POPULATION, fmt_int(figures.population), texts.FIG_POPULATION_HELP)
    if figures.recruited is not None:
        filled = figures.filled_share
        return [
            (texts.FIG_ATTRIBUTED, fmt_int(figures.advisors), texts.FIG_ATTRIBUTED_HELP),
            (texts.FIG_RECRUITED, fmt_int(figures.recruited), texts.FIG_RECRUITED_HELP),
            (
                texts.FIG_FILLED,
                "—" if filled is None else formatting.fmt_percent(filled, 0),
                texts.FIG_FILLED_HELP,
            ),
            (texts.FIG_NO_RECRUIT, fmt_int(figures.without_recruit), texts.FIG_NO_RECRUIT_HELP),
            population,
            (texts.FIG_PER_ATTRIBUTED, per, texts.FIG_PER_ADVISOR_HELP),
        ]
    if figures.structures is not None:
        return [
            (texts.FIG_POSTS, fmt_int(figures.advisors), texts.FIG_POSTS_HELP),
            (texts.FIG_STRUCTURES, fmt_int(figures.structures), texts.FIG_STRUCTURES_HELP),
            communes,
            population,
            (texts.FIG_PER_POST, per, texts.FIG_PER_ADVISOR_HELP),
            (
                texts.FIG_INVESTMENT,
                fmt_eur(figures.investment_eur),
                texts.FIG_INVESTMENT_HELP + _compared(figures, announcement),
            ),
        ]
    day = fmt_date(announcement.date)
    return [
        (
            texts.FIG_ADVISORS,
            fmt_int(figures.advisors),
            texts.FIG_ADVISORS_HELP.format(day=day),
        ),
        (texts.FIG_SITES, fmt_int(figures.sites), texts.FIG_SITES_HELP),
        communes,
        population,
        (texts.FIG_PER_ADVISOR, per, texts.FIG_PER_ADVISOR_HELP),
        (
            texts.FIG_FUNDING,
            fmt_eur(announced_funding_eur(figures, announcement)),
            texts.FIG_FUNDING_HELP.format(terms=texts.funding_terms(announcement), day=day),
        ),
    ]


def _compared(figures: Figures, announcement) -> str:
    """The release's funding terms beside the list's estimate (only where announced)."""
    if announcement is None:
        return ""
    return texts.FIG_INVESTMENT_ANNOUNCED.format(
        day=fmt_date(announcement.date),
        terms=texts.funding_terms(announcement),
        ceiling=fmt_eur(announced_funding_eur(figures, announcement)),
        n=fmt_int(figures.advisors),
    )


def show_figures(figures: Figures, announcement=None) -> list[tuple[str, str, str]]:
    """The key figures on one compact row. Their definitions are not hover icons here (six
    more keyboard stops before the map): the caller shows them with
    :func:`show_definitions`. Returns the cards."""
    cards = figure_cards(figures, announcement)
    for col, (label, value, _definition) in zip(
        st.columns(len(cards), gap="small"), cards, strict=True
    ):
        col.metric(label, value)
    return cards


def show_definitions(cards: list[tuple[str, str, str]]) -> None:
    """What each figure counts (the notes that qualify them are under the map), then the
    glossary of the words every reading uses, each with its source."""
    with st.expander(texts.DEFINITIONS_TITLE, expanded=False):
        for label, _value, definition in cards:
            st.markdown(f"**{texts.literal(label)}** : {texts.literal(definition)}")
        st.markdown(f"**{texts.literal(texts.GLOSSARY_TITLE)}**")
        for word, meaning in texts.GLOSSARY:
            st.markdown(f"- *{texts.literal(word)}* : {texts.literal(meaning)}")


def show_activity(department) -> None:
    """What the advisors declared they did in the département (2021 – early 2024), per
    10 000 inhabitants and per post attributed, with its top themes, ages and supports."""
    from aisnemap.ui.national import department_activity
    from aisnemap.ui.tables import show_table

    found = department_activity(department.code)
    if found is None:
        return
    activity, row = found
    usagers = int(activity["usagers"])
    population = int(row["population"])
    attributed = row.get("postes_attribues")
    with st.expander(texts.activity_title(department), expanded=False):
        st.caption(texts.ACTIVITY_NOTE)
        per_post = (
            formatting.fmt_int(usagers / attributed)
            if attributed is not None and not pd.isna(attributed) and attributed > 0
            else "—"
        )
        totals = pd.DataFrame(
            [
                (texts.ACT_USAGERS, fmt_int(usagers)),
                (texts.ACT_ACCOMPANIMENTS, fmt_int(int(activity["accompagnements"]))),
                (
                    texts.ACT_PER_10000,
                    formatting.fmt_int(usagers / population * 10_000) if population else "—",
                ),
                (texts.ACT_PER_POST, per_post),
            ],
            columns=list(texts.ACT_TOTAL_COLUMNS),
        )
        show_table(totals, alt=texts.activity_title(department))
        show_table(activity_table(activity), alt=texts.activity_title(department))


def activity_table(activity) -> pd.DataFrame:
    """Top themes, age bands and kinds of support, as a readable table."""
    from aisnemap.domain import followup

    rows = [
        (texts.ACT_THEME, name, fmt_int(count)) for name, count in followup.top_themes(activity, 5)
    ]
    rows += [
        (texts.ACT_AGE, label, fmt_int(int(activity[f"age_{key}"])))
        for key, label in followup.AGE_BANDS.items()
    ]
    rows += [
        (texts.ACT_SUPPORT, label, fmt_int(int(activity[f"accompagnement_{key}"])))
        for key, label in followup.SUPPORT.items()
    ]
    return pd.DataFrame(rows, columns=list(texts.ACT_COLUMNS))


def show_cumulative_chart(posts, au) -> None:
    """Posts validated in the department over time, up to the date of situation."""
    if posts is None or posts.empty:
        return
    series = cumulative_posts(posts)
    series = series.loc[series["date"].dt.date <= au]
    points = [(d.date(), int(v)) for d, v in zip(series["date"], series["postes"], strict=True)]
    with st.expander(texts.CHART_TITLE):
        # Drawn by the app, every text escaped in charts.py (st.html's sanitiser drops an
        # inline SVG; Markdown's raw HTML keeps it).
        svg = charts.step_chart_svg(points, au, texts.chart_label(points, au))
        st.markdown(svg, unsafe_allow_html=True)
        st.caption(texts.CHART_NOTE)
