"""The programme's national list of validated posts (COSELEC), for one département.

Build side (:func:`build_posts`): read the national file, repair its known traps (codes
that lost their leading zeros, ``2A``/``2B``, département ``0``), keep the département's
rows, validate each one (a malformed row is reported in French and counted, never dropped
silently), bring INSEE codes to the COG of the build through the same code-change table as
the communes, and write one row per structure with its committee date, SIRET and position
(the commune's representative point, flagged; the app replaces it with the curated site of
``structures.csv`` when the SIRET matches).

App side: :func:`national_sites` turns the posts validated up to a date into a table of
sites with the columns of ``structures.csv`` (so filters, figures, maps and exports work
unchanged); :func:`reconcile` compares the announcement with the list. No Streamlit here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from aisnemap import integrity
from aisnemap.domain import schema as s
from aisnemap.domain.followup import FOLLOWUP_COLUMNS, json_payload
from aisnemap.domain.territory import locate_sites
from aisnemap.french import data_files
from aisnemap.french.formatting import MONTHS, proper_name

LIST_FILE = "cnfs-structures-2023-04-05.csv"
LIST_DATE = dt.date(2023, 4, 5)
#: The programme's first selection committee (the list's earliest date, all départements):
#: a view may be situated at any date from it, before a département's own first committee.
FIRST_COMMITTEE = dt.date(2021, 3, 24)
LIST_LABEL = "liste nationale des structures validées en comité de sélection (COSELEC)"
LIST_SOURCE = f"ANCT, {LIST_LABEL}, situation du {LIST_DATE:%d/%m/%Y}"

# Columns of the national file.
C_NAME = "Raison sociale"
C_COMMUNE = "Commune INSEE"  # the commune's name, despite the column's title
C_POSTS = "Nombre de conseillers validés par le COSELEC"
C_DATE = "Date de validation en comité de sélection"
C_TYPE = "Type"
C_SIRET = "SIRET"
C_DEPT = "Code département"
C_ADDRESS = "Adresse"
C_INSEE = "Code commune INSEE"
C_POSTCODE = "Code postal"
C_INVEST = "Investissement financier estimatif total de l’Etat"
C_ZRR = "ZRR"
C_QPV = "QPV"
C_FS = "France services"
REQUIRED = (C_NAME, C_POSTS, C_DATE, C_TYPE, C_SIRET, C_DEPT, C_INSEE, C_INVEST)

# Columns of the built table (data/postes_<dép>.csv).
P_SIRET = "siret"
P_NAME = "structure"
P_POSTS = "postes"
P_DATE = "date_comite"
P_TYPE = "type"
P_INSEE_LIST = "code_insee_liste"
P_INSEE = "code_insee"
P_ADDRESS = "adresse"
P_POSTCODE = "code_postal"
P_INVEST = "investissement_eur"
P_FS = "france_services"
P_ZRR = "zrr"
P_QPV = "qpv"
P_PLACE = "lieu"
PLACE_COMMUNE = "commune"  # the commune's representative point (no address located)
PLACE_OUTSIDE = "hors département"  # a national structure with no place published here
POST_COLUMNS = (
    P_SIRET,
    P_NAME,
    P_POSTS,
    P_DATE,
    P_TYPE,
    P_INSEE_LIST,
    P_INSEE,
    P_ADDRESS,
    P_POSTCODE,
    P_INVEST,
    P_FS,
    P_ZRR,
    P_QPV,
    P_PLACE,
)
#: Where the structure's address was located (June 2021 list geocoded with the BAN), and
#: how sure the geocoder was (0–1); empty when drawn at the commune's point.
P_LAT = "latitude"
P_LON = "longitude"
P_SCORE = "score_geocodage"
P_GEOCODED = "adresse_geocodee"
GEOCODE_COLUMNS = (P_LAT, P_LON, P_SCORE, P_GEOCODED)
GEOCODED_FILE = "cnfs-structures-2021-06-25-geocodees.json"
GEOCODED_DATE = dt.date(2021, 6, 25)
#: Below this score the BAN's answer is a guess: the structure stays at its commune's point.
MIN_GEOCODE_SCORE = 0.5
#: A geocoded point further than this from its commune is not used (metres).
GEOCODE_TOLERANCE_M = 100.0

# Extra columns of the national reading's sites table.
S_DATE = "date_comite"
S_INVEST = "investissement_eur"
S_STRUCTURE = "structure_liste"
S_OUTSIDE = "hors_departement"


#: Differences between the announcement and the list that no column can show, each with
#: its sources (keyed on SIRET). Commune differences are computed, not listed here.
KNOWN_DIFFERENCES = {
    "21020762700014": (
        "opérateur : le communiqué du 18/03/2021 nomme l'Espace France Services de la "
        "sous-préfecture de Vervins (État) ; la liste nationale enregistre la Commune de "
        "Vervins"
    ),
}


def pad_department(code: str) -> str:
    """Département code as in the COG: ``2`` → ``02``; ``2A``/``2B``/``974`` unchanged."""
    code = code.strip().upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


def pad_insee(code: str) -> str:
    """INSEE code as in the COG: ``2408`` → ``02408``; ``2A004`` unchanged."""
    code = code.strip().upper()
    return code.zfill(5) if code.isdigit() and len(code) == 4 else code


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _flag(text: str) -> str:
    """A oui/non column as the source writes it (« sans objet », « Non défini » are kept);
    « non renseigné » only for an empty cell."""
    value = " ".join(text.split())
    return value.lower() if value.lower() in ("oui", "non") else (value or "non renseigné")


@dataclass
class PostsBuild:
    """The département's structures, every problem, and counts for the report."""

    table: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_kept: int = 0
    #: Rows kept whose commune code was repaired (a homonym of another département).
    repairs: list[str] = field(default_factory=list)


def read_national_list(raw: bytes) -> list[dict[str, str]]:
    """Rows of the national file (``;``-separated, UTF-8); ValueError in French if not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"liste nationale : encodage inattendu ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError("liste nationale : colonnes manquantes : " + ", ".join(missing))
    return list(reader)


def department_posts(
    rows: list[dict[str, str]],
    department: str,
    mapping: dict[str, str],
    homonyms: dict[tuple[str, str], str] | None = None,
) -> PostsBuild:
    """The département's rows, validated, codes brought to the COG of ``mapping``.

    ``mapping`` maps every code (current or former) of the département's communes to the
    current one. A row whose département is the one asked but whose commune is elsewhere
    (a national structure's head office) is kept, flagged "hors département" — unless the
    list's commune name and postcode name one commune of the département (``homonyms``,
    see ``build.homonym_index``): the list then gave the code of a homonym elsewhere
    (Leval 90066 for Leval 59; 04174 for Saint-Benoît 974); the code is repaired and said.
    """
    out, problems, repairs = [], [], []
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        if pad_department(row.get(C_DEPT, "")) != department:
            continue
        identical = tuple(sorted(row.items()))
        if identical in seen:
            repairs.append(
                f"liste nationale, ligne {number} ({row.get(C_NAME, '').strip()}) : identique à "
                f"la ligne {seen[identical]} (gardée : la liste compte ses postes deux fois)"
            )
        seen.setdefault(identical, number)
        where = f"ligne {number} ({row.get(C_NAME, '').strip() or 'sans nom'})"
        posts = row.get(C_POSTS, "").strip()
        date = _parse_date(row.get(C_DATE, ""))
        siret = row.get(C_SIRET, "").replace(" ", "")
        insee = pad_insee(row.get(C_INSEE, ""))
        invest = row.get(C_INVEST, "").strip()
        reasons = []
        if not re.fullmatch(r"\d{1,3}", posts) or int(posts) < 1:
            reasons.append(f"nombre de postes invalide « {posts} »")
        if date is None:
            reasons.append(f"date de comité invalide « {row.get(C_DATE, '')} »")
        if not re.fullmatch(r"\d{14}", siret):
            reasons.append(f"SIRET invalide « {siret} »")
        if not re.fullmatch(r"\d{5}|2[AB]\d{3}", insee):
            reasons.append(f"code INSEE invalide « {row.get(C_INSEE, '')} »")
        if invest and not re.fullmatch(r"\d{1,9}", invest):
            reasons.append(f"investissement invalide « {invest} »")
        if reasons:
            problems.append(f"liste nationale, {where} : ignorée — " + " ; ".join(reasons))
            continue
        written = row.get(C_INSEE, "").strip().upper()
        if written != insee or row.get(C_DEPT, "").strip().upper() != department:
            repairs.append(
                f"liste nationale, {where} : zéro initial rétabli (code INSEE « {written} » → "
                f"{insee}, département « {row.get(C_DEPT, '').strip()} » → {department})"
            )
        current = mapping.get(insee)
        postcode = pad_insee(row.get(C_POSTCODE, ""))
        if current is None and homonyms:
            current = homonyms.get((s.fold(row.get(C_COMMUNE, "")), postcode))
            if current is not None:
                repairs.append(
                    f"liste nationale, {where} : code INSEE « {insee} » hors du département "
                    f"(homonyme), corrigé en {current} d'après la commune « "
                    f"{row.get(C_COMMUNE, '').strip()} » et le code postal {postcode}"
                )
        if current is None and insee.startswith(department):
            problems.append(
                f"liste nationale, {where} : ignorée — code INSEE « {insee} » inconnu du COG"
            )
            continue
        if current is None:
            repairs.append(
                f"liste nationale, {where} : commune {insee} hors du département (siège "
                "ailleurs) : postes comptés « sans lieu dans le département »"
            )
        out.append(
            {
                P_SIRET: siret,
                P_NAME: row[C_NAME].strip(),
                P_POSTS: int(posts),
                P_DATE: date.isoformat(),
                P_TYPE: row[C_TYPE].strip().lower(),
                P_INSEE_LIST: insee,
                P_INSEE: current or insee,
                P_ADDRESS: row.get(C_ADDRESS, "").strip(),
                P_POSTCODE: postcode,
                P_INVEST: int(invest) if invest else None,
                P_FS: _flag(row.get(C_FS, "")),
                P_ZRR: _flag(row.get(C_ZRR, "")),
                P_QPV: _flag(row.get(C_QPV, "")),
                P_PLACE: PLACE_COMMUNE if current else PLACE_OUTSIDE,
            }
        )
    table = pd.DataFrame(out, columns=list(POST_COLUMNS))
    kept = len(table)
    return PostsBuild(table, problems, sum(1 for _ in rows), kept, repairs)


def outside_departments(rows: list[dict[str, str]], departments: set[str]) -> list[str]:
    """Rows whose département code is none of the 101 (e.g. ``0`` for Saint-Martin)."""
    return [
        f"liste nationale, ligne {n} ({r.get(C_NAME, '').strip()}) : département « "
        f"{r.get(C_DEPT, '')} » hors des 101 départements (INSEE {r.get(C_INSEE, '')})"
        for n, r in enumerate(rows, start=2)
        if pad_department(r.get(C_DEPT, "")) not in departments
    ]


def read_geocoded(raw: bytes | str) -> pd.DataFrame:
    """The June 2021 geocoded list: SIRET, latitude, longitude, score, BAN label (the best
    scored row of each SIRET); ValueError in French for a file of another shape."""
    data = json_payload(raw, "liste géocodée", list, "une liste de structures")
    rows = []
    for entry in data:
        siret = re.sub(r"\D", "", str(entry.get("siret") or ""))
        lat, lon = entry.get("latitude"), entry.get("longitude")
        if len(siret) != 14 or lat in (None, "") or lon in (None, ""):
            continue
        rows.append(
            {
                P_SIRET: siret,
                P_LAT: float(lat),
                P_LON: float(lon),
                P_SCORE: float(entry.get("result_score") or 0),
                P_GEOCODED: str(entry.get("result_label") or ""),
            }
        )
    frame = pd.DataFrame(rows, columns=[P_SIRET, *GEOCODE_COLUMNS])
    frame = frame.sort_values(P_SCORE, ascending=False, kind="stable")
    return frame.drop_duplicates(P_SIRET).reset_index(drop=True)


def june_posts(raw: bytes | str, department: str) -> pd.DataFrame:
    """The département's rows of the list as published on 25 June 2021: SIRET, name, posts,
    committee date (the file's ``code_département`` lost its leading zero)."""
    data = json_payload(raw, "liste du 25/06/2021", list, "une liste de structures")
    rows = []
    for entry in data:
        code = pad_department(str(entry.get("code_département") or entry.get("insee_dep") or ""))
        if code != department:
            continue
        rows.append(
            {
                P_SIRET: re.sub(r"\D", "", str(entry.get("siret") or "")),
                P_NAME: str(entry.get("raison_sociale") or "").strip(),
                P_POSTS: int(entry.get("nb_cnfs") or 0),
                P_DATE: str(entry.get("date_de_validation_en_comité_de_sélection") or ""),
            }
        )
    return pd.DataFrame(rows, columns=[P_SIRET, P_NAME, P_POSTS, P_DATE])


def geocode_posts(
    table: pd.DataFrame, geocoded: pd.DataFrame, communes: gpd.GeoDataFrame, metric_crs: str
) -> tuple[pd.DataFrame, list[str]]:
    """The posts with the coordinates of their address where the geocoded list has them,
    sure enough (score ≥ ``MIN_GEOCODE_SCORE``) and inside the structure's commune; each
    structure left at its commune's point for one of these reasons is named."""
    out = table.copy()
    for column in GEOCODE_COLUMNS:
        out[column] = pd.Series([None] * len(out), dtype="object")
    report: list[str] = []
    found = out[[P_SIRET]].merge(geocoded, on=P_SIRET, how="left")
    shapes = communes.set_index("code").geometry.to_crs(metric_crs)
    placed = 0
    for i, row in found.iterrows():
        post = out.loc[i]
        name = f"{post[P_NAME]} ({post[P_SIRET]})"
        if post[P_PLACE] != PLACE_COMMUNE or pd.isna(row[P_LAT]):
            continue
        score = float(row[P_SCORE])
        if score < MIN_GEOCODE_SCORE:
            report.append(
                f"géocodage : {name} laissé au centre de sa commune, score {score:.2f} "
                f"< {MIN_GEOCODE_SCORE} (adresse devinée)".replace(".", ",")
            )
            continue
        point = gpd.GeoSeries(
            gpd.points_from_xy([row[P_LON]], [row[P_LAT]]), crs="EPSG:4326"
        ).to_crs(metric_crs)
        commune = shapes.get(post[P_INSEE])
        if commune is None or point.iloc[0].distance(commune) > GEOCODE_TOLERANCE_M:
            report.append(
                f"géocodage : {name} laissé au centre de sa commune, l'adresse géocodée "
                f"« {row[P_GEOCODED]} » est hors de la commune {post[P_INSEE]}"
            )
            continue
        out.loc[i, list(GEOCODE_COLUMNS)] = [
            round(row[P_LAT], 6),
            round(row[P_LON], 6),
            round(score, 2),
            row[P_GEOCODED],
        ]
        placed += 1
    in_commune = out.loc[out[P_PLACE] == PLACE_COMMUNE, P_SIRET]
    located = out.loc[out[P_LAT].notna(), P_SIRET]
    report.append(
        f"géocodage (liste du {GEOCODED_DATE:%d/%m/%Y}, BAN) : {located.nunique()} "
        f"structure(s) (SIRET distincts) sur {in_commune.nunique()} placées à leur adresse "
        f"({placed} ligne(s) de la liste)"
    )
    return out, report


def posts_csv(table: pd.DataFrame) -> str:
    """The built table as CSV (UTF-8, comma; codes as text)."""
    return table.to_csv(index=False, lineterminator="\n")


#: The columns the app reads from a built posts table.
POSTS_COLUMNS = (P_SIRET, P_NAME, P_POSTS, P_DATE, P_TYPE, P_INSEE, P_INSEE_LIST, P_PLACE)


def load_posts(path: Path) -> pd.DataFrame | None:
    """The built posts table, or None when it was not built; checked against its build
    (raises integrity.DamagedFileError, naming the file by its role, when it differs)."""
    role = data_files.file_role(path.name)
    raw = integrity.read_built(path, role)
    if raw is None:
        return None
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            dtype={P_SIRET: str, P_INSEE: str, P_INSEE_LIST: str, P_POSTCODE: str},
            keep_default_na=False,
            na_values={P_INVEST: [""]},
        )
        integrity.require_columns(frame, POSTS_COLUMNS, path.name, role)
        integrity.rows_as_built(len(frame), path, role)
        frame[P_DATE] = pd.to_datetime(frame[P_DATE]).dt.date
        frame[P_POSTS] = pd.to_numeric(frame[P_POSTS], errors="raise")
    except (ValueError, TypeError, pd.errors.ParserError) as exc:
        raise integrity.DamagedFileError(role, f"{path} : {exc}") from exc
    for column in GEOCODE_COLUMNS:
        if column not in frame:
            frame[column] = None
    for column in (P_LAT, P_LON, P_SCORE):
        frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
    return frame


# --- waves: committees ------------------------------------------------------------------


def committee_waves(dates: list[dt.date]) -> dict[dt.date, int]:
    """Wave number of each committee date: 1 for the first (24/03/2021), then in order."""
    return {d: i for i, d in enumerate(sorted(set(dates)), start=1)}


def wave_labels(waves: dict[dt.date, int]) -> dict[int, str]:
    """« Comité n° 2 du département — avril 2021 »: the département's own committees in
    order (not the programme's waves, which no list dates); the day is added when a month
    had several committees."""
    per_month: dict[tuple[int, int], int] = {}
    for d in waves:
        per_month[(d.year, d.month)] = per_month.get((d.year, d.month), 0) + 1
    labels = {}
    for d, n in waves.items():
        month = f"{MONTHS[d.month - 1]} {d.year}"
        if per_month[(d.year, d.month)] > 1:
            month = f"{d.day} {month}"
        labels[n] = f"Comité n° {n} du département — {month}"
    return labels


# --- the national reading ---------------------------------------------------------------


@dataclass(frozen=True)
class NationalReading:
    """Every structure of the list as sites (all dates), and what has no place here."""

    sites: gpd.GeoDataFrame
    #: Structures with posts counted in the département but no place in it (no geometry).
    unplaced: pd.DataFrame
    waves: dict[dt.date, int]
    labels: dict[int, str]
    first_date: dt.date
    last_date: dt.date


def _publique(kind: str) -> str:
    return {"publique": "structure publique", "privée": "structure privée"}.get(kind, "non précisé")


def unique_ids(ids: pd.Series) -> pd.Series:
    """Ids made unique in list order: a structure listed more than once (one row per
    committee) keeps its id on its first row, then « -2 », « -3 »… (exports key on ids)."""
    rank = ids.groupby(ids).cumcount()
    return ids.where(rank == 0, ids + "-" + (rank + 1).astype(str))


GEOCODE_SOURCE = (
    f"adresse du siège géocodée : liste du {GEOCODED_DATE:%d/%m/%Y} géocodée avec la Base "
    "Adresse Nationale (anct-carto/conseillers-numeriques)"
)


def geocode_confidence(score: float | None) -> str:
    """How sure the place of a geocoded structure is (its BAN score, 0 to 1)."""
    shown = "—" if score is None or pd.isna(score) else f"{float(score):.2f}".replace(".", ",")
    return f"structure sûre ; adresse du siège géocodée (score BAN {shown} sur 1)"


def national_frame(posts: pd.DataFrame, structures: pd.DataFrame) -> pd.DataFrame:
    """Sites of the national reading, with the columns of structures.csv.

    A structure whose SIRET is in ``structures.csv`` is drawn at its curated sites (one site:
    its own count; several: a group of its posts); any other one at its commune's
    representative point, flagged.
    """
    waves = committee_waves(list(posts[P_DATE]))
    curated = structures.loc[structures[s.SIRET] != ""]
    rows = []
    for _, post in posts.iterrows():
        common = {
            s.WAVE: waves[post[P_DATE]],
            s.SIRET: post[P_SIRET],
            s.OPERATOR_TYPE: _publique(post[P_TYPE]),
            S_DATE: post[P_DATE],
            S_INVEST: post[P_INVEST],
            S_STRUCTURE: post[P_NAME],
            # The recruitment reading's counts (September 2023), per structure.
            **{c: post[c] for c in FOLLOWUP_COLUMNS if c in post},
        }
        sites = curated.loc[curated[s.SIRET] == post[P_SIRET]]
        outside = post[P_PLACE] == PLACE_OUTSIDE
        if len(sites) and not outside:
            pool = sites[s.POOL].iloc[0] or (f"S{post[P_SIRET]}" if len(sites) > 1 else "")
            for _, site in sites.iterrows():
                rows.append(
                    {
                        **{c: site[c] for c in s.COLUMNS},
                        **common,
                        s.ADVISORS: None if pool else post[P_POSTS],
                        s.POOL: pool,
                        s.POOL_ADVISORS: post[P_POSTS] if pool else None,
                        s.SOURCE: f"{LIST_SOURCE} ; lieu : {site[s.SOURCE]}",
                    }
                )
            continue
        name = proper_name(post[P_NAME])
        lat, lon = post.get(P_LAT), post.get(P_LON)
        located = not outside and pd.notna(lat) and pd.notna(lon)
        if outside:
            site = f"{name} (aucun lieu publié dans le département)"
        else:
            site = name if located else f"{name} (lieu non publié : centre de la commune du siège)"
        rows.append(
            {
                s.ID: f"N{post[P_SIRET]}",
                s.LAUREATE: name,
                s.SITE: site,
                s.ADVISORS: post[P_POSTS],
                s.POOL: "",
                s.POOL_ADVISORS: None,
                s.OPERATOR: name,
                # Only what the list says: its France Services flag; else not given.
                s.SERVICE_TYPE: "France Services (liste nationale)"
                if str(post.get(P_FS, "")).lower() == "oui"
                else "Non précisé (liste nationale)",
                s.ITINERANT: None,
                s.INSEE: post[P_INSEE],
                s.ADDRESS: post[P_ADDRESS],
                s.LAT: lat if located else None,
                s.LON: lon if located else None,
                s.PRECISION: s.PRECISION_ADDRESS if located else s.PRECISION_COMMUNE,
                s.SOURCE: f"{LIST_SOURCE} ; {GEOCODE_SOURCE}" if located else LIST_SOURCE,
                s.CONFIDENCE: geocode_confidence(post.get(P_SCORE))
                if located
                else ("structure sûre ; lieu d'activité non publié"),
                S_OUTSIDE: outside,
                **common,
            }
        )
    frame = pd.DataFrame(rows)
    frame[s.ID] = unique_ids(frame[s.ID])
    frame[S_OUTSIDE] = frame.get(S_OUTSIDE, False)
    frame[S_OUTSIDE] = frame[S_OUTSIDE].fillna(False).astype(bool)
    frame[s.ITINERANT] = frame[s.ITINERANT].astype("boolean")
    for column in (s.WAVE, s.ADVISORS, s.POOL_ADVISORS):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in (s.LAT, s.LON, S_INVEST):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def national_reading(
    posts: pd.DataFrame, structures: pd.DataFrame, communes: gpd.GeoDataFrame, metric_crs: str
) -> NationalReading:
    """The national reading for the app (every date; filtered by ``au`` later)."""
    frame = national_frame(posts, structures)
    outside = frame[S_OUTSIDE]
    sites, _ = locate_sites(frame.loc[~outside].reset_index(drop=True), communes, metric_crs)
    waves = committee_waves(list(posts[P_DATE]))
    return NationalReading(
        sites=sites,
        unplaced=frame.loc[outside].reset_index(drop=True),
        waves=waves,
        labels=wave_labels(waves),
        first_date=min(waves),
        last_date=LIST_DATE,
    )


def cumulative_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts validated in the département up to each committee date (for the chart)."""
    by_date = posts.groupby(P_DATE)[P_POSTS].sum().sort_index().cumsum()
    return pd.DataFrame({"date": pd.to_datetime(by_date.index), "postes": by_date.to_numpy()})


# --- reconciliation ---------------------------------------------------------------------

R_STATUS = "statut"
MATCHED = "rapprochée"
ABSENT = "annoncée, absente de la liste"
LATER = "validée par un comité ultérieur"
NO_PLACE = "sans lieu dans le département"


def _reconcile_row(status: str, announced: pd.DataFrame | None, post, names, gaps: str) -> dict:
    """One row of the reconciliation: the announcement's side, the list's side, the gaps."""
    site = announced.iloc[0] if announced is not None else None
    return {
        R_STATUS: status,
        "sites_annonce": ", ".join(announced[s.ID]) if site is not None else "",
        "laureat_annonce": site[s.LAUREATE] if site is not None else "",
        "commune_annonce": names.get(site[s.INSEE], site[s.INSEE]) if site is not None else "",
        "conseillers_annonce": s.count_advisors(announced).total if site is not None else None,
        "siret": post[P_SIRET] if post is not None else site[s.SIRET],
        "structure_liste": post[P_NAME] if post is not None else "",
        "commune_liste": (
            names.get(post[P_INSEE], f"hors département ({post[P_INSEE]})")
            if post is not None
            else ""
        ),
        "postes_liste": int(post[P_POSTS]) if post is not None else None,
        "comite": f"{post[P_DATE]:%d/%m/%Y}" if post is not None else "",
        "ecarts": gaps,
    }


def _gaps(group: pd.DataFrame, post, names) -> str:
    """Differences of commune, of posts and the known ones, between both sides."""
    site = group.iloc[0]
    gaps = []
    if post[P_INSEE] not in set(group[s.INSEE]):
        gaps.append(
            f"commune : {names.get(site[s.INSEE], site[s.INSEE])} ({site[s.INSEE]}) dans "
            f"l'annonce, {names.get(post[P_INSEE], post[P_INSEE])} ({post[P_INSEE]}) "
            "dans la liste (siège)"
        )
    count = s.count_advisors(group).total
    if int(post[P_POSTS]) != count:
        gaps.append(f"postes : {count} annoncés, {int(post[P_POSTS])} validés")
    if post[P_SIRET] in KNOWN_DIFFERENCES:
        gaps.append(KNOWN_DIFFERENCES[post[P_SIRET]])
    return " ; ".join(gaps)


def reconcile(
    structures: pd.DataFrame,
    posts: pd.DataFrame,
    communes: pd.DataFrame,
    june: pd.DataFrame | None = None,
    recruitment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The announcement's story, one row per structure: announced → validated on the first
    committee (the list of 25 June 2021, ``june``) → the list of 5 April 2023 → posts
    attributed and advisors recruited in September 2023 (``recruitment``), with the
    differences; the structures of later committees after them."""
    names = dict(zip(communes["code"], communes["nom"], strict=True))
    by_siret = posts.set_index(P_SIRET, drop=False)
    rows = []
    key = structures[s.POOL].where(structures[s.POOL] != "", structures[s.ID])
    for _, group in structures.groupby(key, sort=False):
        siret = group[s.SIRET].iloc[0]
        if not siret or siret not in by_siret.index:
            was = june is not None and bool(siret) and siret in set(june[P_SIRET])
            note = (
                f"validée le 24/03/2021 (liste du {GEOCODED_DATE:%d/%m/%Y}), absente de la liste "
                f"du {LIST_DATE:%d/%m/%Y}"
                if was
                else "absente de la liste nationale"
            )
            rows.append(_reconcile_row(ABSENT, group, None, names, note))
            continue
        post = by_siret.loc[siret]
        rows.append(_reconcile_row(MATCHED, group, post, names, _gaps(group, post, names)))
    matched = set(structures[s.SIRET]) - {""}
    for _, post in posts.loc[~posts[P_SIRET].isin(matched)].sort_values(P_DATE).iterrows():
        if post[P_PLACE] == PLACE_OUTSIDE:
            gaps = "structure nationale : postes comptés dans le département, aucun lieu publié ici"
            rows.append(_reconcile_row(NO_PLACE, None, post, names, gaps))
        else:
            rows.append(_reconcile_row(LATER, None, post, names, ""))
    table = pd.DataFrame(rows)
    table.insert(
        table.columns.get_loc("structure_liste"),
        "postes_juin_2021",
        _by_siret(table["siret"], june, P_POSTS),
    )
    table["postes_attribues_2023_09"] = _by_siret(table["siret"], recruitment, P_POSTS)
    table["recrutes_2023_09"] = _by_siret(table["siret"], recruitment, "conseillers_recrutes")
    for column in (
        "conseillers_annonce",
        "postes_juin_2021",
        "postes_liste",
        "postes_attribues_2023_09",
        "recrutes_2023_09",
    ):
        table[column] = table[column].astype("Int64")
    return table


def _by_siret(sirets: pd.Series, table: pd.DataFrame | None, column: str) -> pd.Series:
    """A column of ``table`` summed per SIRET, aligned on ``sirets`` (missing: NA)."""
    if table is None or table.empty or column not in table:
        return pd.Series(pd.NA, index=sirets.index, dtype="Int64")
    sums = table.groupby(P_SIRET)[column].sum()
    return sirets.map(sums).astype("Int64")


RECONCILE_COLUMNS = {
    R_STATUS: "Statut",
    "sites_annonce": "Sites de l'annonce",
    "laureat_annonce": "Lauréat (annonce)",
    "commune_annonce": "Commune (annonce)",
    "conseillers_annonce": "Conseillers annoncés",
    "siret": "SIRET",
    "structure_liste": "Structure (liste nationale)",
    "commune_liste": "Commune (liste)",
    "postes_juin_2021": f"Postes validés (liste du {GEOCODED_DATE:%d/%m/%Y})",
    "postes_liste": f"Postes validés (liste du {LIST_DATE:%d/%m/%Y})",
    "comite": "Comité",
    "postes_attribues_2023_09": "Postes attribués (13/09/2023)",
    "recrutes_2023_09": "Conseillers recrutés (13/09/2023)",
    "ecarts": "Écarts",
}
