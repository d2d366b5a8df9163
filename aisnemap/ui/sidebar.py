"""The shared sidebar: filters and territory cascade, kept in the URL query string."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from aisnemap.domain.filters import (
    QUERY_KEYS,
    SEARCH_MAX,
    Filters,
    Options,
    Readings,
    clean_search,
    date_from_query,
    from_query,
    to_query,
)
from aisnemap.domain.territory import COMMUNE, LEVELS
from aisnemap.french import texts
from aisnemap.french.formatting import fmt_date
from aisnemap.ui.memo import remembered

# Session-state keys of the widgets (shared by every page, so a view survives navigation).
K_WAVE = "f_vague"
K_OPERATOR = "f_operateur"
K_SERVICE = "f_service"
K_STRUCTURE = "f_structure"
K_SEARCH = "f_recherche"
K_ITINERANT = "f_itinerant"
K_ARR = "f_arrondissement"
K_EPCI = "f_epci"
K_COMMUNE = "f_commune"
K_READING = "f_lecture"
K_AU = "f_au"
K_INIT = "f_initialised"
K_LAST = "f_derniers"
#: A date of situation handed over by the France page when it opens a département.
K_START_AU = "f_au_depart"
ALL = ""  # option value meaning "no territory restriction"
WIDGET_KEYS = (
    K_WAVE,
    K_OPERATOR,
    K_SERVICE,
    K_STRUCTURE,
    K_ITINERANT,
    K_SEARCH,
    K_ARR,
    K_EPCI,
    K_COMMUNE,
)
#: The multi-selects: an empty one means "all" (its placeholder says so).
_MULTI = (
    (K_WAVE, "waves", texts.LABEL_WAVE, texts.ALL_WAVES),
    (K_OPERATOR, "operator_types", texts.LABEL_OPERATOR_TYPE, texts.ALL_OPERATOR_TYPES),
    (K_SERVICE, "service_types", texts.LABEL_SERVICE_TYPE, texts.ALL_SERVICE_TYPES),
    (K_STRUCTURE, "structures", texts.LABEL_STRUCTURE, texts.ALL_STRUCTURES),
)

#: Widget key, label and "all" label of each territory level.
_TERRITORY_WIDGETS = {
    "arrondissement": (K_ARR, texts.LABEL_ARRONDISSEMENT, texts.ALL_ARRONDISSEMENTS),
    "epci": (K_EPCI, texts.LABEL_EPCI, texts.ALL_EPCI),
    "commune": (K_COMMUNE, texts.LABEL_COMMUNE, texts.ALL_COMMUNES),
}

_ITINERANT_VALUES = {
    texts.ITINERANT_ALL: None,
    texts.ITINERANT_YES: True,
    texts.ITINERANT_NO: False,
}


class LaterSidebar:
    """The sidebar's calls written down during a run and drawn later in the same run
    (:meth:`draw`): the map page sends its map before its filters (their values are known
    from the session's state). A widget's call answers its current state, as the
    widget would."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, name: str):
        if name.startswith("_"):  # copy, pickle and the like ask for these: not calls
            raise AttributeError(name)

        def call(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            key = kwargs.get("key")
            return st.session_state.get(key) if key is not None else None

        return call

    def draw(self) -> None:
        """Draw the calls written down, in their order, in the real sidebar, as the
        router's own widgets: Streamlit names a widget by the script that draws it (the
        page's or the router's), and the same filter named by another script on one
        page only would be another widget, its value lost when the reader leaves."""
        calls, self.calls = self.calls, []
        ctx = get_script_run_ctx()
        scope = (
            ctx.run_with_active_hash(ctx.pages_manager.main_script_hash)
            if ctx is not None
            else contextlib.nullcontext()
        )
        with scope:
            for name, args, kwargs in calls:
                getattr(st.sidebar, name)(*args, **kwargs)


def _query_lists() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in QUERY_KEYS if key in st.query_params}


def _state_from_filters(filters: Filters, options: Options, readings: Readings) -> None:
    st.session_state[K_READING] = (
        texts.READING_NATIONAL if filters.au is not None else readings.announcement_label
    )
    if filters.au is not None:
        st.session_state[K_AU] = filters.au
    for key, attribute, _label, _all in _MULTI:
        values = getattr(filters, attribute)
        offered = getattr(options, attribute)
        # Everything selected reads as "all": the widget stays empty with its placeholder.
        everything = values is None or set(values) >= set(offered)
        st.session_state[key] = [] if everything else [v for v in values if v in offered]
    st.session_state[K_SEARCH] = filters.search or ""
    label = {v: k for k, v in _ITINERANT_VALUES.items()}[filters.itinerant]
    st.session_state[K_ITINERANT] = label
    for level in LEVELS:
        st.session_state[_TERRITORY_WIDGETS[level.key][0]] = getattr(filters, level.key) or ALL


def _territory_select(sb, key: str, label: str, names: dict[str, str], all_label: str) -> None:
    """One step of the territory cascade; a value outside the narrowed scope is reset."""
    if st.session_state.get(key) not in names:
        st.session_state[key] = ALL
    sb.selectbox(label, [ALL, *names], key=key, format_func=lambda c: names.get(c, all_label))


def _level_names(scope: pd.DataFrame, level) -> dict[str, str]:
    names = _names(scope, level.code_column, level.name_column)
    if level is COMMUNE:  # homonyms exist: show the code too
        names = {c: f"{n} ({c})" for c, n in names.items()}
    return names


def _names(communes: pd.DataFrame, code: str, name: str) -> dict[str, str]:
    pairs = (
        communes[[code, name]].drop_duplicates().sort_values(name, key=lambda c: c.str.casefold())
    )
    return dict(zip(pairs[code], pairs[name], strict=True))


def _reading_widgets(sb, readings: Readings) -> date | None:
    """The reading switch and, for the national list, its date of situation."""
    if readings.national is None:
        st.session_state[K_READING] = readings.announcement_label
        return None
    if readings.national_only:  # no announcement here: the list is the only reading
        st.session_state[K_READING] = texts.READING_NATIONAL
    else:
        choices = (readings.announcement_label, texts.READING_NATIONAL)
        sb.radio(texts.LABEL_READING, choices, key=K_READING)
    if st.session_state[K_READING] != texts.READING_NATIONAL:
        return None
    chosen = st.session_state.get(K_AU) or readings.dates[-1]
    dates = sorted({*readings.choices, chosen})
    if chosen not in dates:
        chosen = readings.dates[-1]
    st.session_state[K_AU] = chosen

    def label(day: date) -> str:
        return texts.recruitment_day(day) if readings.is_recruitment(day) else fmt_date(day)

    sb.select_slider(texts.LABEL_AU, dates, key=K_AU, format_func=label, help=texts.AU_HELP)
    return st.session_state[K_AU]


def forget_filters() -> None:
    """Drop the filters of this session (another département: other territories)."""
    for key in (*WIDGET_KEYS, K_READING, K_AU, K_INIT, K_LAST):
        st.session_state.pop(key, None)


def _default_filters(readings: Readings) -> Filters:
    return Filters(au=readings.default_au())


def filters_started() -> bool:
    """True once this session's filters were set from its first URL."""
    return bool(st.session_state.get(K_INIT))


def first_filters(readings: Readings, communes: pd.DataFrame) -> Filters:
    """The filters a session starts from: its URL, else a date handed over by the France
    page, else the defaults. Draws nothing and changes no state."""
    params = _query_lists()
    handed = st.session_state.get(K_START_AU)
    if handed is not None and readings.bounds:
        handed = min(max(handed, readings.bounds[0]), readings.bounds[1])
    au = date_from_query(params, readings.bounds) or handed or readings.default_au()
    filters = from_query(params, readings.options(au), communes, readings.bounds)
    if filters.au != au and au is not None:
        filters = replace(filters, au=au)
    return filters


def sidebar_filters(
    readings: Readings,
    communes: pd.DataFrame,
    restore: bool = False,
    keep: dict[str, str] | None = None,
    view_keys: tuple[str, ...] = (),
    start: Filters | None = None,
    surface: LaterSidebar | None = None,
) -> Filters:
    """Draw the filters in the sidebar and return the selected criteria.

    ``surface``: where the widgets are drawn (a :class:`LaterSidebar` draws them later
    in the run), the sidebar itself by default.

    ``start``: the filters a first run already read from the URL (a map-first run), kept
    as they were whatever the URL of the next run says.

    ``keep``: query parameters that are not filters but stay in the URL (``dep``, layers);
    those of ``view_keys`` (the map's zoom) are dropped when the filters change."""
    if not st.session_state.get(K_INIT):
        filters = start or first_filters(readings, communes)
        st.session_state.pop(K_START_AU, None)
        _state_from_filters(filters, readings.options(filters.au), readings)
        st.session_state[K_INIT] = True
    elif restore:
        # The widgets were last drawn by another script (a page run by the legacy pages/
        # mode): Streamlit does not carry their values over, so restore the last filters.
        last = st.session_state.get(K_LAST, Filters())
        _state_from_filters(last, readings.options(last.au), readings)

    sb = surface if surface is not None else st.sidebar
    sb.header(texts.SIDEBAR_FILTERS)
    if sb.button(texts.RESET, key="f_reset", width="stretch"):
        _state_from_filters(
            _default_filters(readings), readings.options(readings.default_au()), readings
        )
        st.query_params.clear()
    au = _reading_widgets(sb, readings)
    options = readings.options(au)

    sb.text_input(
        texts.LABEL_SEARCH,
        key=K_SEARCH,
        placeholder=texts.SEARCH_PLACEHOLDER,
        max_chars=SEARCH_MAX,
    )
    for key, attribute, label, all_label in _MULTI:
        offered = getattr(options, attribute)
        # After a data change (a wave-2 import, another reading) a selection keeps the
        # values still offered; an empty one stays "all", new values included.
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in offered]
        sb.multiselect(
            label,
            offered,
            key=key,
            placeholder=all_label,
            format_func=options.wave_label if key == K_WAVE else str,
        )
    sb.radio(texts.LABEL_ITINERANT, texts.ITINERANT_CHOICES, key=K_ITINERANT)

    sb.header(texts.SIDEBAR_TERRITORY)
    # Each level offers only what lies in the wider ones chosen; a plain table of the
    # levels' columns (selecting from the GeoDataFrame would copy its 800 shapes each run).
    scope = pd.DataFrame(
        {c: communes[c].to_numpy() for lv in LEVELS for c in (lv.code_column, lv.name_column)}
    )
    chosen: tuple[str, ...] = ()  # the wider levels' choices so far
    for level in LEVELS:
        key, label, all_label = _TERRITORY_WIDGETS[level.key]
        # Once per file version and wider choices (aisnemap.ui.memo), not on every run.
        names = remembered(
            communes,
            ("noms", level.key, chosen),
            lambda scope=scope, level=level: _level_names(scope, level),
        )
        _territory_select(sb, key, label, names, all_label)
        if st.session_state[key]:
            scope = scope[scope[level.code_column] == st.session_state[key]]
        chosen += (st.session_state[key] or "",)
    sb.caption(texts.SHARE_HINT)

    filters = Filters(
        **{attribute: tuple(st.session_state[key]) or None for key, attribute, _, _ in _MULTI},
        search=clean_search(st.session_state.get(K_SEARCH)),
        itinerant=_ITINERANT_VALUES[st.session_state[K_ITINERANT]],
        au=au,
        **{
            level.key: st.session_state[_TERRITORY_WIDGETS[level.key][0]] or None
            for level in LEVELS
        },
    )
    st.session_state[K_LAST] = filters
    current = _query_lists()
    wanted_filters = {
        k: (v if isinstance(v, list) else [v]) for k, v in to_query(filters, options).items()
    }
    if current != wanted_filters:
        keep = {k: v for k, v in (keep or {}).items() if k not in view_keys}
    query = {**(keep or {}), **to_query(filters, options)}
    for key in keep or {}:
        if key in st.query_params:
            current[key] = st.query_params.get_all(key)
    wanted = {k: (v if isinstance(v, list) else [v]) for k, v in query.items()}
    if current != wanted:
        st.query_params.from_dict(query)
    return filters
