"""The département a dashboard shows: its code, its name and how French names it.

French puts an article before most département names and chooses its preposition by it
(« dans l'Aisne », « dans le Nord », « en Corse-du-Sud », « à La Réunion »). The COG gives
the article as ``typeLiaison`` (Etalab reference); this module turns it into the phrases
the texts need. No Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: COG ``typeLiaison`` values: 0 and 1 no article, 2 "le", 3 "la", 4 "les", 5 "l'".
_ARTICLE = {2: "le ", 3: "la ", 4: "les ", 5: "l'"}
_OF = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'"}
#: Names without article said with « à » (a city, an island); the others take « en ».
_AT = {"75", "974", "976"}
#: Feminine names said with « en » rather than « dans la » (islands, overseas).
_EN_FEMININE = {"2A", "2B", "971", "972", "973"}


@dataclass(frozen=True)
class Department:
    """A département of the COG: code ("02", "2A", "974"), name, article type."""

    code: str
    name: str
    liaison: int = 0

    @property
    def with_article(self) -> str:
        """« l'Aisne », « le Nord », « Paris »."""
        return _ARTICLE.get(self.liaison, "") + self.name

    @property
    def in_name(self) -> str:
        """« dans l'Aisne », « dans le Nord », « en Corse-du-Sud », « à La Réunion »."""
        if self.liaison in (0, 1):
            return ("à " if self.code in _AT else "en ") + self.name
        if self.liaison == 3 and self.code in _EN_FEMININE:
            return f"en {self.name}"
        return f"dans {self.with_article}"

    @property
    def of_name(self) -> str:
        """« de l'Aisne », « du Nord », « de la Somme », « d'Ille-et-Vilaine »."""
        return _OF.get(self.liaison, "de ") + self.name


AISNE = Department("02", "Aisne", 5)


def normalise_code(text: object) -> str | None:
    """A département code as the COG writes it ("2" → "02", "2a" → "2A"), or None when
    the text cannot be one (the caller checks it exists)."""
    value = str(text or "").strip().upper()
    if re.fullmatch(r"\d{1,2}", value):
        return value.zfill(2)
    if re.fullmatch(r"97[1-6]|2[AB]", value):
        return value
    return None


def from_reference(entries: list[dict]) -> dict[str, Department]:
    """Code → Department from the Etalab ``departements.json`` entries."""
    return {
        e["code"]: Department(e["code"], e["nom"], int(e.get("typeLiaison") or 0)) for e in entries
    }


def sort_key(code: str) -> tuple[int, str]:
    """COG order: 01…19, 2A, 2B, 21…95, 971…976."""
    if code in ("2A", "2B"):
        return (20, code)
    return (int(code), "")


def unknown_code_message(text: object, known: dict[str, Department]) -> str:
    """The French message for a code that is no département, listing the valid ones."""
    codes = ", ".join(sorted(known, key=sort_key))
    shown = str(text or "").strip()[:12]
    return f"Département inconnu : « {shown} ». Codes valides : {codes}."
