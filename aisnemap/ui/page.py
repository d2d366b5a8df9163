"""Page frame: one router (dashboard.py) sets the page up, draws the shared sidebar once,
then runs the selected page; pages read the data and filters through :func:`current_view`.

Streamlit runs the very first request after a server start in its legacy ``pages/`` mode
(the folder exists), so a shared link to a page may run that page file without the
router. :func:`current_view` notices it and draws the frame and sidebar itself.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from aisnemap import config, storage
from aisnemap.admin.importer import clean_temp_files
from aisnemap.build import france, on_demand
from aisnemap.build import pipeline as build
from aisnemap.domain.departements import (
    Department,
    DepartmentContext,
    context_of_code,
    normalise_code,
    unknown_code_message,
)
from aisnemap.domain.filters import Q_AU, Filters, reading_label, territory_phrase
from aisnemap.domain.schema import ERROR
from aisnemap.french import texts
from aisnemap.render.assets import ensure_assets
from aisnemap.ui.data import AppData, load_app_data, load_context_data
from aisnemap.ui.sidebar import (
    K_START_AU,
    LaterSidebar,
    filters_started,
    first_filters,
    forget_filters,
    sidebar_filters,
)

LOG = logging.getLogger("aisnemap.ui")
_FILTERS_KEY = "vue_filtres"
_ROUTED_KEY = "vue_routee"
_DRAWER_KEY = "vue_dessinee_par"
_STARTED_KEY = "vue_session_commencee"
_DEPARTMENT_KEY = "vue_departement"
_MAP_FIRST_KEY = "vue_carte_d_abord"
_MAP_FIRST_DONE_KEY = "vue_carte_d_abord_faite"
_MAP_WAIT_KEY = "vue_attente_carte"
_SIDEBAR_LATER_KEY = "vue_filtres_a_dessiner"
#: Seconds after which the rest of the page comes even if the map never said it was drawn.
MAP_FIRST_FALLBACK_S = 10
#: Query parameter choosing the département (``?dep=59``).
Q_DEP = "dep"
#: The commune of « Trouver un lieu » (``?lieu=02381``).
Q_PLACE = "lieu"
#: The optional layers of the map (``?ifn=total&fs=2024``, see aisnemap.ui.layers).
Q_IFN = "ifn"
Q_FS = "fs"
#: The map's zoom and centre after the reader moved it (``?vue=10.5/49.8123/3.9871``),
#: written by the map's script; dropped when a filter changes (the map fits again).
Q_MAP_VIEW = "vue"
_VIEW_PARAMS = (Q_PLACE, Q_IFN, Q_FS, Q_MAP_VIEW)


def _kept_view_params() -> dict[str, str]:
    """Parameters of the view that are not filters, kept in the URL as they are."""
    return {k: st.query_params[k] for k in _VIEW_PARAMS if k in st.query_params}


def map_view_query() -> tuple[float, float, float] | None:
    """(lat, lon, zoom) of ``?vue=`` when it is well formed, else None."""
    raw = st.query_params.get(Q_MAP_VIEW)
    try:
        zoom, lat, lon = (float(p) for p in (raw or "").split("/"))
    except ValueError:
        return None
    if not (4 <= zoom <= 18 and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon, zoom


@dataclass(frozen=True)
class View:
    """What a page draws from: the loaded data and the filters of the sidebar."""

    data: AppData
    filters: Filters

    @property
    def national(self) -> bool:
        """True when the view shows the national list's posts (a date of situation)."""
        return self.filters.au is not None and self.data.national is not None

    @property
    def recruitment(self) -> bool:
        """True when the view shows the follow-up's situation (September 2023)."""
        return (
            self.national
            and self.data.recruitment is not None
            and (self.data.readings.is_recruitment(self.filters.au))
        )

    @property
    def reading(self):
        """The national or follow-up reading shown (None: the announcement)."""
        if self.recruitment:
            return self.data.recruitment
        return self.data.national if self.national else None

    @property
    def territory_phrase(self) -> str | None:
        """« arrondissement de Vervins »…, None for the whole département."""
        if not self.data.ok:
            return None
        return territory_phrase(self.filters, self.data.territory.communes)

    @property
    def sites(self):
        """The sites of the reading shown (all dates; filters apply the date)."""
        return self.reading.sites if self.reading is not None else self.data.sites

    @property
    def options(self):
        """The filter options of the reading shown."""
        return self.data.readings.options(self.filters.au)

    @property
    def unplaced(self):
        """Structures counted in the department with no place in it (national reading)."""
        return self.reading.unplaced if self.reading is not None else None


@st.cache_data(show_spinner=False, ttl=3600)
def known_departments() -> dict[str, Department]:
    """The départements this server can show (national table, else the COG reference)."""
    return france.known_departments()


def chosen_department() -> tuple[Department, str | None]:
    """The département of this session: ``?dep=`` when valid, else the one already shown,
    else the server's (``AISNEMAP_DEPARTEMENT``); and a French message for a bad code.
    Going to another département forgets the filters (other territories)."""
    known = known_departments()
    message = None
    default = config.served_department()
    if default not in known:
        message = unknown_code_message(default, known)
        default = config.DEFAULT_DEPARTMENT
    current = st.session_state.get(_DEPARTMENT_KEY)
    code = current or default
    asked = st.query_params.get(Q_DEP)
    if asked is not None:
        wanted = normalise_code(asked)
        if wanted in known:
            code = wanted
        else:
            message = unknown_code_message(asked, known)
            del st.query_params[Q_DEP]
    if current is not None and code != current:
        forget_filters()
    st.session_state[_DEPARTMENT_KEY] = code
    return known.get(code) or Department(code, code), message


def department_query(code: str) -> dict[str, str]:
    """The ``dep`` parameter the URL keeps (none for the server's own département)."""
    return {} if code == config.served_department() else {Q_DEP: code}


_BUILT: set[str] = set()


def ensure_built(context: DepartmentContext) -> str | None:
    """A département's data, built on its first visit where the server allows it: one
    build at a time for the whole data folder, in a child process (aisnemap.build.on_demand);
    returns a French message (no path), or None when the data is there. The build kept
    in the data folder itself is made by ``make data``, never on a visit."""
    department, code = context.department, context.code
    if code in _BUILT or context.folder == config.DATA_DIR:
        return None
    if build.is_built(department=code):
        _BUILT.add(code)
        return None
    if not config.builds_on_visit():
        return texts.not_built(department)
    with st.status(texts.building(department), expanded=False) as status:
        result = on_demand.request_build(
            code, waiting=lambda: status.update(label=texts.building_for_another(department))
        )
        if result.outcome is on_demand.Outcome.BUSY:
            status.update(label=texts.BUILD_BUSY_SHORT, state="error")
            return texts.build_busy(department)
        if result.outcome is on_demand.Outcome.FAILED:
            status.update(label=texts.BUILD_FAILED_SHORT, state="error")
            return texts.build_failed(department)
        status.update(label=texts.built(department, result.seconds), state="complete")
    _BUILT.add(code)
    return None


#: The navigation's pages, registered by dashboard.py on every run (for st.switch_page).
PAGES: dict[str, object] = {}


def open_department(code: str, au=None) -> None:
    """Show a département's map in this session (from the France page), whole, at date
    ``au``: a fresh view, whatever the filters were."""
    forget_filters()
    st.session_state[_DEPARTMENT_KEY] = code
    query = department_query(code)
    if au is not None:
        st.session_state[K_START_AU] = au
        # The whole URL of the view at once: the map's first run then leaves it as it is,
        # so the browser's history holds the France page right before it (Back returns).
        query[Q_AU] = au.isoformat()
    st.switch_page(PAGES["carte"], query_params=query)


def setup_app() -> AppData:
    """Page config and local assets, then the département's data (errors shown, never
    raised)."""
    # Filters left unwritten by a run that a click interrupted are never drawn by the next
    # (another page, the France page, may have no filters at all).
    st.session_state.pop(_SIDEBAR_LATER_KEY, None)
    department, message = chosen_department()
    context = context_of_code(department.code)
    st.set_page_config(page_title=texts.app_title(department), layout="wide")
    _assets_once()
    french_page()
    if message:
        st.error(message)
    failure = ensure_built(context)
    if failure:
        st.error(failure)
    # Named by its build once built (the context above may predate it).
    data = load_context_data(context_of_code(department.code))
    if data.error:
        st.error(texts.literal(data.error))
    elif data.empty:
        st.info(texts.no_posts(data.department))
    elif data.sites is None:
        st.error(texts.STRUCTURES_INVALID)
        show_problems(data)
    return data


def draw_sidebar(data: AppData, drawer: str = "routeur", later: bool = False) -> None:
    """The shared filters, kept for the page about to run in this script run.

    ``drawer`` names the script drawing them: when it differs from the last one, Streamlit
    does not carry the widgets' values over, so the last filters are restored.

    ``later``: the filters are read now and their widgets drawn later in this run, by
    :func:`sidebar_now` (the map page, right after its map) or at the latest when the
    page ends (:func:`run_page`). The browser renders the elements that come together in
    one go: after a filter change, the map's new layers are drawn before the page's
    filters and figures instead of after them.
    """
    last = st.session_state.get(_DRAWER_KEY)
    st.session_state[_DRAWER_KEY] = drawer
    # After a map-first run, the filters it read from the URL (a later run's URL may be
    # another, e.g. one a fragment's rerun sent).
    after_map_first = st.session_state.pop(_MAP_FIRST_DONE_KEY, False)
    st.session_state[_STARTED_KEY] = True
    surface = LaterSidebar() if later and data.ok else None
    if data.ok:
        st.session_state[_FILTERS_KEY] = sidebar_filters(
            data.readings,
            data.territory.communes,
            restore=last not in (None, drawer),
            keep={**department_query(data.department.code), **_kept_view_params()},
            view_keys=(Q_MAP_VIEW,),
            start=st.session_state.get(_FILTERS_KEY) if after_map_first else None,
            surface=surface,
        )
    if surface is not None:
        st.session_state[_SIDEBAR_LATER_KEY] = surface
    st.session_state[_ROUTED_KEY] = True


def sidebar_now() -> None:
    """Draw the filters read earlier in this run (``draw_sidebar(later=True)``), once."""
    surface = st.session_state.pop(_SIDEBAR_LATER_KEY, None)
    if surface is not None:
        surface.draw()


def mark_routed() -> None:
    """This run went through the router, for a page without the shared filters."""
    st.session_state[_STARTED_KEY] = True
    st.session_state[_ROUTED_KEY] = True


def current_view() -> View:
    """The data and the filters of this run; call it before drawing anything on a page."""
    if not st.session_state.pop(_ROUTED_KEY, False):
        if PagesManager.uses_pages_directory and not st.session_state.get(_STARTED_KEY):
            # Streamlit ran this page in its legacy pages/ mode (first request after a
            # start): its menu would name the files ("dashboard", "Import"), for this
            # session and the next. Leave that mode for good and rerun through the router,
            # which resolves the same page (same URL path) with its real titles. Only on
            # a session's first run: a later run may carry a click a rerun would drop.
            st.session_state[_STARTED_KEY] = True
            PagesManager.uses_pages_directory = False
            st.rerun()
        # Run without the router (see the module docstring): frame the page here.
        # Widgets belong to the script that drew them: name this page's script, so going
        # from one page to another in this mode also restores the last filters.
        ctx = get_script_run_ctx()
        draw_sidebar(setup_app(), drawer=f"page:{ctx.page_script_hash if ctx else ''}")
        st.session_state.pop(_ROUTED_KEY, None)
    return View(
        load_app_data(department=session_department()),
        st.session_state.get(_FILTERS_KEY, Filters()),
    )


def start_map_first(data: AppData) -> bool:
    """On a browser session's first run of the map page, the map goes first: the filters
    come from the URL without drawing the sidebar, the page sends its title and the map,
    and stops (the room the figures take above the map is kept: page styles). The sidebar,
    the figures and the rest come with the next run, which the map
    asks for once drawn (its component value, ``aisne.reportDrawn`` in carte.js), or
    ``MAP_FIRST_FALLBACK_S`` later if it never does. The browser renders the elements that
    come together in one go, waiting for each one's code: sent alone, the map's frame is
    inserted 400 ms sooner (bench/trace.py). Without a browser (``AppTest``: no request
    headers) the page is whole at once. True when this run is such a run."""
    if not (data.ok and st.context.headers) or filters_started():
        return False  # AppTest, or the sidebar already set the filters (a later run)
    if st.session_state.get(_MAP_FIRST_DONE_KEY):
        return False  # the run right after a map-first run draws everything
    st.session_state[_FILTERS_KEY] = first_filters(data.readings, data.territory.communes)
    st.session_state[_MAP_FIRST_KEY] = True
    st.session_state[_MAP_FIRST_DONE_KEY] = True
    mark_routed()
    return True


def end_map_first() -> None:
    """After a map-first run (its sidebar is drawn by the next run)."""
    st.session_state.pop(_MAP_FIRST_KEY, None)
    st.session_state.pop(_ROUTED_KEY, None)


def map_first() -> bool:
    """True on the run where the map page stops after its map (see start_map_first)."""
    return bool(st.session_state.get(_MAP_FIRST_KEY))


@st.fragment(run_every=MAP_FIRST_FALLBACK_S)
def _rest_of_page_later() -> None:
    # Run once inline (count 1), then by its timer: the second run brings the whole page.
    runs = st.session_state.get(_MAP_WAIT_KEY, 0) + 1
    st.session_state[_MAP_WAIT_KEY] = runs
    if runs > 1:
        st.rerun()


def rest_after_map() -> None:
    """Ends a first run: the rest of the page comes with the map's report, or after
    ``MAP_FIRST_FALLBACK_S`` seconds if it never comes (a map that failed to draw)."""
    st.session_state[_MAP_WAIT_KEY] = 0
    _rest_of_page_later()


def static_url() -> str:
    """Where this server serves the app's static files (honours server.baseUrlPath)."""
    return config.static_url_for(st.get_option("server.baseUrlPath"))


def page_header(title: str, intro: str | Callable[[DepartmentContext], str]) -> View:
    """Title and introduction of a page (``intro`` may be written from the département's
    context); returns what the page draws from."""
    view = current_view()
    name_tab(title, view)
    st.title(title, anchor=False)
    st.caption(intro(view.data.context) if callable(intro) else intro)
    label = reading_label(view.filters, view.data.context.announcement_date)
    summary = texts.view_summary(view.data.department, view.territory_phrase, label)
    st.markdown(f"**{texts.literal(summary)}**")
    return view


def name_tab(page: str, view: View | None = None, department=None) -> None:
    """The browser tab's title names the page and the territory shown (Streamlit lets a
    script set the page's config again once its content is known)."""
    if view is not None:
        title = texts.tab_title(page, view.data.department, view.territory_phrase)
    elif department is not None:
        title = texts.tab_title(page, department)
    else:
        title = page
    st.set_page_config(page_title=title)


def run_page(render: Callable[[], None]) -> None:
    """Error boundary of a page: an unexpected error is logged with its traceback on the
    server and the page shows a French message, never the traceback."""
    try:
        render()
    except Exception:  # noqa: BLE001 - the boundary: anything a page did not foresee
        LOG.exception("erreur inattendue pendant l'affichage d'une page")
        st.error(texts.PAGE_ERROR)
    # Filters the page did not draw itself (draw_sidebar(later=True)): a widget not drawn
    # by a run loses its value.
    sidebar_now()


# Page styles: compact header and figures (the map starts in the first 450 px at
# 1440×900), captions at 4.5:1 contrast or more, a visible focus ring (RGAA 10.7).
_PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; padding-bottom: 2rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding: 0 0 0.25rem 0; }
h1.aisne-titre { margin: 0 0 -1rem 0; font-weight: 700; line-height: 1.2; }
[data-testid="stMetricValue"] { font-size: clamp(1rem, 1.55vw, 1.6rem); }
[data-testid="stMetric"] label p { font-size: 0.85rem; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: normal !important; word-break: normal !important; hyphens: auto;
}
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
.st-key-au_dessus_carte { min-height: 232px; }
@media (max-width: 1399px) { .st-key-au_dessus_carte { min-height: 254px; } }
@media (max-width: 1199px) { .st-key-au_dessus_carte { min-height: 280px; } }
@media (max-width: 899px) { .st-key-au_dessus_carte { min-height: 336px; } }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: #4f525a !important;
}
:focus-visible { outline: 3px solid #000091 !important; outline-offset: 2px; }
a.aisne-evitement { font-size: 0.9rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th { overflow-wrap: anywhere; }
[data-testid="stTable"] [data-testid="stMarkdownContainer"] { overflow: visible !important; }
/* Tables a person explores (aisnemap.ui.tables.explore_table): a fixed height, the header
   kept in view while the rows scroll. */
[class*="st-key-tableau_"] [data-testid="stTable"] > div { max-height: 26rem; overflow: auto; }
[class*="st-key-tableau_"] [data-testid="stTable"] thead th {
  position: sticky; top: 0; background: #ffffff; z-index: 1;
}
</style>"""


@st.cache_data(show_spinner=False)
def _french_script(mtime: float) -> str:
    script = (config.STATIC_DIR / "aisnemap" / "interface.js").read_text(encoding="utf-8")
    data = json.dumps(texts.WIDGET_FRENCH, ensure_ascii=False).replace("<", "\\u003c")
    return f"<script>window.aisneFr = {data};</script><script>{script}</script>"


def french_page() -> None:
    """``lang="fr"``, Streamlit's own widget texts in French and the page styles, first:
    sent last, the styles moved the page under a reader's click (and saved nothing
    measurable, bench/trace.py)."""
    st.html(_PAGE_STYLE)
    path = config.STATIC_DIR / "aisnemap" / "interface.js"
    try:
        script = _french_script(path.stat().st_mtime)
    except OSError:
        LOG.warning("script de francisation absent : %s", path)
        return
    st.html(script, unsafe_allow_javascript=True)


@st.cache_resource(show_spinner=False)
def _assets_once() -> bool:
    ensure_assets()
    # Leftovers of a save or a build interrupted before this server started: the import's
    # under its lock, the builds' (a build writes nothing but renames) as they are.
    try:
        clean_temp_files()
        storage.clean_temp_files(storage.data_folders(config.DATA_DIR))
    except OSError:
        LOG.warning("nettoyage des fichiers temporaires impossible", exc_info=True)
    return True


def show_problems(data: AppData) -> None:
    """List validation problems in French (errors first)."""
    if not data.problems:
        return
    errors = [p for p in data.problems if p.severity == ERROR]
    label = f"Problèmes dans le fichier des structures ({len(data.problems)})"
    with st.expander(label, expanded=bool(errors)):
        for problem in data.problems:
            (st.error if problem.severity == ERROR else st.warning)(texts.literal(problem))


def session_department() -> str:
    """The code of the département this session shows."""
    return st.session_state.get(_DEPARTMENT_KEY) or config.served_department()


def footer(national: bool = False) -> None:
    """Sources line shown at the bottom of every page (``national``: the France page,
    which reads no prefecture's announcement)."""
    if national:
        st.caption(texts.FRANCE_SOURCES)
        return
    data = load_app_data(department=session_department())
    st.caption(texts.sources_footer(data.context))


def skip_link() -> None:
    """« Aller au tableau des sites », just before the map (RGAA 12.7): the keyboard can
    jump over the map to its text alternative. Plain HTML, as :func:`map_title`."""
    st.html(
        f'<a class="aisne-evitement" href="#{texts.TABLE_ANCHOR}">'
        f"{html.escape(texts.SKIP_TO_TABLE)}</a>"
    )


def map_title(title: str) -> None:
    """The map page's title, as plain HTML: on a session's first run (the map alone, see
    :func:`start_map_first`) no element needs Streamlit's Markdown renderer, whose code the
    browser would load and run before inserting the map's frame."""
    st.html(f'<h1 class="aisne-titre">{html.escape(title)}</h1>')
