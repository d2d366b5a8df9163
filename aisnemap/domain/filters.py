"""Filter criteria, their application, the key figures and the URL form of a view.

Pure functions of (data, criteria): no Streamlit here.

Territory semantics: a site is *in* a territory when it is located there. The Conseil
départemental's pool of advisors serves the whole department: it is counted in the
figures only when the territory is the whole department, and said so otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import geopandas as gpd
import pandas as pd

from aisnemap.domain import schema as s
from aisnemap.domain.followup import RECRUITMENT_DATE
from aisnemap.domain.territory import COMMUNE, LEVELS, Level
from aisnemap.french.formatting import fmt_date, fmt_date_long

NONE_SELECTED = "aucun"

# Query-string keys.
Q_WAVE = "vague"
Q_OPERATOR = "operateur"
Q_SERVICE = "service"
Q_ITINERANT = "itinerant"
Q_AU = "au"
Q_STRUCTURE = "structure"
Q_SEARCH = "recherche"
SEARCH_MAX = 80
#: Committee date of a site in the "postes validés" reading.
DATE_COLUMN = "date_comite"
INVESTMENT_COLUMN = "investissement_eur"
RECRUITED_COLUMN = "conseillers_recrutes"
TRAINED_COLUMN = "conseillers_formes"
QUERY_KEYS = (
    Q_AU,
    Q_WAVE,
    Q_OPERATOR,
    Q_STRUCTURE,
    Q_SERVICE,
    Q_ITINERANT,
    Q_SEARCH,
    *(level.key for level in LEVELS),
)


@dataclass(frozen=True)
class Filters:
    """What the user selected. ``None`` means no restriction on that criterion."""

    waves: tuple[int, ...] | None = None
    operator_types: tuple[str, ...] | None = None
    service_types: tuple[str, ...] | None = None
    itinerant: bool | None = None
    #: Date of situation of the "postes validés" reading; None is the announcement.
    au: dt.date | None = None
    arrondissement: str | None = None
    epci: str | None = None
    commune: str | None = None
    #: Named operators (the ``operateur`` column); None: all.
    structures: tuple[str, ...] | None = None
    #: Words searched in a site's name, its laureate and operator (accents and case
    #: ignored); None: no search.
    search: str | None = None

    @property
    def whole_department(self) -> bool:
        """True when no territory is selected."""
        return not (self.arrondissement or self.epci or self.commune)

    def territory_codes(self) -> list[tuple[Level, str]]:
        """The selected territory codes, widest level first."""
        return [(level, code) for level in LEVELS if (code := getattr(self, level.key))]

    def territory_key(self) -> tuple[tuple[str, str], ...]:
        """The selected territory as plain values, widest level first (a cache key)."""
        return tuple((level.key, code) for level, code in self.territory_codes())

    def most_precise(self) -> tuple[Level, str] | None:
        """The most precise territory selected, or None for the whole department."""
        codes = self.territory_codes()
        return codes[-1] if codes else None

    def without_territory(self) -> Filters:
        """The same criteria on the whole department."""
        return replace(self, arrondissement=None, epci=None, commune=None)


@dataclass(frozen=True)
class Options:
    """Values offered by each multi-select, read from the data."""

    waves: tuple[int, ...] = ()
    operator_types: tuple[str, ...] = ()
    service_types: tuple[str, ...] = ()
    #: Named operators (structures) of the sites.
    structures: tuple[str, ...] = ()
    #: How each wave is named ("Vague 2 — avril 2021"); "Vague N" when absent.
    wave_labels: tuple[tuple[int, str], ...] = ()

    def wave_label(self, wave: int) -> str:
        """The name of a wave as shown."""
        return dict(self.wave_labels).get(wave, f"Vague {wave}")


@dataclass(frozen=True)
class Readings:
    """The readings a dashboard offers: the announcement, and the national list if built."""

    announcement: Options
    national: Options | None = None
    #: Committee dates and the list's date of situation (national reading only).
    dates: tuple[dt.date, ...] = ()
    #: True where no announcement was curated: the national list is the only reading,
    #: always at a date.
    national_only: bool = False
    #: The announcement's reading as the sidebar names it (« Annonce du 18 mars 2021 »).
    announcement_label: str = ""

    #: The programme's first committee (all départements): a view may be situated there,
    #: before the département's own first committee (it then counts no post).
    programme_start: dt.date | None = None
    #: The follow-up's situation (posts attributed, advisors recruited), offered after the
    #: list's date when built, with its own options.
    recruitment_date: dt.date | None = None
    recruitment: Options | None = None

    @property
    def bounds(self) -> tuple[dt.date, dt.date] | None:
        """First and last date a view may be situated at."""
        if not (self.national and self.dates):
            return None
        first = min(self.dates[0], self.programme_start or self.dates[0])
        return first, self.recruitment_date or self.dates[-1]

    @property
    def choices(self) -> tuple[dt.date, ...]:
        """The dates the slider offers: committees, the list's date, the follow-up's."""
        return (*self.dates, *([self.recruitment_date] if self.recruitment_date else []))

    def is_recruitment(self, au: dt.date | None) -> bool:
        """True when ``au`` selects the follow-up's situation (September 2023)."""
        return au is not None and au == self.recruitment_date

    def before_first_committee(self, au: dt.date | None) -> bool:
        """True for a date before the département's first committee (no post yet)."""
        return au is not None and bool(self.dates) and au < self.dates[0]

    def options(self, au: dt.date | None) -> Options:
        """The options of the reading a date selects (None: the announcement)."""
        if self.recruitment is not None and self.is_recruitment(au):
            return self.recruitment
        if self.national and (au is not None or self.national_only):
            return self.national
        return self.announcement

    def default_au(self) -> dt.date | None:
        """The date a view without ``au`` is situated at (None: the announcement)."""
        return self.dates[-1] if self.national_only and self.dates else None


def options_from(sites: pd.DataFrame, wave_labels: Mapping[int, str] | None = None) -> Options:
    """The distinct values of each filterable column, sorted."""
    return Options(
        waves=tuple(sorted(int(w) for w in sites[s.WAVE].dropna().unique())),
        operator_types=tuple(sorted(sites[s.OPERATOR_TYPE].unique(), key=str.casefold)),
        service_types=tuple(sorted(sites[s.SERVICE_TYPE].unique(), key=str.casefold)),
        structures=tuple(
            sorted((v for v in sites[s.OPERATOR].dropna().unique() if v), key=str.casefold)
        )
        if s.OPERATOR in sites
        else (),
        wave_labels=tuple(sorted((wave_labels or {}).items())),
    )


def territory_mask(frame: pd.DataFrame, filters: Filters, code_column: str) -> pd.Series:
    """Rows of a frame (sites or communes) located in the selected territory.

    ``code_column`` holds the commune code (``code`` on communes, ``code_insee`` on sites).
    """
    mask = pd.Series(True, index=frame.index)
    for level, value in filters.territory_codes():
        column = code_column if level is COMMUNE else level.code_column
        mask &= frame[column] == value
    return mask


def criteria_mask(sites: pd.DataFrame, filters: Filters) -> pd.Series:
    """Rows of the sites table that pass the non-territorial criteria."""
    mask = pd.Series(True, index=sites.index)
    if filters.waves is not None:
        mask &= sites[s.WAVE].isin(filters.waves)
    if filters.operator_types is not None:
        mask &= sites[s.OPERATOR_TYPE].isin(filters.operator_types)
    if filters.service_types is not None:
        mask &= sites[s.SERVICE_TYPE].isin(filters.service_types)
    if filters.structures is not None and s.OPERATOR in sites:
        mask &= sites[s.OPERATOR].isin(filters.structures)
    if filters.search:
        mask &= search_mask(sites, filters.search)
    if filters.au is not None and DATE_COLUMN in sites:
        mask &= (sites[DATE_COLUMN] <= filters.au).astype(bool)
    if filters.itinerant is not None:
        # A site whose itinerancy is not given ("non renseigné") matches neither choice.
        mask &= (sites[s.ITINERANT] == filters.itinerant).fillna(False).astype(bool)
    return mask


def _folded(text: object) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def search_mask(sites: pd.DataFrame, search: str) -> pd.Series:
    """Sites whose name, laureate or operator holds every word searched (accents, case and
    punctuation ignored: « chateau thierry » finds « Château-Thierry »)."""
    words = _folded(search).split()
    columns = [c for c in (s.SITE, s.LAUREATE, s.OPERATOR, "commune") if c in sites.columns]
    haystack = sites[columns].astype(str).agg(" ".join, axis=1).map(_folded)
    mask = pd.Series(True, index=sites.index)
    for word in words:
        mask &= haystack.str.contains(word, regex=False)
    return mask


def clean_search(text: object) -> str | None:
    """A search as kept in a view and a URL: trimmed, at most ``SEARCH_MAX`` characters,
    None when empty."""
    cleaned = " ".join(str(text or "").split())[:SEARCH_MAX]
    return cleaned or None


def apply_filters(sites: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The sites that pass every criterion and are located in the territory."""
    mask = criteria_mask(sites, filters) & territory_mask(sites, filters, s.INSEE)
    return sites.loc[mask]


def territory_communes(communes: gpd.GeoDataFrame, filters: Filters) -> gpd.GeoDataFrame:
    """Communes of the selected territory."""
    return communes.loc[territory_mask(communes, filters, "code")]


@dataclass(frozen=True)
class Figures:
    """The key figures of a view, with what they count."""

    advisors: int
    located_advisors: int
    pool_advisors: int
    pool_counted: bool
    pool_sites_shown: int
    unknown_sites: int
    sites: int
    communes_with_site: int
    population: int
    communes: int
    inhabitants_per_advisor: float | None
    pools: dict[str, int] = field(default_factory=dict)
    pool_names: dict[str, str] = field(default_factory=dict)
    #: Posts of structures with no place in the department (counted on the whole of it).
    unplaced_advisors: int = 0
    unplaced_names: tuple[str, ...] = ()
    #: Structures counted (national reading: distinct SIRET), None for the announcement.
    structures: int | None = None
    #: Estimated State investment of the structures counted (national reading), in euros.
    investment_eur: int | None = None
    #: The follow-up's reading (September 2023): ``advisors`` then counts posts attributed;
    #: advisors recruited and trained, and structures counted with no recruit at all.
    recruited: int | None = None
    trained: int | None = None
    without_recruit: int | None = None

    @property
    def filled_share(self) -> float | None:
        """Advisors recruited per post attributed (recruitments: may exceed 1)."""
        if self.recruited is None or not self.advisors:
            return None
        return self.recruited / self.advisors


def announced_funding_eur(figures: Figures, announcement) -> int:
    """The State's funding under the announcement's terms for the advisors counted
    (``announcement``: departements.Announcement)."""
    return figures.advisors * announcement.funding_per_post_eur


def key_figures(
    sites: pd.DataFrame,
    communes: pd.DataFrame,
    filters: Filters,
    shown: pd.DataFrame | None = None,
    unplaced: pd.DataFrame | None = None,
) -> Figures:
    """Figures of the filtered view; ``sites`` is the full located table.

    ``shown`` is ``apply_filters(sites, filters)`` when the caller already has it.
    ``unplaced`` are structures with posts in the department but no place in it (same
    columns, no geometry): like the pools, they count only on the whole department.
    """
    shown = apply_filters(sites, filters) if shown is None else shown
    located = s.count_advisors(shown)
    # Pools whose sites pass the non-territorial criteria serve the whole department.
    eligible_rows = sites.loc[criteria_mask(sites, filters)]
    eligible = s.count_advisors(eligible_rows)
    pools = eligible.pools
    pool_total = eligible.pool_total
    pool_counted = filters.whole_department
    extra = pd.DataFrame(columns=list(s.COLUMNS))
    if unplaced is not None and len(unplaced) and pool_counted:
        extra = unplaced.loc[criteria_mask(unplaced, filters)]
    extra_count = s.count_advisors(extra).own if len(extra) else 0
    counted = located.own + (pool_total if pool_counted else 0) + extra_count
    structures = investment = None
    recruited = trained = without = None
    if INVESTMENT_COLUMN in sites:
        own_rows = shown.loc[shown[s.POOL] == ""]
        pool_rows = eligible_rows.loc[eligible_rows[s.POOL] != ""] if pool_counted else None
        counted_rows = pd.concat([own_rows, pool_rows, extra]).drop_duplicates(s.SIRET)
        structures = len(counted_rows)
        investment = int(pd.to_numeric(counted_rows[INVESTMENT_COLUMN]).fillna(0).sum())
        if RECRUITED_COLUMN in counted_rows:
            recruited_per = pd.to_numeric(counted_rows[RECRUITED_COLUMN]).fillna(0)
            recruited = int(recruited_per.sum())
            trained = int(pd.to_numeric(counted_rows[TRAINED_COLUMN]).fillna(0).sum())
            without = int((recruited_per == 0).sum())
    territory = territory_communes(communes, filters)
    population = int(territory["population"].sum())
    return Figures(
        advisors=counted,
        located_advisors=located.own,
        pool_advisors=pool_total,
        pool_counted=pool_counted,
        pool_sites_shown=int((shown[s.POOL] != "").sum()),
        unknown_sites=located.unknown_sites,
        sites=len(shown),
        communes_with_site=int(shown[s.INSEE].nunique()),
        population=population,
        communes=len(territory),
        inhabitants_per_advisor=(population / counted) if counted else None,
        pools=pools,
        pool_names=eligible.pool_names,
        unplaced_advisors=extra_count,
        unplaced_names=tuple(extra[s.OPERATOR]) if len(extra) else (),
        structures=structures,
        investment_eur=investment,
        recruited=recruited,
        trained=trained,
        without_recruit=without,
    )


def _selection_to_query(values: tuple | None, options: Iterable) -> list[str] | None:
    if values is None or set(values) >= set(options):
        return None
    return [str(v) for v in values] if values else [NONE_SELECTED]


def to_query(filters: Filters, options: Options) -> dict[str, list[str] | str]:
    """Query-string form of a view (criteria left at their default are omitted)."""
    query: dict[str, list[str] | str] = {}
    for key, values, opts in (
        (Q_WAVE, filters.waves, options.waves),
        (Q_OPERATOR, filters.operator_types, options.operator_types),
        (Q_SERVICE, filters.service_types, options.service_types),
        (Q_STRUCTURE, filters.structures, options.structures),
    ):
        encoded = _selection_to_query(values, opts)
        if encoded is not None:
            query[key] = encoded
    if filters.itinerant is not None:
        query[Q_ITINERANT] = "oui" if filters.itinerant else "non"
    if filters.au is not None:
        query[Q_AU] = filters.au.isoformat()
    if filters.search:
        query[Q_SEARCH] = filters.search
    for level, value in filters.territory_codes():
        query[level.key] = value
    return query


def _selection_from_query(values: list[str], options: tuple, cast=str) -> tuple | None:
    if not values:
        return None
    if values == [NONE_SELECTED]:
        return ()
    picked = []
    for value in values:
        try:
            item = cast(value)
        except ValueError:
            continue
        if item in options and item not in picked:
            picked.append(item)
    return tuple(picked) if picked else None


def date_from_query(
    params: Mapping[str, list[str]], bounds: tuple[dt.date, dt.date] | None
) -> dt.date | None:
    """The ``au`` date of a URL, kept within ``bounds``; None without the national reading
    (no bounds) or without a valid ISO date."""
    values = params.get(Q_AU) or []
    if not values or bounds is None:
        return None
    try:
        day = dt.date.fromisoformat(values[0])
    except ValueError:
        return None
    return min(max(day, bounds[0]), bounds[1])


def from_query(
    params: Mapping[str, list[str]],
    options: Options,
    communes: pd.DataFrame | None = None,
    date_bounds: tuple[dt.date, dt.date] | None = None,
) -> Filters:
    """A view from query-string values; unknown values are ignored, never an error.

    ``options`` are those of the reading the URL asks for (see :func:`date_from_query`).
    """

    def one(key: str) -> str | None:
        values = params.get(key) or []
        return values[0] if values else None

    itinerant = {"oui": True, "non": False}.get(one(Q_ITINERANT) or "")
    codes = {}
    for level in LEVELS:
        value = one(level.key)
        if communes is not None and value not in set(communes[level.code_column]):
            value = None
        codes[level.key] = value
    return Filters(
        waves=_selection_from_query(params.get(Q_WAVE, []), options.waves, int),
        operator_types=_selection_from_query(params.get(Q_OPERATOR, []), options.operator_types),
        service_types=_selection_from_query(params.get(Q_SERVICE, []), options.service_types),
        structures=_selection_from_query(params.get(Q_STRUCTURE, []), options.structures),
        search=clean_search(one(Q_SEARCH)),
        itinerant=itinerant,
        au=date_from_query(params, date_bounds),
        **codes,
    )


_TERRITORY_PHRASES = {
    "arrondissement": "arrondissement de {name}",
    "epci": "EPCI : {name}",
    "commune": "commune : {name}",
}


_TITLES = {"arrondissement": "Arrondissement de {name}", "epci": "{name}", "commune": "{name}"}


def _territory_name(filters: Filters, communes: pd.DataFrame) -> tuple[Level, str] | None:
    precise = filters.most_precise()
    if precise is None:
        return None
    level, code = precise
    names = communes.loc[communes[level.code_column] == code, level.name_column]
    return level, (names.iloc[0] if len(names) else code)


def territory_title(filters: Filters, communes: pd.DataFrame) -> str | None:
    """ "Arrondissement de Vervins", an EPCI's or a commune's name; None: the département."""
    named = _territory_name(filters, communes)
    return _TITLES[named[0].key].format(name=named[1]) if named else None


def territory_phrase(filters: Filters, communes: pd.DataFrame) -> str | None:
    """ "arrondissement de Vervins", "EPCI : CC …", "commune : Guise"; None: the
    département (the words of :func:`describe`)."""
    named = _territory_name(filters, communes)
    return _TERRITORY_PHRASES[named[0].key].format(name=named[1]) if named else None


def territory_slug_words(filters: Filters, communes: pd.DataFrame) -> str | None:
    """Words for a file name: "arrondissement Vervins", "epci CC …", "commune Guise"."""
    named = _territory_name(filters, communes)
    return f"{named[0].key} {named[1]}" if named else None


def reading_label(filters: Filters, announced: dt.date | None = None) -> str:
    """Which reading of the data a view shows (subtitles, exports, pages); ``announced``
    is the date of the announcement read when ``filters.au`` is None."""
    if filters.au is None:
        day = f" du {fmt_date_long(announced)}" if announced else ""
        return f"annonce de la préfecture{day}"
    if filters.au == RECRUITMENT_DATE:
        return (
            f"postes attribués et conseillers recrutés au {fmt_date(filters.au)} "
            "(suivi du recrutement ANCT)"
        )
    return f"postes validés au {fmt_date(filters.au)} (liste nationale COSELEC)"


def describe(
    filters: Filters, options: Options, communes: pd.DataFrame, announced: dt.date | None = None
) -> list[str]:
    """French phrases describing the active filters (for subtitles and exports)."""
    parts = [reading_label(filters, announced)]
    named = _territory_name(filters, communes)
    if named is None:
        parts.append("tout le département")
    else:
        parts.append(_TERRITORY_PHRASES[named[0].key].format(name=named[1]))
    for label, values, opts, none, name in (
        ("vague", filters.waves, options.waves, "aucune", options.wave_label),
        ("opérateur", filters.operator_types, options.operator_types, "aucun", str),
        ("service", filters.service_types, options.service_types, "aucun", str),
        ("structure", filters.structures, options.structures, "aucune", str),
    ):
        if values is not None and set(values) < set(opts):
            parts.append(f"{label} : " + (", ".join(map(name, values)) or none))
    if filters.itinerant is not None:
        parts.append("sites itinérants" if filters.itinerant else "sites fixes")
    if filters.search:
        parts.append(f"recherche : « {filters.search} »")
    return parts
