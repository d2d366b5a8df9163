"""Entry point and home page: the map of the advisors, key figures, exports and table.

The shared sidebar is drawn here once for every page (Streamlit's ``st.navigation``), so
no page repeats it.
"""

import streamlit as st
from streamlit_folium import st_folium

from aisnemap.domain.filters import apply_filters, key_figures, reading_label, territory_communes
from aisnemap.domain.schema import count_advisors as advisor_count
from aisnemap.domain.views import figure_notes, sites_table
from aisnemap.french import texts
from aisnemap.render.maps import base_map, bounds_of, territory_outline, view_layers
from aisnemap.ui.exports import show_exports, view_places
from aisnemap.ui.figures import (
    show_activity,
    show_cumulative_chart,
    show_definitions,
    show_figures,
)
from aisnemap.ui.folium_map import folium_map, home_base_map
from aisnemap.ui.importing import configured_secret
from aisnemap.ui.layers import chosen_layers, layer_choices, layer_controls
from aisnemap.ui.memo import remembered
from aisnemap.ui.page import (
    PAGES,
    current_view,
    draw_sidebar,
    end_map_first,
    footer,
    map_first,
    map_title,
    map_view_query,
    mark_routed,
    name_tab,
    rest_after_map,
    run_page,
    setup_app,
    show_problems,
    sidebar_now,
    skip_link,
    start_map_first,
    static_url,
)
from aisnemap.ui.tables import explore_table


def map_page() -> None:
    """Home page: figures, map, exports, table of the sites shown."""
    view = current_view()
    data, filters = view.data, view.filters
    where = view.territory_phrase
    name_tab(texts.NAV_MAP, view)
    map_title(texts.view_heading(data.department, where))
    if data.empty:
        empty_map(data)
    if not data.ok:
        footer()
        return
    count = advisor_count(data.sites)
    announcement = data.context.announcement
    subtitle = texts.subtitle(
        count.total,
        len(data.sites),
        data.options.waves,
        announcement,
        view.national,
        view.recruitment,
    )
    reading = reading_label(filters, data.context.announcement_date)
    # The figures and the layer choices are drawn above the map but sent after it
    # (containers filled once the map is sent): the browser renders elements in the order
    # they come, so the map's frame, or its new layers after a filter change, come first;
    # on a session's first run they come with the next run (start_map_first).
    # Above the map, the room its content takes at each width is kept (page styles,
    # ``.st-key-au_dessus_carte``): the map does not move when the figures and choices come
    # (after it on a first run, as skeletons then widgets on a first visit).
    above = st.container(key="au_dessus_carte")
    head = above.container()
    communes = data.territory.communes
    shown = apply_filters(view.sites, filters)
    types = view.options.service_types
    # Derived once per file version and territory (aisnemap.ui.memo), not on every run.
    where_key = filters.territory_key()
    bounds = remembered(
        communes, ("bounds", where_key), lambda: bounds_of(territory_communes(communes, filters))
    )
    outline = remembered(
        data.territory.display,
        ("outline", where_key),
        lambda: territory_outline(data.territory.display, filters.most_precise()),
    )
    controls = above.container()  # the two layer choices, drawn once the map is sent
    extra, layer_notes = chosen_layers(data, *layer_choices())
    skip_link()
    first = map_first()
    # The base map does not depend on the filters: its script is rendered once per data
    # version and streamlit-folium keeps the map mounted; a filter change only redraws
    # the dynamic layers (sites, outline, place names).
    folium_map(
        *home_base_map(data, types, static_url()),
        view_layers(
            shown,
            types,
            fit=bounds,
            highlight=outline,
            places=view_places(view, shown),
            extra=extra,
            view=map_view_query(),
            report_drawn=True,
        ),
        key="carte",
        height=600,
    )
    sidebar_now()  # the filters, read before the map, drawn after it
    if first:  # the rest comes with the next run (aisnemap.ui.page.start_map_first)
        rest_after_map()
        return
    with controls:
        layer_controls()
    figures = key_figures(view.sites, communes, filters, shown, view.unplaced)
    with head:
        st.caption(texts.literal(subtitle))
        # What the figures count, where and from which reading, right above them.
        st.markdown(f"**{texts.literal(texts.view_summary(data.department, where, reading))}**")
        cards = show_figures(figures, announcement)
        if view.national and data.readings.before_first_committee(filters.au):
            st.info(texts.before_first_committee(data.department, data.readings.dates[0]))
        elif shown.empty:
            st.info(texts.NO_SITE)
    notes = figure_notes(figures)
    for note in layer_notes:
        st.caption(texts.literal(note))
    st.caption(texts.literal(" ".join([*notes, texts.MAP_HELP])))
    show_definitions(cards)
    if view.national:
        show_cumulative_chart(data.posts, filters.au)
    show_exports(view, shown, outline)
    st.header(texts.TABLE_TITLE, anchor=texts.TABLE_ANCHOR)
    explore_table(
        sites_table(shown),
        "sites",
        texts.TABLE_TITLE,
        f"sites-{data.department.code}",
        main=texts.TABLE_MAIN_COLUMNS,
        details="Site",
    )
    show_problems(data)
    show_activity(data.department)
    footer()


def empty_map(data) -> None:
    """A département without any post: its map without sites (an empty state)."""
    st_folium(
        base_map(data.layers, data.department_bounds, (), static_url=static_url()),
        key="carte_vide",
        height=500,
        use_container_width=True,
        returned_objects=[],
    )


data = setup_app()
# No page icons: Streamlit fetches Material icons from a font CDN, which an intranet lacks.
# URL paths equal the names Streamlit infers from pages/ (N_Name.py -> "Name"): the first
# request after a server start is routed by that legacy discovery (see aisnemap.ui.page).
# The announcement's pages (reconciliation, wave-2 import) exist where it was curated.
home = st.Page(map_page, title=texts.NAV_MAP, default=True)
PAGES["carte"] = home
pages = [
    home,
    st.Page(
        "pages/1_Territoires.py", title=texts.TERRITORIES_TITLE, url_path=texts.URL_TERRITORIES
    ),
    st.Page("pages/2_Couverture.py", title=texts.COVERAGE_TITLE, url_path=texts.URL_COVERAGE),
    st.Page("pages/6_Trouver_un_lieu.py", title=texts.FIND_NAV, url_path=texts.URL_FIND),
]
if data.curated:
    pages.append(
        st.Page(
            "pages/4_Rapprochement.py", title=texts.RECONCILE_TITLE, url_path=texts.URL_RECONCILE
        )
    )
    # The import is in the menu only where an administrator opened it (a secret is set).
    if configured_secret():
        pages.append(
            st.Page("pages/3_Import.py", title=texts.IMPORT_TITLE, url_path=texts.URL_IMPORT)
        )
france_page = st.Page("pages/5_France.py", title=texts.FRANCE_NAV, url_path=texts.URL_FRANCE)
navigation = st.navigation([*pages, france_page])
if navigation.url_path == texts.URL_FRANCE:  # the national page has its own date only
    mark_routed()
    run_page(navigation.run)
elif navigation.url_path == home.url_path and start_map_first(data):
    run_page(navigation.run)  # the title and the map alone: the rest comes next run
    end_map_first()
else:
    # The map page draws its filters right after its map (see draw_sidebar).
    draw_sidebar(data, later=navigation.url_path == home.url_path)
    run_page(navigation.run)
