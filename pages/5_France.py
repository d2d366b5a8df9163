"""Page "France": every département's posts per 10 000 inhabitants at a date, its mean
IFN, a table and its CSV; selecting a département opens its map."""

import streamlit as st
from streamlit_folium import st_folium

from aisnemap.domain import fragility, france
from aisnemap.french import formatting, texts
from aisnemap.render import atlas, maps
from aisnemap.ui import national
from aisnemap.ui.exports import atlas_section
from aisnemap.ui.page import (
    current_view,
    footer,
    name_tab,
    open_department,
    run_page,
    static_url,
)
from aisnemap.ui.tables import explore_table

K_AU = "france_au"
K_OPEN = "france_departement"
K_CLICK = "france_dernier_clic"


def render() -> None:
    """The page body (inside the error boundary)."""
    current_view()  # frames the page when Streamlit ran it without the router
    name_tab(texts.FRANCE_TAB)
    st.title(texts.FRANCE_TITLE, anchor=False)
    st.caption(texts.FRANCE_INTRO)
    loaded = national.national_data()
    if loaded is None:
        st.error(national.national_problem() or texts.FRANCE_MISSING)
        return
    data, rings = loaded.files, loaded.rings
    dates = france.committee_dates(data.posts)
    if K_AU not in st.session_state:
        st.session_state[K_AU] = national.default_date(dates, st.query_params.get("au"))
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    au = left.select_slider(
        texts.FRANCE_AU,
        dates,
        key=K_AU,
        format_func=lambda d: f"{d:%d/%m/%Y}",
        help=texts.FRANCE_AU_HELP,
    )
    if st.query_params.get("au") != au.isoformat():
        st.query_params["au"] = au.isoformat()
    frame = france.situation(data.table, data.posts, au)
    population = int(frame["population"].sum())
    posts = int(frame["postes"].sum())
    ifn = fragility.weighted_mean(frame["population"], frame["ifn_moyen"])
    if data.outside:
        right.caption(texts.FRANCE_OUTSIDE.format(n=data.outside))
    cols = st.columns(4)
    cols[0].metric(
        texts.FRANCE_FIG_POSTS, formatting.fmt_int(posts), help=texts.FRANCE_FIG_POSTS_HELP
    )
    cols[1].metric(texts.FRANCE_FIG_RATE, formatting.fmt_decimal(posts / population * 10_000, 2))
    cols[2].metric(texts.FRANCE_FIG_NONE, formatting.fmt_int(int((frame["postes"] == 0).sum())))
    cols[3].metric(texts.FRANCE_FIG_IFN, formatting.fmt_decimal(ifn, 2) if ifn else "—")

    names = dict(zip(frame["code"], frame["nom"], strict=True))
    returned = st_folium(
        maps.france_map(national.map_items(frame, rings), national.legend(), static_url()),
        key="carte_france",
        height=560,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    # A click on a département reruns the page with the clicked point: open its map.
    clicked = (returned or {}).get("last_object_clicked")
    if clicked and clicked != st.session_state.get(K_CLICK):
        st.session_state[K_CLICK] = clicked
        code = loaded.code_at(clicked["lat"], clicked["lng"])
        if code in names:
            open_department(code, au)
    st.caption(texts.FRANCE_MAP_HELP)

    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        texts.FRANCE_OPEN_LABEL,
        list(names),
        format_func=lambda c: f"{names[c]} ({c})",
        key=K_OPEN,
        help=texts.FRANCE_OPEN_HELP,
    )
    if right.button(texts.FRANCE_OPEN, key="france_ouvrir", width="stretch"):
        open_department(chosen, au)

    st.header(texts.FRANCE_TABLE_TITLE, anchor=False)
    shown = national.table_for(frame)
    explore_table(
        shown,
        "france",
        texts.FRANCE_TABLE_TITLE,
        f"conseillers-numeriques-france-{au.isoformat()}",
        shown_as=national.displayed,
    )
    france_atlas_download(loaded, frame, au)


def france_atlas_download(loaded, frame, au) -> None:
    """The France atlas at the date chosen: a page per département."""
    st.subheader(texts.ATLAS_FRANCE_SECTION, anchor=False)

    def make(progress) -> bytes:
        return atlas.in_child_process(
            atlas.france_atlas,
            progress,
            frame=frame,
            posts=loaded.files.posts,
            shapes=loaded.shapes,
            au=au,
        )

    atlas_section(
        ("france", au.isoformat()),
        len(frame),
        texts.ATLAS_FRANCE_MAKE.format(n=len(frame)),
        make,
        f"conseillers-numeriques-france-atlas-{au.isoformat()}.pdf",
    )


run_page(render)
footer(national=True)
