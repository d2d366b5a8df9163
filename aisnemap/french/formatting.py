"""French formatting, in one place: numbers, decimals, percentages, distances, money,
dates and plurals, as every page, table, tooltip, chart and export writes them.

French writes a decimal comma (« 12,3 »), groups thousands with a narrow no-break space
(« 531 345 »), and puts a no-break space between a number and its unit (« 12,3 km »,
« 50 000 € », « 49,0 % »), so the unit never starts a line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

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


def folded(text: object) -> str:
    """Text compared without case, accents, hyphens or apostrophes (« hirson » finds
    « Hirson », « chateau thierry » finds « Château-Thierry »)."""
    plain = unicodedata.normalize("NFKD", str(text)).casefold()
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    for mark in "-'’":
        plain = plain.replace(mark, " ")
    return " ".join(plain.split())


def plural(n: int, one: str, many: str) -> str:
    """``one`` for 0 or 1 (French usage), else ``many``."""
    return one if abs(n) <= 1 else many


def plural_count(n: int, word: str) -> str:
    """« 1 conseiller », « 2 conseillers »."""
    return f"{fmt_int(n)} {plural(n, word, word + 's')}"


#: Words the national list writes in capitals without accents, as French writes them.
_ACCENTED = {
    "communaute": "communauté",
    "agglomeration": "agglomération",
    "departement": "département",
    "departemental": "départemental",
    "departementale": "départementale",
    "mediatheque": "médiathèque",
    "bibliotheque": "bibliothèque",
    "societe": "société",
    "cooperative": "coopérative",
    "region": "région",
    "regional": "régional",
    "regionale": "régionale",
    "etablissement": "établissement",
    "economie": "économie",
    "economique": "économique",
    "education": "éducation",
    "numerique": "numérique",
    "numeriques": "numériques",
    "cite": "cité",
    "creation": "création",
    "creative": "créative",
    "solidarite": "solidarité",
    "francaise": "française",
    "francais": "français",
    "emmaus": "Emmaüs",
    "prevention": "prévention",
    "securite": "sécurité",
    "sante": "santé",
    "reussite": "réussite",
    "metropole": "métropole",
    "ecole": "école",
    "etudes": "études",
    "federation": "fédération",
    "generation": "génération",
    "generations": "générations",
    "integration": "intégration",
    "insertion": "insertion",
    "mediation": "médiation",
    "reseau": "réseau",
    "reseaux": "réseaux",
    "equipement": "équipement",
    "activites": "activités",
    "loisir": "loisir",
    "culturel": "culturel",
    "ferriere": "Ferrière",
}
#: Short words French writes in lower case inside a name.
_PARTICLES = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "et",
    "en",
    "à",
    "a",
    "au",
    "aux",
    "sur",
    "sous",
    "pour",
    "par",
    "l",
    "d",
    "lez",
    "lès",
}
#: Acronyms kept in capitals.
_ACRONYMS = {
    "cc",
    "ca",
    "ccas",
    "cias",
    "mjc",
    "epn",
    "afad",
    "caf",
    "cpam",
    "ufcv",
    "ifac",
    "ape",
    "fjt",
    "cdc",
    "sivom",
    "pimms",
    "fs",
    "ccss",
    "udaf",
    "apf",
    "adil",
    "cms",
    "upi",
    "cdad",
    "ufr",
    "cfa",
    "greta",
    "mfr",
    "ae",
    "sa",
    "sas",
    "sarl",
    "scic",
    "eurl",
    "asso",
    "ass",
    "grdf",
    "sncf",
    "ratp",
    "anct",
    "msap",
    "utas",
    "mdph",
}


def proper_name(text: str) -> str:
    """A name the source writes in capitals, as French writes it for display
    (« COMMUNAUTE DE COMMUNES DU PAYS DE LA SERRE » → « Communauté de communes du Pays de la
    Serre »); a name already in mixed case is kept. The source's spelling stays in exports."""
    value = " ".join(str(text or "").split())
    if not value or value != value.upper() or not any(c.isalpha() for c in value):
        return value
    # The list writes « D ARNEKE », « DE L OISE » for « d'Arneke », « de l'Oise ».
    value = re.sub(r"(?<![A-Z])([DL]) (?=[A-Z])", r"\1'", value)
    words = []
    for index, word in enumerate(re.split(r"(\s+|-|')", value)):
        if not word or word.isspace() or word in "-'":
            words.append(word)
            continue
        low = word.lower()
        if low in _ACRONYMS and low not in ("ass", "asso"):
            words.append(word.upper())
        elif index > 0 and low in _PARTICLES:
            words.append(low)
        else:
            accented = _ACCENTED.get(low, low)
            words.append(accented[:1].upper() + accented[1:])
    out = "".join(words)
    # « Communauté de Communes » is written « Communauté de communes » (and agglomération).
    out = re.sub(
        r"\b(Communauté (?:de|d')) (Communes|Agglomération)\b",
        lambda m: f"{m.group(1)} {m.group(2).lower()}",
        out,
    )
    return out[:1].upper() + out[1:]
