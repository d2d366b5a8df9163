"""Page "Territoires": figures per arrondissement or EPCI, table and choropleth map."""

import streamlit as st
from streamlit_folium import st_folium

from aisnemap.domain import analysis, schema
from aisnemap.domain.filters import criteria_mask
from aisnemap.french import texts
from aisnemap.render import maps
from aisnemap.ui.exports import department_atlas_download, sheet_download
from aisnemap.ui.layers import threshold_slider
from aisnemap.ui.page import footer, page_header, run_page, static_url
from aisnemap.ui.tables import explore_table


def render() -> None:
    """The page body (inside the error boundary)."""
    view = page_header(texts.TERRITORIES_TITLE, texts.TERRITORIES_INTRO)
    data, filters = view.data, view.filters
    if not data.ok:
        return
    territory = data.territory
    level = st.radio(
        texts.LABEL_LEVEL,
        list(texts.LEVEL_LABELS),
        format_func=texts.LEVEL_LABELS.get,
        horizontal=True,
        key="territoires_niveau",
    )
    sites = view.sites.loc[criteria_mask(view.sites, filters)]
    unplaced = view.unplaced
    if unplaced is not None and len(unplaced) and filters.whole_department:
        unplaced = unplaced.loc[criteria_mask(unplaced, filters)]
    else:
        unplaced = None  # counted on the whole département only, as on the map
    stats = analysis.territory_stats(sites, territory.communes, level, unplaced)
    colour_by = "habitants_par_conseiller"
    if data.ifn is not None:
        left, right = st.columns([1, 2])
        threshold = threshold_slider(left, "territoires_seuil")
        colour_by = right.radio(
            texts.LABEL_COLOUR_BY,
            list(analysis.COLOUR_BY),
            format_func=analysis.COLOUR_BY.get,
            horizontal=True,
            key="territoires_couleur",
        )
        stats = analysis.add_fragility(stats, territory.communes, data.ifn, level, threshold)
    else:
        st.info(texts.IFN_UNAVAILABLE)
    shown = analysis.french_table(stats)
    explore_table(shown, "territoires", texts.TERRITORIES_TITLE, f"territoires-{level}")
    sheet_download(view, level, stats)
    department_atlas_download(view, level)

    chosen = analysis.LEVELS[level]
    areas = analysis.choropleth_frame(
        territory.display[chosen.layer], stats, chosen.layer_code_column, colour_by
    )
    fragile_map = colour_by != "habitants_par_conseiller"
    count = schema.count_advisors(sites)
    fmap = maps.build_choropleth(
        data.layers,
        maps.encode_layer(areas, "etiquette", "couleur"),
        analysis.COLOUR_BY[colour_by] if fragile_map else texts.CHORO_LAYER,
        analysis.COLOUR_BY[colour_by] if fragile_map else texts.CHORO_LEGEND,
        analysis.fragility_legend(colour_by) if fragile_map else analysis.legend_items(),
        maps.bounds_of(territory.communes),
        sites=sites,
        service_types=view.options.service_types,
        static_url=static_url(),
        notes=[texts.IFN_LEGEND_NOTE]
        if fragile_map
        else [texts.pool_note(count.pools, count.pool_names), texts.CHORO_POOL_NOTE]
        if count.pools
        else [],
        highlight=maps.territory_outline(territory.display, filters.most_precise()),
    )
    st_folium(
        fmap, key="carte_territoires", height=600, use_container_width=True, returned_objects=[]
    )
    if data.ifn is not None:
        st.caption(texts.IFN_CAPTION)


run_page(render)
footer()
