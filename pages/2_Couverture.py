"""Page "Couverture": straight-line distance to the nearest site, and a wave-2 planner."""

import streamlit as st
from streamlit_folium import st_folium

from aisnemap.domain import coverage, fragility
from aisnemap.domain.filters import criteria_mask, territory_communes
from aisnemap.french import formatting, texts
from aisnemap.french.formatting import fmt_int
from aisnemap.render import maps
from aisnemap.ui.layers import threshold_slider
from aisnemap.ui.page import footer, page_header, run_page, static_url
from aisnemap.ui.tables import show_table, table_downloads

K_CANDIDATES = "couverture_candidats"


def table_with_downloads(table, stem: str, key: str, hide_index: bool = True) -> None:
    """A table of the page and its CSV and XLSX."""
    show_table(table, hide_index=hide_index)
    table_downloads(table if hide_index else table.reset_index(), stem, key)


def render() -> None:
    """The page body (inside the error boundary)."""
    view = page_header(texts.COVERAGE_TITLE, texts.COVERAGE_INTRO)
    data, filters = view.data, view.filters
    if not data.ok:
        return
    territory = data.territory
    sites = view.sites.loc[criteria_mask(view.sites, filters)]
    communes = territory_communes(territory.communes, filters)
    points = territory.points
    result = coverage.compute_coverage(communes, sites, points, sites["site"])
    population = int(communes["population"].sum())
    if sites.empty:  # no distance to show: every commune would be "infinitely" far
        st.info(texts.NO_SITE)
        return

    cols = st.columns(3)
    within = result.population_within()
    cols[0].metric(
        texts.FIG_WITHIN_10,
        f"{fmt_int(within)} ({formatting.fmt_percent(within / population)})" if population else "—",
        help=texts.FIG_WITHIN_10_HELP,
    )
    far = result.farthest(1).iloc[0]
    cols[1].metric(
        texts.FIG_FARTHEST,
        f"{far['nom']}",
        help=texts.literal(
            f"{formatting.fmt_km(far['distance_km'])} de « {far['site_le_plus_proche']} »"
        ),
    )
    cols[2].metric(texts.FIG_POPULATION, fmt_int(population), help=texts.FIG_POPULATION_HELP)

    stem = f"couverture-{data.department.code}"
    st.subheader(texts.BANDS_TITLE)
    table_with_downloads(
        coverage.bands_table(result, population), f"{stem}-tranches", "cv_tranches", False
    )

    # The planner's suggestions are drawn on the map above: computed for the number asked
    # (kept in the session), so the map and the table follow every change of N.
    n = int(st.session_state.get("couverture_n", 3))
    objective = st.session_state.get("couverture_objectif", "population")
    fragile = None
    if data.ifn is not None:
        scores = communes[["code"]].merge(data.ifn[["code", "total"]], on="code", how="left")
        fragile = fragility.fragile_weight(communes["population"].to_numpy(), scores["total"])
    else:
        objective = "population"
    # The candidates the user picked (below) count as sites for the suggestions.
    picked = [c for c in st.session_state.get(K_CANDIDATES, []) if c in set(communes["code"])]
    extra = points.xy_of(picked) if picked else None
    suggestions = coverage.greedy_sites(
        communes, sites, n, points, fragile=fragile, objective=objective, extra_xy=extra
    )
    areas = coverage.distance_areas(communes, result)
    fmap = maps.build_choropleth(
        data.layers,
        maps.encode_layer(areas, "etiquette", "couleur"),
        texts.DISTANCE_LEGEND,
        texts.DISTANCE_LEGEND,
        coverage.band_legend(),
        maps.bounds_of(communes),
        sites=sites,
        service_types=view.options.service_types,
        static_url=static_url(),
        notes=[texts.DISTANCE_NOTE, texts.SUGGESTIONS_NOTE]
        if suggestions
        else [texts.DISTANCE_NOTE],
        highlight=maps.territory_outline(territory.display, filters.most_precise()),
        suggestions=coverage.suggestion_points(points, suggestions),
    )
    st_folium(
        fmap, key="carte_couverture", height=600, use_container_width=True, returned_objects=[]
    )

    st.subheader(texts.LEAST_COVERED_TITLE)
    least = result.farthest(15).round({"distance_km": 1}).rename(columns=texts.COVERAGE_COLUMNS)
    table_with_downloads(least, f"{stem}-communes-les-plus-loin", "cv_loin")

    if data.ifn is not None:
        st.subheader(texts.FRAGILITY_COVERAGE_TITLE)
        st.caption(texts.IFN_CAPTION)
        table_with_downloads(
            coverage.bands_by_fragility(result, data.ifn),
            f"{stem}-tranches-fragilite",
            "cv_fragilite",
            False,
        )
        threshold = threshold_slider(st, "couverture_seuil")
        fragile_far = coverage.least_covered_fragile(result, data.ifn, threshold)
        st.markdown(f"**{texts.literal(texts.LEAST_COVERED_FRAGILE_TITLE)}**")
        if fragile_far.empty:
            st.info(texts.NO_FRAGILE_COMMUNE)
        else:
            table_with_downloads(
                fragile_far[
                    ["nom", "code", "population", "total", "distance_km", "site_le_plus_proche"]
                ]
                .rename(columns=texts.COVERAGE_COLUMNS)
                .rename(columns={"total": texts.IFN_TOTAL_COLUMN}),
                f"{stem}-communes-fragiles-loin",
                "cv_fragiles",
            )

    if data.france_services is not None:
        st.subheader(texts.FS_WITHOUT_ADVISOR_TITLE)
        radius = st.number_input(
            texts.LABEL_FS_RADIUS, min_value=1, max_value=50, value=10, key="couverture_fs_km"
        )
        # The France Services of the territory shown; sites anywhere serve them.
        codes = None if filters.whole_department else set(communes["code"])
        services = coverage.services_in(data.france_services, codes)
        far = coverage.services_without_advisor(services, sites, float(radius), points.crs)
        where = texts.sentence(view.territory_phrase or texts.department_whole(data.department))
        st.caption(
            texts.literal(
                texts.FS_WITHOUT_ADVISOR_NOTE.format(
                    where=where, n=len(far), total=len(services), km=formatting.fmt_km(radius, 0)
                )
            )
        )
        if len(far):
            table_with_downloads(
                far[["nom", "commune", "code_insee", "itinerant", "distance_km"]]
                .assign(itinerant=lambda t: t["itinerant"].map({True: "oui", False: "non"}))
                .rename(columns=texts.FS_COLUMNS),
                f"{stem}-france-services-sans-conseiller",
                "cv_fs",
            )

    st.subheader(texts.PLANNER_TITLE)
    st.caption(texts.PLANNER_INTRO)
    names = dict(zip(communes["code"], communes["nom"], strict=True))
    st.session_state[K_CANDIDATES] = picked
    picked = st.multiselect(
        texts.LABEL_CANDIDATES,
        sorted(names, key=lambda c: names[c].casefold()),
        format_func=lambda c: f"{names[c]} ({c})",
        key=K_CANDIDATES,
        placeholder=texts.CANDIDATES_PLACEHOLDER,
    )
    if picked:
        extra = points.xy_of(picked)
        after = coverage.compute_coverage(communes, sites, points, sites["site"], extra_xy=extra)
        table_with_downloads(
            coverage.compare_bands(result, after), f"{stem}-candidates", "cv_candidates", False
        )
        st.metric(
            texts.FIG_WITHIN_10,
            fmt_int(after.population_within()),
            delta=fmt_int(after.population_within() - within),
        )
    st.number_input(texts.LABEL_SUGGEST_N, min_value=1, max_value=10, value=3, key="couverture_n")
    if data.ifn is not None:
        st.radio(
            texts.LABEL_OBJECTIVE,
            list(texts.OBJECTIVES),
            format_func=texts.OBJECTIVES.get,
            key="couverture_objectif",
            help=texts.OBJECTIVE_HELP,
        )
    if not suggestions:
        st.info(texts.SUGGEST_NONE)
    else:
        table_with_downloads(
            coverage.suggestions_table(suggestions), f"{stem}-suggestions", "cv_suggestions"
        )


run_page(render)
footer()
