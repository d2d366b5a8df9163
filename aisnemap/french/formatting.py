"""French formatting, in one place: numbers, decimals, percentages, distances, money,
dates and plurals, as every page, table, tooltip, chart and export writes them.

French writes a decimal comma (« 12,3 »), groups thousands with a narrow no-break space
(« 531 345 »), and puts a no-break space between a number and its unit (« 12,3 km »,
« 50 000 € », « 49,0 % »), so the unit never starts a line.
"""

from __future__ import annotations

import datetime as dt
import math

#: Narrow no-break space (thousands) and no-break space (before a unit).
THIN = "\u202f"
NBSP = "\u00a0"
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def fmt_int(value: int | float) -> str:
    """« 531 345 » (rounded; thousands with a narrow no-break space)."""
    return f"{round(value):,}".replace(",", THIN)


def fmt_decimal(value: float, decimals: int = 1) -> str:
    """« 12,5 » (decimal comma, thousands with a narrow no-break space)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", THIN).replace(".", ",")


def fmt_percent(value: float, decimals: int = 1) -> str:
    """« 49,0 % » from a share (0.49), no-break space before %."""
    return f"{value * 100:.{decimals}f}".replace(".", ",") + f"{NBSP}%"


def fmt_km(value: float, decimals: int = 1) -> str:
    """« 12,3 km »; « — » for an infinite or missing distance (no site at all)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{fmt_decimal(value, decimals)}{NBSP}km"


def fmt_eur(value: float) -> str:
    """« 50 000 € »."""
    return f"{fmt_int(value)}{NBSP}€"


def fmt_date(day: dt.date) -> str:
    """« 05/04/2023 »."""
    return f"{day:%d/%m/%Y}"


def fmt_date_long(day: dt.date) -> str:
    """« 18 mars 2021 » (« 1er » for the first of a month)."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def fmt_month(day: dt.date) -> str:
    """« avril 2021 »."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def plural(n: int, one: str, many: str) -> str:
    """``one`` for 0 or 1 (French usage), else ``many``."""
    return one if abs(n) <= 1 else many


def plural_count(n: int, word: str) -> str:
    """« 1 conseiller », « 2 conseillers »."""
    return f"{fmt_int(n)} {plural(n, word, word + 's')}"
