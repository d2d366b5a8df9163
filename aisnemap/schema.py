"""Columns of ``data/structures.csv`` and their validation, with messages in French.

Decisions (documented in the README):
- the file may be UTF-8 (with or without BOM) or Windows-1252, as French Excel writes it;
- the separator may be ``,`` or ``;`` (detected on the header line);
- decimal commas are accepted in coordinates;
- text is kept as text: HTML in a field is neither interpreted nor removed (it is escaped
  wherever it is displayed), so no information is lost.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# Column names (French: officials edit this file in a spreadsheet).
ID = "id"
WAVE = "vague"
LAUREATE = "laureat"
SITE = "site"
ADVISORS = "conseillers"
POOL = "groupe"
POOL_ADVISORS = "conseillers_groupe"
OPERATOR = "operateur"
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
REQUIRED_TEXT = (ID, LAUREATE, SITE, OPERATOR, OPERATOR_TYPE, SERVICE_TYPE, INSEE, SOURCE)
TEXT_COLUMNS = (
    ID,
    LAUREATE,
    SITE,
    POOL,
    OPERATOR,
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

MAX_BYTES = 2_000_000
MAX_ROWS = 2_000
MAX_TEXT = 1_000

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_INSEE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_YES = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
_NO = {"non", "n", "no", "false", "faux", "0", ""}
# Rough box around the Aisne (WGS84) to catch swapped or foreign coordinates early.
_LAT_RANGE = (48.8, 50.2)
_LON_RANGE = (2.9, 4.4)

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


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM allowed) or, failing that, Windows-1252."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _sniff_delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    return ";" if header.count(";") > header.count(",") else ","


def _parse_int(value: str) -> int | None:
    value = value.strip()
    if not re.fullmatch(r"[+-]?\d+", value):
        return None
    return int(value)


def _parse_float(value: str) -> float | None:
    value = value.strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


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
            return Validation(empty_frame(), [Problem(None, None, f"fichier introuvable : {path}")])
        except OSError as exc:
            return Validation(
                empty_frame(), [Problem(None, None, f"lecture impossible de {path} : {exc}")]
            )
    else:
        raw = source
    if len(raw) > MAX_BYTES:
        message = (
            f"fichier trop volumineux ({len(raw) / 1e6:.1f} Mo) : "
            f"la limite est de {MAX_BYTES / 1e6:.0f} Mo"
        )
        return Validation(empty_frame(), [Problem(None, None, message)])
    if b"\x00" in raw:
        message = "le fichier n'est pas un texte CSV (octets nuls : fichier binaire ?)"
        return Validation(empty_frame(), [Problem(None, None, message)])
    text, encoding = decode(raw)
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
    problems: list[Problem] = []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        names = ", ".join(missing)
        hint = ""
        if len(header) == 1:
            hint = " (séparateur non reconnu : utilisez la virgule ou le point-virgule)"
        problems.append(Problem(1, None, f"colonnes manquantes : {names}{hint}"))
        return Validation(empty_frame(), problems, encoding, delimiter)
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        problems.append(Problem(1, None, f"colonnes en double : {', '.join(duplicated)}"))
        return Validation(empty_frame(), problems, encoding, delimiter)
    extra = [h for h in header if h not in COLUMNS]
    if extra:
        problems.append(
            Problem(1, None, f"colonnes ignorées (inconnues) : {', '.join(extra)}", WARNING)
        )
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if not body:
        problems.append(Problem(None, None, "aucune ligne de données après l'en-tête"))
        return Validation(empty_frame(), problems, encoding, delimiter)
    if len(body) > MAX_ROWS:
        message = f"trop de lignes ({len(body)}) : la limite est de {MAX_ROWS}"
        problems.append(Problem(None, None, message))
        return Validation(empty_frame(), problems, encoding, delimiter)

    index = {name: header.index(name) for name in COLUMNS}
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
        records.append({name: cells[i].strip() for name, i in index.items()})
        line_numbers.append(line)

    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS)).astype("object")
    frame["_ligne"] = line_numbers
    problems.extend(_check_rows(frame, known_insee))
    frame = _coerce_types(frame)
    validation = Validation(frame, problems, encoding, delimiter)
    if not validation.ok:
        validation.frame = frame
    return validation


def _check_rows(frame: pd.DataFrame, known_insee: set[str] | None) -> list[Problem]:
    """Check each row in place, normalising values; returns the problems found."""
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    pool_totals: dict[str, tuple[int, int]] = {}
    for i, row in frame.iterrows():
        line = int(row["_ligne"])

        def bad(column: str | None, message: str, severity: str = ERROR) -> None:
            problems.append(Problem(line, column, message, severity))  # noqa: B023

        for column in TEXT_COLUMNS:
            if len(row[column]) > MAX_TEXT:
                bad(column, f"texte trop long ({len(row[column])} caractères, max. {MAX_TEXT})")
        for column in REQUIRED_TEXT:
            if not row[column]:
                bad(column, "valeur obligatoire manquante")
        ident = row[ID]
        if ident and not _ID_RE.match(ident):
            bad(ID, f"identifiant invalide « {ident} » (lettres, chiffres, - et _ seulement)")
        if ident in seen_ids:
            bad(ID, f"identifiant « {ident} » en double (déjà ligne {seen_ids[ident]})")
        else:
            seen_ids[ident] = line

        wave = _parse_int(row[WAVE])
        if wave is None or wave < 1:
            bad(WAVE, f"vague invalide « {row[WAVE]} » : entier 1, 2…")
        frame.at[i, WAVE] = wave

        pool = row[POOL]
        advisors_text = row[ADVISORS]
        if pool:
            if advisors_text:
                bad(
                    ADVISORS,
                    "un site d'un groupe ne porte pas de nombre propre "
                    "(répartition non publiée) : laisser vide",
                )
            frame.at[i, ADVISORS] = None
            total = _parse_int(row[POOL_ADVISORS])
            if total is None or total < 1:
                bad(POOL_ADVISORS, f"effectif du groupe invalide « {row[POOL_ADVISORS]} »")
            elif pool in pool_totals and pool_totals[pool][0] != total:
                first_total, first_line = pool_totals[pool]
                bad(
                    POOL_ADVISORS,
                    f"effectif du groupe « {pool} » incohérent : {total} ici, "
                    f"{first_total} ligne {first_line}",
                )
            else:
                pool_totals.setdefault(pool, (total, line))
            frame.at[i, POOL_ADVISORS] = total
        else:
            advisors = _parse_int(advisors_text)
            if advisors is None:
                bad(
                    ADVISORS, f"nombre de conseillers invalide « {advisors_text} » (entier attendu)"
                )
            elif advisors < 1:
                bad(ADVISORS, f"nombre de conseillers invalide « {advisors_text} » (au moins 1)")
            if row[POOL_ADVISORS]:
                bad(POOL_ADVISORS, "effectif de groupe renseigné sans groupe")
            frame.at[i, ADVISORS] = advisors
            frame.at[i, POOL_ADVISORS] = None

        itinerant = row[ITINERANT].lower()
        if itinerant in _YES:
            frame.at[i, ITINERANT] = True
        elif itinerant in _NO:
            frame.at[i, ITINERANT] = False
        else:
            bad(ITINERANT, f"valeur « {row[ITINERANT]} » : « oui » ou « non » attendu")
            frame.at[i, ITINERANT] = False

        code = row[INSEE]
        if code and not _INSEE_RE.match(code):
            hint = " (zéro initial perdu par le tableur ?)" if re.fullmatch(r"\d{4}", code) else ""
            bad(INSEE, f"code INSEE mal formé « {code} »{hint}")
        elif code and known_insee is not None and code not in known_insee:
            bad(INSEE, f"code INSEE « {code} » inconnu dans le département (COG de référence)")

        lat_text, lon_text = row[LAT], row[LON]
        lat = _parse_float(lat_text) if lat_text else None
        lon = _parse_float(lon_text) if lon_text else None
        if bool(lat_text) != bool(lon_text):
            bad(LAT, "latitude et longitude vont ensemble : les deux ou aucune")
            lat = lon = None
        elif lat_text and (lat is None or lon is None):
            bad(LAT, f"coordonnées non numériques « {lat_text} ; {lon_text} »")
            lat = lon = None
        elif lat is not None and lon is not None:
            in_box = _LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]
            swapped = (
                _LAT_RANGE[0] <= lon <= _LAT_RANGE[1] and _LON_RANGE[0] <= lat <= _LON_RANGE[1]
            )
            if not in_box:
                hint = " (latitude et longitude inversées ?)" if swapped else ""
                bad(LAT, f"coordonnées hors de l'Aisne ({lat}, {lon}){hint}")
                lat = lon = None
        frame.at[i, LAT] = lat
        frame.at[i, LON] = lon

        precision = row[PRECISION].lower()
        if lat is None:
            if precision == PRECISION_ADDRESS and not (lat_text or lon_text):
                bad(
                    PRECISION,
                    "précision « adresse » sans coordonnées : le site sera placé au centre "
                    "de sa commune",
                    WARNING,
                )
            precision = PRECISION_COMMUNE
        elif precision not in PRECISIONS:
            bad(PRECISION, f"précision « {row[PRECISION]} » : « adresse » ou « commune » attendu")
        frame.at[i, PRECISION] = precision
    return problems


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
    frame[ITINERANT] = frame[ITINERANT].fillna(False).astype(bool)
    if "_ligne" in frame:
        frame["_ligne"] = frame["_ligne"].astype("int64")
    return frame


def advisor_total(frame: pd.DataFrame) -> int:
    """Advisors in a table: own counts of sites plus each pool counted once."""
    own = int(frame.loc[frame[POOL] == "", ADVISORS].fillna(0).sum())
    pools = frame.loc[frame[POOL] != ""].drop_duplicates(POOL)
    return own + int(pools[POOL_ADVISORS].fillna(0).sum())


def to_csv_text(frame: pd.DataFrame) -> str:
    """Write a structures table back in the canonical format (UTF-8, comma)."""
    out = frame.loc[:, list(COLUMNS)].copy()
    out[ITINERANT] = out[ITINERANT].map({True: "oui", False: "non"})
    for column in (LAT, LON):
        # repr() is the shortest text that reads back to the same float: no drift.
        out[column] = out[column].map(lambda v: "" if pd.isna(v) else repr(float(v)))
    return out.to_csv(index=False, lineterminator="\n")
