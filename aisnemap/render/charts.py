"""Charts drawn by the app itself as SVG: French months with their years, French numbers,
steps for cumulative counts, a text alternative, nothing fetched and no English menu.

A cumulative count only changes on a committee date: it is drawn as a staircase (the
count holds until the next date), never as a slope between two dates.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from aisnemap.french.formatting import fmt_date_long, fmt_int

WIDTH, HEIGHT = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 16, 14, 40
#: Short French month names for the axis (« janv. 2021 »).
SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def month_label(day: dt.date) -> str:
    """« avr. 2021 »."""
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


def _ticks(start: dt.date, end: dt.date, most: int = 7) -> list[dt.date]:
    """First days of months between two dates, every 1, 2, 3, 6 or 12 months."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((k for k in (1, 2, 3, 6, 12, 24) if months / k <= most), 24)
    # Months aligned on January (every 3 months: January, April, July, October).
    out = []
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= end:
        if dt.date(year, month, 1) >= start and (month - 1) % step == 0:
            out.append(dt.date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def _nice_top(value: int) -> tuple[int, int]:
    """A round top of the value axis and its step."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value / step <= 5:
            return max(step, -(-value // step) * step), step
    step = 10 ** len(str(value))
    return -(-value // step) * step, step


def step_chart_svg(
    points: list[tuple[dt.date, int]],
    end: dt.date,
    label: str,
    unit: str = "postes",
) -> str:
    """A staircase of cumulative counts (``points``: each date and the count reached that
    day, in order) up to ``end``; ``label`` names the chart for screen readers."""
    if not points:
        return ""
    start = points[0][0]
    end = max(end, points[-1][0])
    span = max((end - start).days, 1)
    top, step = _nice_top(max(v for _, v in points))
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def x(day: dt.date) -> float:
        return round(_LEFT + plot_w * (day - start).days / span, 1)

    def y(value: int) -> float:
        return round(_TOP + plot_h * (1 - value / top), 1)

    path = [f"M{x(start)},{y(0)}"]
    for day, value in points:
        path.append(f"H{x(day)}")
        path.append(f"V{y(value)}")
    path.append(f"H{x(end)}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(label)}" class="aisne-graphique" '
        'style="max-width:100%;height:auto;font-family:sans-serif">',
        f"<title>{escape(label)}</title>",
    ]
    value = 0
    while value <= top:
        parts.append(
            f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y(value)}" y2="{y(value)}" '
            'stroke="#dddddd" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{y(value) + 4}" text-anchor="end" font-size="12" '
            f'fill="#3a3a3a">{fmt_int(value)}</text>'
        )
        value += step
    for tick in _ticks(start, end):
        parts.append(
            f'<line x1="{x(tick)}" x2="{x(tick)}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h + 5}" '
            'stroke="#3a3a3a"/>'
            f'<text class="aisne-graphique-mois" x="{x(tick)}" y="{_TOP + plot_h + 19}" '
            f'text-anchor="middle" font-size="12" fill="#3a3a3a">{month_label(tick)}</text>'
        )
    parts.append(
        f'<path d="{" ".join(path)}" fill="none" stroke="#000091" stroke-width="2.5" '
        'class="aisne-graphique-marches"/>'
    )
    for day, value in points:
        # Each committee date is a point with its own tooltip (the SVG <title>).
        tip = f"{fmt_date_long(day)} : {fmt_int(value)} {unit} cumulés"
        parts.append(
            f'<circle cx="{x(day)}" cy="{y(value)}" r="4" fill="#000091">'
            f"<title>{escape(tip)}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
