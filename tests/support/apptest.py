"""Reading what an AppTest run drew: metrics, table rows and the map's markers."""

from __future__ import annotations

import html
import json
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

# The sites layer's call in the map script: aisne.sites(group, map, [records], {...});
_SITES_RE = re.compile(r"aisne\.sites\(\w+, \w+, (\[.*?\]), \{\}\);\n", re.S)


def map_args(at: AppTest) -> dict:
    """Arguments sent to the st_folium component (the map payload)."""
    components = [
        e for e in at.get("component_instance") if e.proto.component_name.endswith("st_folium")
    ]
    assert len(components) == 1, "expected exactly one map"
    return json.loads(components[0].proto.json_args)


def map_site_ids(at: AppTest) -> list[str]:
    """Ids of the markers in the generated Leaflet script."""
    args = map_args(at)
    match = _SITES_RE.search((args.get("feature_group") or "") + args["script"])
    assert match, "no sites layer in the map script"
    return sorted(site["id"] for site in json.loads(match.group(1)))


def metrics(at: AppTest) -> dict[str, str]:
    """Label -> displayed value of every metric on the page."""
    return {m.label: m.value for m in at.metric}


def table_ids(at: AppTest) -> list[str]:
    """Ids in the first table of the page."""
    return sorted(at.table[0].value["Id"].tolist())


def plain(markdown: str) -> str:
    """The text a reader sees of a Markdown source written with ``texts.literal``."""
    return re.sub(r"\\(.)", r"\1", markdown)


def captions(at: AppTest) -> str:
    """Every caption of the page, as read."""
    return " ".join(plain(c.value) for c in at.caption)


# Markdown that would render as a link, an image or a formula: an unescaped "](" or "$".
_LEAK = re.compile(r"(?<!\\)\]\(|(?<!\\)\$|(?<!\\)!\[")


def markdown_leaks(at: AppTest) -> list[str]:
    """Markdown sources on the page that would render data as a link, image or formula."""
    sources = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in at.get(kind)
    ]
    sources += [m.proto.help for m in at.metric if m.proto.help]
    sources += [e.proto.label for e in at.get("expandable")]
    return [text for text in sources if _LEAK.search(text)]


_FRENCH_NUMBER = re.compile(r"^-?\d{1,3}(?:\u202f\d{3})*(?:,\d+)?$")


def read_table(at: AppTest, index: int):
    """A table of the page as drawn (French text), numbers read back as numbers."""
    frame = at.table[index].value.copy()
    frame.columns = [plain(str(c)) for c in frame.columns]
    if not isinstance(frame.index, pd.RangeIndex):
        frame.index = [plain(str(i)) for i in frame.index]

    def number(cell):
        text = plain(str(cell))
        if not _FRENCH_NUMBER.match(text):
            return cell
        value = float(text.replace("\u202f", "").replace(",", "."))
        return int(value) if value.is_integer() and "," not in text else value

    for column in frame.columns:
        converted = frame[column].map(lambda v: float("nan") if plain(str(v)) == "—" else number(v))
        if all(isinstance(v, (int, float)) for v in converted):
            frame[column] = converted
        else:
            frame[column] = frame[column].map(lambda v: plain(str(v)))
    return frame


def page_title(at: AppTest) -> str:
    """The page's title as a reader sees it: ``st.title``'s, or the map page's own ``h1``
    (plain HTML, aisnemap.ui.page.map_title)."""
    if at.title:
        return at.title[0].value
    found = [
        re.search(r'<h1 class="aisne-titre">(.*?)</h1>', e.proto.body, re.S) for e in at.get("html")
    ]
    titles = [html.unescape(m.group(1)) for m in found if m]
    assert titles, "no title on the page"
    return titles[0]
