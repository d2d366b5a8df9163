"""Tables shown and exported: the same rows and wording on screen and in files."""

from __future__ import annotations

import pandas as pd

from aisnemap.domain import schema as s
from aisnemap.domain.filters import DATE_COLUMN, Figures, announced_funding_eur
from aisnemap.french import texts
from aisnemap.french.formatting import fmt_eur, fmt_int, fmt_percent
from aisnemap.render.style import advisors_label, itinerant_label


def sites_table(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites as shown under the map, with French column names, ordered by id."""
    if sites.empty:
        return pd.DataFrame(columns=list(texts.TABLE_COLUMNS.values()))
    frame = pd.DataFrame(sites.drop(columns="geometry", errors="ignore")).copy()
    frame["conseillers_affiche"] = frame.apply(advisors_label, axis=1)
    frame["itinerant_affiche"] = frame[s.ITINERANT].map(itinerant_label)
    frame["precision_affiche"] = frame["place_au_centre"].map(
        {True: texts.PRECISION_COMMUNE, False: texts.PRECISION_ADDRESS}
    )
    frame[s.WAVE] = frame[s.WAVE].astype("Int64").astype(str)
    out = frame[list(texts.TABLE_COLUMNS)].rename(columns=texts.TABLE_COLUMNS)
    return out.sort_values("Id", key=lambda c: c.str.casefold()).reset_index(drop=True)


def figure_lines(figures: Figures, announcement=None) -> list[str]:
    """The key figures as sentences for printed documents (same words as on screen)."""
    national = figures.structures is not None
    if figures.recruited is not None:
        filled = figures.filled_share
        lines = [
            f"{texts.FIG_ATTRIBUTED} : {fmt_int(figures.advisors)}",
            f"{texts.FIG_RECRUITED} : {fmt_int(figures.recruited)}",
            f"{texts.FIG_FILLED} : " + ("—" if filled is None else fmt_percent(filled, 0)),
            f"{texts.FIG_NO_RECRUIT} : {fmt_int(figures.without_recruit)}",
            f"{texts.FIG_POPULATION} : {fmt_int(figures.population)}",
        ]
        return lines + figure_notes(figures)
    per = (
        "—" if figures.inhabitants_per_advisor is None else fmt_int(figures.inhabitants_per_advisor)
    )
    if national:
        lines = [
            f"{texts.FIG_POSTS} : {fmt_int(figures.advisors)}",
            f"{texts.FIG_STRUCTURES} : {fmt_int(figures.structures)}",
        ]
    else:
        lines = [
            f"{texts.FIG_ADVISORS} : {fmt_int(figures.advisors)}",
            f"{texts.FIG_SITES} : {fmt_int(figures.sites)}",
        ]
    lines += [
        f"{texts.FIG_COMMUNES} : {fmt_int(figures.communes_with_site)}",
        f"{texts.FIG_POPULATION} : {fmt_int(figures.population)}",
        f"{texts.FIG_PER_POST if national else texts.FIG_PER_ADVISOR} : {per}",
    ]
    if national:
        lines.append(f"{texts.FIG_INVESTMENT} : {fmt_eur(figures.investment_eur)}")
    elif announcement is not None:
        funding = announced_funding_eur(figures, announcement)
        lines.append(f"{texts.FIG_FUNDING} : {fmt_eur(funding)}")
    return lines + figure_notes(figures)


def figure_notes(figures: Figures) -> list[str]:
    """What the figures leave out or count apart: pools, unpublished counts, structures with
    no place in the département (plain text)."""
    notes = []
    if figures.pool_advisors:
        if not figures.pool_counted:
            notes.append(texts.pool_not_counted(figures.pool_advisors, figures.pool_sites_shown))
        notes.append(texts.pool_note(figures.pools, figures.pool_names))
    if figures.unknown_sites:
        notes.append(texts.unknown_count_note(figures.unknown_sites))
    if figures.unplaced_advisors:
        notes.append(
            texts.unplaced_note(figures.unplaced_advisors, ", ".join(figures.unplaced_names))
        )
    return notes


def _short_count(row: pd.Series) -> str:
    if row[s.POOL]:
        return f"groupe ({int(row[s.POOL_ADVISORS])})"
    return advisors_label(row)


PRINT_COLUMNS = ("Site", "Commune", "Opérateur", "Type de service", "Conseillers", "Vague")


def print_table(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites as listed in printed documents: site, commune, operator, type, advisors,
    wave (or committee date in the national reading)."""
    if sites.empty:
        return pd.DataFrame(columns=list(PRINT_COLUMNS))
    frame = pd.DataFrame(sites.drop(columns="geometry", errors="ignore"))
    when = (
        frame[DATE_COLUMN].map(lambda d: f"comité du {d:%d/%m/%Y}")
        if DATE_COLUMN in frame
        else frame[s.WAVE].map(lambda w: f"vague {w}")
    )
    out = pd.DataFrame(
        {
            "Site": frame[s.SITE],
            "Commune": frame.get("commune", frame[s.INSEE]),
            "Opérateur": frame[s.OPERATOR],
            "Type de service": frame[s.SERVICE_TYPE],
            "Conseillers": frame.apply(_short_count, axis=1),
            "Vague": when,
        }
    )
    return out.sort_values(["Commune", "Site"], key=lambda c: c.str.casefold()).reset_index(
        drop=True
    )
