"""Page "Couverture": straight-line distance to the nearest site, and a wave-2 planner."""

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from aisnemap import coverage, maps, texts
from aisnemap.filters import criteria_mask, territory_communes
from aisnemap.ui.figures import fmt_int
from aisnemap.ui.page import footer, page_header, static_url

BAND_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")

view = page_header(texts.COVERAGE_TITLE, texts.COVERAGE_INTRO)
data, filters = view.data, view.filters

if data.ok:
    territory = data.territory
    sites = data.sites.loc[criteria_mask(data.sites, filters)]
    communes = territory_communes(territory.communes, filters)
    result = coverage.compute_coverage(communes, sites, sites["site"])
    population = int(communes["population"].sum())

    cols = st.columns(3)
    within = result.population_within()
    cols[0].metric(
        texts.FIG_WITHIN_10,
        f"{fmt_int(within)} ({within / population:.0%})" if population else "—",
        help=texts.FIG_WITHIN_10_HELP,
    )
    far = result.farthest(1).iloc[0]
    cols[1].metric(
        texts.FIG_FARTHEST,
        f"{far['nom']}",
        help=f"{far['distance_km']:.1f} km de « {far['site_le_plus_proche']} »",
    )
    cols[2].metric(texts.FIG_POPULATION, fmt_int(population), help=texts.FIG_POPULATION_HELP)

    st.subheader(texts.BANDS_TITLE)
    bands = result.bands.rename("Population").to_frame()
    bands["Part"] = (bands["Population"] / max(population, 1)).map(lambda v: f"{v:.1%}")
    st.dataframe(bands, width="stretch")

    areas = communes[["code", "nom", "geometry"]].merge(
        result.table[["code", "distance_km", "bande"]], on="code"
    )
    colour_of = dict(zip(coverage.BAND_LABELS, BAND_COLOURS, strict=True))
    areas["couleur"] = areas["bande"].map(colour_of)
    areas["etiquette"] = [
        f"{n} : {d:.1f} km" for n, d in zip(areas["nom"], areas["distance_km"], strict=True)
    ]
    fmap = maps.build_choropleth(
        data.layers,
        maps.encode_layer(areas, "etiquette", "couleur"),
        texts.DISTANCE_LEGEND,
        texts.DISTANCE_LEGEND,
        list(colour_of.items()),
        maps.bounds_of(communes),
        sites=sites,
        service_types=data.options.service_types,
        static_url=static_url(),
        notes=["Distance à vol d'oiseau, pas un temps de trajet."],
    )
    st_folium(
        fmap, key="carte_couverture", height=600, use_container_width=True, returned_objects=[]
    )

    st.subheader(texts.LEAST_COVERED_TITLE)
    least = result.farthest(15).round({"distance_km": 1}).rename(columns=texts.COVERAGE_COLUMNS)
    st.dataframe(least, hide_index=True, width="stretch")

    st.subheader(texts.PLANNER_TITLE)
    st.caption(texts.PLANNER_INTRO)
    names = dict(zip(communes["code"], communes["nom"], strict=True))
    picked = st.multiselect(
        texts.LABEL_CANDIDATES,
        sorted(names, key=lambda c: names[c].casefold()),
        format_func=lambda c: f"{names[c]} ({c})",
        key="couverture_candidats",
    )
    if picked:
        extra = coverage.commune_points_xy(communes.loc[communes["code"].isin(picked)])
        after = coverage.compute_coverage(communes, sites, sites["site"], extra_xy=extra)
        compare = pd.DataFrame({"Avant": result.bands, "Après": after.bands})
        compare["Écart"] = compare["Après"] - compare["Avant"]
        st.dataframe(compare, width="stretch")
        st.metric(
            texts.FIG_WITHIN_10,
            fmt_int(after.population_within()),
            delta=fmt_int(after.population_within() - within),
        )
    n = st.number_input(
        texts.LABEL_SUGGEST_N, min_value=1, max_value=10, value=3, key="couverture_n"
    )
    if st.button(texts.SUGGEST, key="couverture_suggerer"):
        st.session_state["couverture_suggestions"] = (
            filters,
            int(n),
            coverage.greedy_sites(communes, sites, int(n)),
        )
    stored = st.session_state.get("couverture_suggestions")
    if stored and stored[0] == filters and stored[1] == int(n):
        suggestions = stored[2]
        if not suggestions:
            st.info(texts.SUGGEST_NONE)
        else:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Rang": i + 1,
                            "Commune": f"{p.nom} ({p.code})",
                            "Habitants gagnés à moins de 10 km": p.gain,
                            "Population couverte ensuite": p.covered_after,
                        }
                        for i, p in enumerate(suggestions)
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
footer()
