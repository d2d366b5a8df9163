"""Characters a reader cannot see: refused in imported text, removed before drawing.

A copy from a web page or a PDF brings characters that show nothing yet change the text:
a zero-width space makes « Commune de Ribemont » a second operator, a byte-order mark
(U+FEFF) in a name broke the PDF exports, a right-to-left override turns a name around on
screen. The import refuses them, naming line, column and character; every exporter draws
text through :func:`printable`, which removes them, so a name from another source (the
national list) cannot break a print either.
"""

from __future__ import annotations

import re
import unicodedata

#: Invisible format characters by code point, with their French names.
_NAMED = {
    0x00AD: "trait d'union conditionnel",
    0x034F: "graphème combinant invisible",
    0x061C: "marque de lettre arabe",
    0x115F: "remplissage hangeul",
    0x1160: "remplissage hangeul",
    0x180E: "séparateur de voyelles mongol",
    0x200B: "espace sans chasse",
    0x200C: "antiliant sans chasse",
    0x200D: "liant sans chasse",
    0x200E: "marque gauche-à-droite",
    0x200F: "marque droite-à-gauche",
    0x202A: "enchâssement gauche-à-droite",
    0x202B: "enchâssement droite-à-gauche",
    0x202C: "fin d'enchâssement directionnel",
    0x202D: "forçage gauche-à-droite",
    0x202E: "forçage droite-à-gauche",
    0x2060: "gluon de mots",
    0x2061: "application de fonction invisible",
    0x2062: "multiplication invisible",
    0x2063: "séparateur invisible",
    0x2064: "plus invisible",
    0x2066: "isolat gauche-à-droite",
    0x2067: "isolat droite-à-gauche",
    0x2068: "isolat de première direction",
    0x2069: "fin d'isolat directionnel",
    0x3164: "remplissage hangeul",
    0xFEFF: "espace insécable sans chasse (indicateur d'ordre des octets)",
    0xFFA0: "remplissage hangeul demi-chasse",
    0xFFF9: "ancre d'annotation",
    0xFFFA: "séparateur d'annotation",
    0xFFFB: "fin d'annotation",
}

_PATTERN = re.compile(
    "[\x00-\x1f\x7f-\x9f" + "".join(re.escape(chr(c)) for c in _NAMED) + "\U000e0000-\U000e007f]"
)


def is_hidden(char: str) -> bool:
    """True for a control or invisible format character (tab and line breaks included:
    a cell of the structures file holds one line)."""
    return bool(_PATTERN.fullmatch(char))


def name_of(char: str) -> str:
    """« espace sans chasse (U+200B) », « caractère de contrôle (U+0007) »."""
    code = ord(char)
    if code in _NAMED:
        name = _NAMED[code]
    elif 0xE0000 <= code <= 0xE007F:
        name = "étiquette invisible"
    elif char in "\t":
        name = "tabulation"
    elif char in "\n\r":
        name = "saut de ligne"
    else:
        name = "caractère de contrôle"
    return f"{name} (U+{code:04X})"


#: Joiners that belong to a script or an emoji sequence when they sit between two
#: non-ASCII characters (👩‍💻, Persian, Indic scripts); elsewhere they only hide.
_JOINERS = {"\u200c", "\u200d"}


def _joins(text: str, index: int) -> bool:
    return (
        text[index] in _JOINERS
        and 0 < index < len(text) - 1
        and not text[index - 1].isascii()
        and not text[index + 1].isascii()
    )


def hidden_in(text: str) -> list[tuple[int, str]]:
    """Positions (from 1) and characters of every hidden character of ``text``."""
    return [
        (m.start() + 1, m.group()) for m in _PATTERN.finditer(text) if not _joins(text, m.start())
    ]


def problem_text(text: str) -> str | None:
    """The French message of a cell holding hidden characters (None when it has none)."""
    found = hidden_in(text)
    if not found:
        return None
    position, char = found[0]
    more = f", et {len(found) - 1} autre(s)" if len(found) > 1 else ""
    return (
        f"caractère invisible : {name_of(char)} au {position}e caractère{more} ; "
        "supprimez-le dans le tableur (il vient souvent d'un copier-coller) puis réimportez"
    )


def printable(text: str, keep_lines: bool = False) -> str:
    """``text`` without its hidden characters, tabs (and line breaks, unless
    ``keep_lines``: a figure's block of lines) made spaces, in NFC: what every export
    draws."""
    text = str(text)
    if keep_lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    else:
        text = re.sub(r"[\t\r\n]+", " ", text)
    if _PATTERN.search(text.replace("\n", "")):
        text = "".join(
            char
            for i, char in enumerate(text)
            if (keep_lines and char == "\n") or not is_hidden(char) or _joins(text, i)
        )
    return unicodedata.normalize("NFC", text)
