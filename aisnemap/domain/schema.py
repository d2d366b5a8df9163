"""Columns of ``data/structures.csv`` and their validation, with messages in French.

Decisions (documented in the README):
- the file may be UTF-8 (with or without BOM) or Windows-1252, as French Excel writes it;
- the separator may be ``,`` or ``;`` (detected on the header line);
- decimal commas are accepted in coordinates;
- text is kept as text: HTML in a field is neither interpreted nor removed (it is escaped
  wherever it is displayed), so no information is lost.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from aisnemap.domain import characters
from aisnemap.domain.departements import the_announcement
from aisnemap.french.formatting import fmt_decimal

# Column names (French: officials edit this file in a spreadsheet).
ID = "id"
WAVE = "vague"
LAUREATE = "laureat"
SITE = "site"
ADVISORS = "conseillers"
POOL = "groupe"
POOL_ADVISORS = "conseillers_groupe"
OPERATOR = "operateur"
SIRET = "siret"
OPERATOR_TYPE = "type_operateur"
SERVICE_TYPE = "type_service"
ITINERANT = "itinerant"
INSEE = "code_insee"
ADDRESS = "adresse"
LAT = "latitude"
LON = "longitude"
PRECISION = "precision"
SOURCE = "source"
CONFIDENCE = "confiance"

COLUMNS = (
    ID,
    WAVE,
    LAUREATE,
    SITE,
    ADVISORS,
    POOL,
    POOL_ADVISORS,
    OPERATOR,
    SIRET,
    OPERATOR_TYPE,
    SERVICE_TYPE,
    ITINERANT,
    INSEE,
    ADDRESS,
    LAT,
    LON,
    PRECISION,
    SOURCE,
    CONFIDENCE,
)
REQUIRED_TEXT = (ID, SITE, OPERATOR, OPERATOR_TYPE, SERVICE_TYPE, INSEE, SOURCE)
#: Columns an import may leave out (they are then empty for every row).
OPTIONAL_COLUMNS = (
    LAUREATE,
    POOL,
    POOL_ADVISORS,
    SIRET,
    ITINERANT,
    ADDRESS,
    LAT,
    LON,
    PRECISION,
    CONFIDENCE,
)
TEXT_COLUMNS = (
    ID,
    LAUREATE,
    SITE,
    POOL,
    OPERATOR,
    SIRET,
    OPERATOR_TYPE,
    SERVICE_TYPE,
    INSEE,
    ADDRESS,
    PRECISION,
    SOURCE,
    CONFIDENCE,
)

PRECISION_ADDRESS = "adresse"
PRECISION_COMMUNE = "commune"
PRECISIONS = (PRECISION_ADDRESS, PRECISION_COMMUNE)

#: Allowed categories (an import is matched to them whatever its case and accents).
OPERATOR_TYPES = (
    "commune",
    "EPCI",
    "département",
    "région",
    "État",
    "association",
    "entreprise",
    "autre",
    "non publié",
)
#: Older spellings still read on import ("non vérifié" is a confidence, not a type).
OPERATOR_TYPE_SYNONYMS = {"non vérifié": "non publié", "non verifie": "non publié"}
SERVICE_TYPES = (
    "Administration départementale",
    "Association",
    "Bibliothèque",
    "Bibliothèque départementale",
    "Centre social",
    "Espace de services publics",
    "Espace numérique",
    "France Services",
    "France Services itinérant",
    "Mairie",
    "MDPH",
    "Médiathèque",
    "Tiers-lieu",
    "UTAS",
    "Autre",
)
#: What an advisor count says when it is not published (counted as unknown, never 1).
ADVISORS_UNKNOWN = "non publié"
_UNKNOWN_WORDS = {"non publie", "inconnu", "nc", "n c", "?", "non connu", "non renseigne"}

#: Other names accepted for each column in an import (compared without case, accents,
#: spaces or punctuation).
COLUMN_ALIASES = {
    ID: ("identifiant", "id site", "code site"),
    WAVE: ("vague de selection", "numero de vague"),
    LAUREATE: ("laureate", "structure laureate", "nom du laureat"),
    SITE: ("nom du site", "lieu", "nom du lieu", "site d accueil"),
    ADVISORS: ("nombre de conseillers", "nb conseillers", "nb de conseillers", "postes"),
    POOL: ("groupe de conseillers",),
    POOL_ADVISORS: ("conseillers du groupe", "effectif du groupe", "effectif groupe"),
    OPERATOR: ("structure", "structure porteuse", "porteur"),
    SIRET: ("numero siret", "n siret", "siret de la structure"),
    OPERATOR_TYPE: ("type d operateur", "type de structure"),
    SERVICE_TYPE: ("type de service", "service", "type de lieu"),
    ITINERANT: ("itinerance", "itinerant e"),
    INSEE: ("code insee", "insee", "code commune", "code commune insee"),
    ADDRESS: ("adresse postale",),
    LAT: ("lat",),
    LON: ("lon", "lng", "long"),
    PRECISION: ("precision de localisation", "localisation"),
    SOURCE: ("sources",),
    CONFIDENCE: ("fiabilite", "niveau de confiance"),
}

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
MAX_TEXT = 1_000
#: Bounds of the numbers (a 19-digit count is a typing error, never an overflow).
MAX_WAVE = 99
MAX_ADVISORS = 500
MAX_POOL_ADVISORS = 5_000

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_INSEE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_WAVE_RE = re.compile(r"^(?:vague|v)?\s*(\d{1,6})$", re.IGNORECASE)
_YES = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
_NO = {"non", "n", "no", "false", "faux", "0"}
_BLANK = {"", "non renseigne", "inconnu", "nc", "?"}
# Rough box around the Aisne (WGS84) to catch swapped or foreign coordinates early.

ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True)
class Problem:
    """One validation problem: file line (header = 1), column and reason in French."""

    row: int | None
    column: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        prefix = ", ".join(where)
        return f"{prefix} : {self.message}" if prefix else self.message


@dataclass
class Validation:
    """Outcome of reading a structures file: the typed frame and every problem found."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the file unusable."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        """True when the file can be used."""
        return not self.errors


def empty_frame() -> pd.DataFrame:
    """An empty structures table with the right columns and dtypes."""
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return _coerce_types(frame)


def fold(text: str) -> str:
    """A key to compare names: no case, accents, spaces or punctuation differences."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9?]+", " ", plain.casefold()).split())


_ALIAS_INDEX = {fold(name): name for name in COLUMNS} | {
    fold(alias): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases
}
_OPERATOR_TYPE_INDEX = {fold(v): v for v in OPERATOR_TYPES} | {
    fold(k): v for k, v in OPERATOR_TYPE_SYNONYMS.items()
}
_SERVICE_TYPE_INDEX = {fold(v): v for v in SERVICE_TYPES}


class DecodeError(ValueError):
    """The bytes are not a text this reader accepts (French message)."""


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def decode(raw: bytes) -> tuple[str, str]:
    """Decode an upload: UTF-8 (BOM allowed) when it is valid UTF-8, else Windows-1252.

    A file that is UTF-8 in some lines and another encoding in others is refused, naming
    the lines, rather than silently misread (``dÃ©partement``). UTF-16 gets its own message.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        len(raw) >= 4 and (raw[1] == 0 and raw[3] == 0 or raw[0] == 0 and raw[2] == 0)
    ):
        raise DecodeError(
            "fichier encodé en UTF-16 : enregistrez-le en « CSV UTF-8 » ou « CSV (séparateur : "
            "point-virgule) » depuis le tableur"
        )
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
        # A workbook (XLSX or ODS are ZIP archives; XLS is an OLE2 file), not a CSV text.
        raise DecodeError(
            "classeur Excel : enregistrez-le au format CSV (dans le tableur : Fichier > "
            "Enregistrer sous > « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »)"
        )
    if b"\x00" in raw:
        raise DecodeError("le fichier n'est pas un texte CSV (octets nuls : fichier binaire ?)")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    utf8_lines, other_lines = [], []
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_lines.append(number)
        else:
            utf8_lines.append(number)
    if utf8_lines:
        shown = ", ".join(map(str, other_lines[:10])) + (" …" if len(other_lines) > 10 else "")
        raise DecodeError(
            f"encodages mélangés : les lignes {shown} ne sont pas en UTF-8 alors que les "
            f"lignes {', '.join(map(str, utf8_lines[:5]))} le sont (copier-coller depuis un "
            "autre fichier ?). Réenregistrez le fichier entier en « CSV UTF-8 »"
        )
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"caractère illisible (octet {raw[exc.start]:#04x}) ligne {_line_of(raw, exc.start)} : "
            "ni UTF-8 ni Windows-1252"
        ) from exc


def _sniff_delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    return ";" if header.count(";") > header.count(",") else ","


def _parse_int(value: str) -> int | None:
    value = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,12}", value):
        return None
    return int(value)


def _parse_float(value: str) -> float | None:
    value = value.strip().replace(",", ".")
    if len(value) > 40:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _map_header(header: list[str]) -> tuple[list[str | None], dict[str, str], list[str]]:
    """Canonical column of each header cell, the aliases applied and the unknown names."""
    mapped: list[str | None] = []
    aliases: dict[str, str] = {}
    unknown: list[str] = []
    for name in header:
        column = _ALIAS_INDEX.get(fold(name))
        mapped.append(column)
        if column is None:
            unknown.append(name)
        elif name != column:
            aliases[name] = column
    return mapped, aliases, unknown


def read_structures(
    source: Path | str | bytes,
    known_insee: set[str] | None = None,
) -> Validation:
    """Read and validate a structures table; every problem is reported, nothing raised.

    ``source`` is a path or the raw bytes of an upload. ``known_insee`` is the set of the
    department's commune codes in the reference year (unknown codes are errors).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            message = f"fichier introuvable : {path.name}"
            return Validation(empty_frame(), [Problem(None, None, message)])
        except OSError as exc:
            code = errno.errorcode.get(exc.errno or 0, "erreur")
            message = f"lecture impossible du fichier {path.name} ({code})"
            return Validation(empty_frame(), [Problem(None, None, message)])
    else:
        raw = source
    if len(raw) > MAX_BYTES:
        message = (
            f"fichier trop volumineux ({fmt_decimal(len(raw) / 1e6)} Mo) : "
            f"la limite est de {fmt_decimal(MAX_BYTES / 1e6, 0)} Mo"
        )
        return Validation(empty_frame(), [Problem(None, None, message)])
    try:
        text, encoding = decode(raw)
    except DecodeError as exc:
        return Validation(empty_frame(), [Problem(None, None, str(exc))])
    if not text.strip():
        return Validation(empty_frame(), [Problem(None, None, "le fichier est vide")], encoding)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            reason = "un guillemet ouvrant n'est jamais fermé"
        else:
            reason = "guillemets ou séparateurs mal placés"
        message = f"CSV mal formé : {reason} (vers la ligne {reader.line_num})"
        return Validation(empty_frame(), [Problem(None, None, message)], encoding, delimiter)
    header = [h.strip() for h in rows[0]]
    mapped, aliases, unknown = _map_header(header)
    problems: list[Problem] = []
    missing = [c for c in COLUMNS if c not in mapped and c not in OPTIONAL_COLUMNS]
    if missing:
        names = ", ".join(missing)
        hint = ""
        if len(header) == 1:
            hint = " (séparateur non reconnu : utilisez la virgule ou le point-virgule)"
        problems.append(Problem(1, None, f"colonnes manquantes : {names}{hint}"))
        return Validation(empty_frame(), problems, encoding, delimiter)
    duplicated = sorted({c for c in mapped if c and mapped.count(c) > 1})
    if duplicated:
        problems.append(Problem(1, None, f"colonnes en double : {', '.join(duplicated)}"))
        return Validation(empty_frame(), problems, encoding, delimiter)
    if aliases:
        applied = ", ".join(f"« {k} » → {v}" for k, v in aliases.items())
        problems.append(Problem(1, None, f"noms de colonnes reconnus : {applied}", WARNING))
    if unknown:
        problems.append(
            Problem(1, None, f"colonnes ignorées (inconnues) : {', '.join(unknown)}", WARNING)
        )
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if not body:
        problems.append(Problem(None, None, "aucune ligne de données après l'en-tête"))
        return Validation(empty_frame(), problems, encoding, delimiter)
    if len(body) > MAX_ROWS:
        message = f"trop de lignes ({len(body)}) : la limite est de {MAX_ROWS}"
        problems.append(Problem(None, None, message))
        return Validation(empty_frame(), problems, encoding, delimiter)

    index = {name: mapped.index(name) for name in COLUMNS if name in mapped}
    records = []
    line_numbers = []
    line = 1
    for cells in rows[1:]:
        line += 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    line,
                    None,
                    f"{len(cells)} champs au lieu de {len(header)} (séparateur ou guillemets ?)",
                )
            )
            continue
        records.append(
            {name: cells[index[name]].strip() if name in index else "" for name in COLUMNS}
        )
        line_numbers.append(line)

    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS)).astype("object")
    frame["_ligne"] = line_numbers
    problems.extend(_check_rows(frame, known_insee))
    frame = _coerce_types(frame)
    return Validation(frame, problems, encoding, delimiter, aliases)


# One validator per column (or per pair of columns read together). Each takes the raw row
# and returns the normalised values it sets and its problems as (column, message, severity).
Issue = tuple[str, str, str]
Checked = tuple[dict, list[Issue]]


def _check_texts(row: pd.Series, _known: set[str] | None) -> Checked:
    issues = [
        (column, f"texte trop long ({len(row[column])} caractères, max. {MAX_TEXT})", ERROR)
        for column in TEXT_COLUMNS
        if len(row[column]) > MAX_TEXT
    ]
    issues += [(c, "valeur obligatoire manquante", ERROR) for c in REQUIRED_TEXT if not row[c]]
    return {}, issues


def _check_characters(row: pd.Series, _known: set[str] | None) -> Checked:
    """Invisible and control characters are refused, naming the column and the character
    (a zero-width space would make another operator; a U+FEFF broke the prints)."""
    issues = []
    for column in COLUMNS:
        message = characters.problem_text(str(row[column]))
        if message:
            issues.append((column, message, ERROR))
    return {}, issues


def _check_id(row: pd.Series, _known: set[str] | None) -> Checked:
    ident = row[ID]
    if ident and not _ID_RE.match(ident):
        message = (
            f"identifiant invalide « {ident} » (lettres, chiffres, - et _ seulement, 32 au plus)"
        )
        return {}, [(ID, message, ERROR)]
    return {}, []


def _bounded_int(text: str, low: int, high: int) -> tuple[int | None, str | None]:
    """An integer within [low, high], or the French reason it is not one."""
    value = _parse_int(text)
    if value is None:
        return None, "entier attendu"
    if value < low:
        return None, f"au moins {low}"
    if value > high:
        return None, f"au plus {high}"
    return value, None


def _check_siret(row: pd.Series, _known: set[str] | None) -> Checked:
    value = row[SIRET].replace(" ", "")
    if value and not re.fullmatch(r"\d{14}", value):
        message = f"SIRET invalide « {row[SIRET]} » : 14 chiffres attendus"
        return {SIRET: value}, [(SIRET, message, ERROR)]
    return {SIRET: value}, []


def _check_wave(row: pd.Series, _known: set[str] | None) -> Checked:
    match = _WAVE_RE.match(row[WAVE].strip())
    value, reason = _bounded_int(match.group(1), 1, MAX_WAVE) if match else (None, "entier attendu")
    if value is None:
        return {WAVE: None}, [
            (WAVE, f"vague invalide « {row[WAVE]} » : {reason} (1, 2… ou « vague 2 »)", ERROR)
        ]
    return {WAVE: value}, []


def _check_advisors(row: pd.Series, _known: set[str] | None) -> Checked:
    """Own count of a site, or the pool it belongs to (with the pool's size)."""
    pool, advisors_text, pool_text = row[POOL], row[ADVISORS], row[POOL_ADVISORS]
    if pool:
        issues = []
        if advisors_text:
            issues.append(
                (
                    ADVISORS,
                    "un site d'un groupe ne porte pas de nombre propre (répartition non "
                    "publiée) : laisser vide",
                    ERROR,
                )
            )
        total, reason = _bounded_int(pool_text, 1, MAX_POOL_ADVISORS)
        if total is None:
            issues.append(
                (POOL_ADVISORS, f"effectif du groupe invalide « {pool_text} » : {reason}", ERROR)
            )
        return {ADVISORS: None, POOL_ADVISORS: total}, issues
    issues = []
    if pool_text:
        issues.append((POOL_ADVISORS, "effectif de groupe renseigné sans groupe", ERROR))
    if fold(advisors_text) in _UNKNOWN_WORDS:
        return {ADVISORS: None, POOL_ADVISORS: None}, issues
    advisors, reason = _bounded_int(advisors_text, 1, MAX_ADVISORS)
    if advisors is None:
        issues.append(
            (
                ADVISORS,
                f"nombre de conseillers invalide « {advisors_text} » ({reason} ; "
                f"« {ADVISORS_UNKNOWN} » si le nombre n'est pas connu)",
                ERROR,
            )
        )
    return {ADVISORS: advisors, POOL_ADVISORS: None}, issues


def _check_itinerant(row: pd.Series, _known: set[str] | None) -> Checked:
    value = fold(row[ITINERANT])
    if value in _YES:
        return {ITINERANT: True}, []
    if value in _NO:
        return {ITINERANT: False}, []
    if value in _BLANK:
        return {ITINERANT: None}, []
    message = f"valeur « {row[ITINERANT]} » : « oui », « non » ou vide (non renseigné) attendu"
    return {ITINERANT: None}, [(ITINERANT, message, ERROR)]


def _check_insee(row: pd.Series, known: set[str] | None) -> Checked:
    code = row[INSEE]
    if code and not _INSEE_RE.match(code):
        hint = " (zéro initial perdu par le tableur ?)" if re.fullmatch(r"\d{4}", code) else ""
        return {}, [(INSEE, f"code INSEE mal formé « {code} »{hint}", ERROR)]
    if code and known is not None and code not in known:
        return {}, [
            (INSEE, f"code INSEE « {code} » inconnu dans le département (COG de référence)", ERROR)
        ]
    return {}, []


def _category(column: str, allowed: tuple[str, ...], index: dict[str, str]) -> Callable:
    def check(row: pd.Series, _known: set[str] | None) -> Checked:
        value = row[column]
        if not value:
            return {}, []  # reported by _check_texts
        canonical = index.get(fold(value))
        if canonical is None:
            listed = ", ".join(f"« {v} »" for v in allowed)
            return {}, [
                (column, f"valeur « {value} » inconnue ; valeurs admises : {listed}", ERROR)
            ]
        return {column: canonical}, []

    return check


def _check_coordinates(row: pd.Series, _known: set[str] | None) -> Checked:
    """Latitude and longitude (read together) and the precision they imply."""
    lat_text, lon_text = row[LAT], row[LON]
    lat = _parse_float(lat_text) if lat_text else None
    lon = _parse_float(lon_text) if lon_text else None
    issues: list[Issue] = []
    if bool(lat_text) != bool(lon_text):
        issues.append((LAT, "latitude et longitude vont ensemble : les deux ou aucune", ERROR))
        lat = lon = None
    elif lat_text and (lat is None or lon is None):
        issues.append((LAT, f"coordonnées non numériques « {lat_text} ; {lon_text} »", ERROR))
        lat = lon = None
    elif lat is not None and lon is not None:
        announcement = the_announcement()
        west, south, east, north = announcement.bounds
        in_box = south <= lat <= north and west <= lon <= east
        swapped = south <= lon <= north and west <= lat <= east
        if not in_box:
            hint = " (latitude et longitude inversées ?)" if swapped else ""
            where = announcement.department.of_name
            issues.append((LAT, f"coordonnées hors {where} ({lat}, {lon}){hint}", ERROR))
            lat = lon = None
    precision = row[PRECISION].lower()
    if lat is None:
        if precision == PRECISION_ADDRESS and not (lat_text or lon_text):
            issues.append(
                (
                    PRECISION,
                    "précision « adresse » sans coordonnées : le site sera placé au centre de "
                    "sa commune",
                    WARNING,
                )
            )
        precision = PRECISION_COMMUNE
    elif precision not in PRECISIONS:
        issues.append(
            (
                PRECISION,
                f"précision « {row[PRECISION]} » : « adresse » ou « commune » attendu",
                ERROR,
            )
        )
    return {LAT: lat, LON: lon, PRECISION: precision}, issues


ROW_CHECKS = (
    _check_characters,
    _check_texts,
    _check_id,
    _check_siret,
    _check_wave,
    _check_advisors,
    _check_itinerant,
    _check_insee,
    _category(OPERATOR_TYPE, OPERATOR_TYPES, _OPERATOR_TYPE_INDEX),
    _category(SERVICE_TYPE, SERVICE_TYPES, _SERVICE_TYPE_INDEX),
    _check_coordinates,
)


def _check_unique_ids(frame: pd.DataFrame) -> list[Problem]:
    problems, seen = [], {}
    for ident, line in zip(frame[ID], frame["_ligne"], strict=True):
        if ident in seen:
            problems.append(
                Problem(
                    int(line), ID, f"identifiant « {ident} » en double (déjà ligne {seen[ident]})"
                )
            )
        else:
            seen[ident] = int(line)
    return problems


def _check_pool_sizes(frame: pd.DataFrame) -> list[Problem]:
    """Every site of a group states the same group size."""
    problems, first = [], {}
    for pool, total, line in zip(frame[POOL], frame[POOL_ADVISORS], frame["_ligne"], strict=True):
        if not pool or total is None or pd.isna(total):
            continue
        if pool in first and first[pool][0] != total:
            message = f"effectif du groupe « {pool} » incohérent : {total} ici, {first[pool][0]} ligne {first[pool][1]}"
            problems.append(Problem(int(line), POOL_ADVISORS, message))
        first.setdefault(pool, (total, int(line)))
    return problems


def _check_rows(frame: pd.DataFrame, known_insee: set[str] | None) -> list[Problem]:
    """Run every validator on every row, normalising values in place; returns the problems."""
    problems: list[Problem] = []
    for i, row in frame.iterrows():
        line = int(row["_ligne"])
        for check in ROW_CHECKS:
            values, issues = check(row, known_insee)
            for column, value in values.items():
                frame.at[i, column] = value
            problems.extend(
                Problem(line, column, message, severity) for column, message, severity in issues
            )
    problems.extend(_check_unique_ids(frame))
    problems.extend(_check_pool_sizes(frame))
    return sorted(problems, key=lambda p: p.row or 0)


def _coerce_types(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].astype("object").where(frame[column].notna(), "")
        frame[column] = frame[column].astype(str)
    frame[WAVE] = pd.to_numeric(frame[WAVE], errors="coerce").astype("Int64")
    frame[ADVISORS] = pd.to_numeric(frame[ADVISORS], errors="coerce").astype("Int64")
    frame[POOL_ADVISORS] = pd.to_numeric(frame[POOL_ADVISORS], errors="coerce").astype("Int64")
    frame[LAT] = pd.to_numeric(frame[LAT], errors="coerce").astype("float64")
    frame[LON] = pd.to_numeric(frame[LON], errors="coerce").astype("float64")
    frame[ITINERANT] = frame[ITINERANT].astype("boolean")
    if "_ligne" in frame:
        frame["_ligne"] = frame["_ligne"].astype("int64")
    return frame


@dataclass(frozen=True)
class AdvisorCount:
    """Advisors of a set of sites: own counts, each pool once, and sites whose count is
    not published (counted as unknown, never as 1)."""

    own: int
    pools: dict[str, int]
    unknown_sites: int
    #: Each pool's operator, to name it (``groupe`` is an identifier).
    pool_names: dict[str, str] = field(default_factory=dict)

    @property
    def pool_total(self) -> int:
        """Advisors of every pool, each counted once."""
        return sum(self.pools.values())

    @property
    def total(self) -> int:
        """Own counts plus each pool once (sites with an unpublished count add nothing)."""
        return self.own + self.pool_total


def count_advisors(frame: pd.DataFrame) -> AdvisorCount:
    """The one rule for counting advisors in a table of sites."""
    # Only the columns counted: selecting rows of a GeoDataFrame copies its geometry.
    frame = pd.DataFrame(
        {c: frame[c] for c in (POOL, POOL_ADVISORS, ADVISORS, OPERATOR) if c in frame.columns}
    )
    own_rows = frame.loc[frame[POOL] == ""]
    pool_rows = frame.loc[frame[POOL] != ""]
    # Every site of a pool states the pool's size: take it once per pool, never per site.
    sizes = pool_rows.groupby(POOL, sort=False)[POOL_ADVISORS].first().fillna(0)
    names = pool_rows.groupby(POOL, sort=False)[OPERATOR].first() if OPERATOR in frame else {}
    return AdvisorCount(
        own=int(own_rows[ADVISORS].fillna(0).sum()),
        pools={str(k): int(v) for k, v in sizes.items()},
        unknown_sites=int(own_rows[ADVISORS].isna().sum()),
        pool_names={str(k): str(v) for k, v in dict(names).items()},
    )


def to_csv_text(frame: pd.DataFrame) -> str:
    """Write a structures table back in the canonical format (UTF-8, comma)."""
    out = frame.loc[:, list(COLUMNS)].copy()
    out[ITINERANT] = out[ITINERANT].map(lambda v: "" if pd.isna(v) else ("oui" if v else "non"))
    own_unknown = (out[POOL] == "") & out[ADVISORS].isna()
    out[ADVISORS] = out[ADVISORS].astype(object).where(~own_unknown, ADVISORS_UNKNOWN)
    for column in (LAT, LON):
        # repr() is the shortest text that reads back to the same float: no drift.
        out[column] = out[column].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    return out.to_csv(index=False, lineterminator="\n")
