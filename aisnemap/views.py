"""Tables shown and exported: the same rows and wording on screen and in files."""

from __future__ import annotations

import pandas as pd

from . import schema as s
from . import texts
from .style import advisors_label, itinerant_label


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
