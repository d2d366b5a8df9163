"""The programme's follow-up after the posts were validated: posts attributed and advisors
recruited per structure (September 2023), and the advisors' declared activity per
département (2021 – early 2024). No Streamlit here.

Words matter: a post *validated* by a committee is not a post *attributed*, and neither is
an advisor *recruited*; « recrutés » counts recruitments (a replacement after a departure
counts again), not advisors in post today; activity figures are what advisors *declared*
in their reports (« usagers accompagnés (déclarés) »), never inhabitants.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

RECRUITMENT_FILE = "cnfs-recrutement-2023-09-13.json"
RECRUITMENT_DATE = dt.date(2023, 9, 13)
RECRUITMENT_LABEL = "ANCT, suivi du recrutement des conseillers numériques"
ACTIVITY_FILE = "cnfs-activite-departements-2024-02-22.json"
ACTIVITY_DATE = dt.date(2024, 2, 22)
ACTIVITY_PERIOD = "2021 – début 2024"

#: Columns of a recruitment table (one row per entry of the file).
R_NAME = "structure"
R_SIRET = "siret"
R_ATTRIBUTED = "postes_attribues"
R_RECRUITED = "conseillers_recrutes"
R_TRAINED = "conseillers_formes"
R_TRAINING = "conseillers_en_formation"
R_INSEE = "code_insee"
R_DEPARTMENT = "departement"
_COUNTS = {
    "Nb de conseillers attribués": R_ATTRIBUTED,
    "Nb de conseillers recrutés": R_RECRUITED,
    "Nb de conseillers formés": R_TRAINED,
    "Nb de conseillers en formation": R_TRAINING,
}


def json_payload(raw: bytes | str, what: str, kind: type, expected: str):
    """The JSON document of a national file, of the ``kind`` expected (list or dict);
    ValueError in French naming the file (``what``) otherwise."""
    try:
        data = json.loads(raw)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what} illisible (JSON attendu) : {exc}") from exc
    if not isinstance(data, kind):
        raise ValueError(f"{what} : {expected} attendu(e)")
    return data


def department_of_insee(code: str) -> str:
    """The département of a commune code: « 02408 » → 02, « 97411 » → 974, « 2A004 » → 2A."""
    return code[:3] if code.startswith("97") else code[:2]


def _insee(value: object) -> str:
    """A commune code as a 5-character string (the file writes 3218 for 03218)."""
    text = str(value if value is not None else "").strip().upper()
    if re.fullmatch(r"\d{1,5}", text):
        return text.zfill(5)
    return text


def _siret(value: object) -> str:
    text = re.sub(r"\D", "", str(value if value is not None else ""))
    return text.zfill(14) if text else ""


def read_recruitment(raw: bytes | str) -> pd.DataFrame:
    """The recruitment file as a table, one row per entry, the département taken from the
    entry's own INSEE code (raises ValueError in French for a file of another shape)."""
    data = json_payload(raw, "fichier de recrutement", dict, "un objet JSON par structure")
    rows = []
    for name, entry in data.items():
        if not isinstance(entry, dict):
            continue
        missing = [c for c in ("Siret", "Code commune Insee", *_COUNTS) if c not in entry]
        if missing:
            raise ValueError("fichier de recrutement : champ(s) absent(s) : " + ", ".join(missing))
        code = _insee(entry.get("Code commune Insee"))
        row = {
            R_NAME: str(name),
            R_SIRET: _siret(entry.get("Siret")),
            R_INSEE: code,
            R_DEPARTMENT: department_of_insee(code),
        }
        for source, column in _COUNTS.items():
            value = pd.to_numeric(entry.get(source), errors="coerce")
            row[column] = 0 if pd.isna(value) else int(value)
        rows.append(row)
    return pd.DataFrame(rows, columns=[R_NAME, R_SIRET, R_INSEE, R_DEPARTMENT, *_COUNTS.values()])


def department_recruitment(table: pd.DataFrame, department: str) -> pd.DataFrame:
    """The entries located in ``department`` by their INSEE code."""
    return table.loc[table[R_DEPARTMENT] == department].reset_index(drop=True)


def recruitment_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Posts attributed, advisors recruited, trained and in training per département."""
    counts = list(_COUNTS.values())
    return table.groupby(R_DEPARTMENT)[counts].sum().astype(int)


#: What the activity file counts per département, and how the page names it.
ACTIVITY_COLUMNS = {
    "usagers": "usagers accompagnés (déclarés)",
    "accompagnements": "accompagnements (déclarés)",
}
AGE_BANDS = {
    "moins12ans": "moins de 12 ans",
    "de12a18ans": "12 à 18 ans",
    "de18a35ans": "18 à 35 ans",
    "de35a60ans": "35 à 60 ans",
    "plus60ans": "plus de 60 ans",
}
THEMES = {
    "equipementInformatique": "prendre en main un équipement informatique",
    "demarcheEnLigne": "démarches en ligne",
    "courriel": "courriel",
    "internet": "naviguer sur internet",
    "vocabulaire": "vocabulaire numérique",
    "contenusNumeriques": "gérer ses contenus numériques",
    "smartphone": "smartphone",
    "traitementTexte": "traitement de texte",
    "echanger": "échanger avec ses proches",
    "trouverEmploi": "trouver un emploi",
    "securite": "sécurité",
    "fraudeEtHarcelement": "fraude et harcèlement",
    "sante": "santé",
    "diagnostic": "diagnostic",
    "tpePme": "accompagner une TPE ou une PME",
    "budget": "budget",
    "accompagnerEnfant": "accompagner son enfant",
    "scolaire": "scolaire",
    "autre": "autre",
}
SUPPORT = {
    "individuel": "individuel",
    "atelier": "en atelier",
    "redirection": "redirection vers un autre lieu",
}


def read_activity(raw: bytes | str) -> pd.DataFrame:
    """One row per département: people helped and accompaniments declared, by age band,
    kind of support and theme (columns named as in the file, prefixed by their group)."""
    data = json_payload(raw, "fichier d'activité", list, "une liste de départements")
    rows = []
    for entry in data:
        code = str(entry.get("departement", "")).strip().upper()
        if not code:
            continue
        row = {"code": code.zfill(2) if code.isdigit() and len(code) < 2 else code}
        for column in ACTIVITY_COLUMNS:
            row[column] = int(entry.get(column) or 0)
        for column in AGE_BANDS:
            row[f"age_{column}"] = int(entry.get(column) or 0)
        for group, names in (("theme", THEMES), ("accompagnement", SUPPORT)):
            values = entry.get("themes" if group == "theme" else "accompagnement") or {}
            for key in names:
                row[f"{group}_{key}"] = int(values.get(key) or 0)
        rows.append(row)
    return pd.DataFrame(rows)


def top_themes(row: pd.Series, n: int = 3) -> list[tuple[str, int]]:
    """The ``n`` themes most often declared in a département's activity row."""
    counts = {THEMES[k]: int(row.get(f"theme_{k}", 0) or 0) for k in THEMES}
    return sorted(counts.items(), key=lambda item: -item[1])[:n]


#: Columns the recruitment reading adds to a posts table.
FOLLOWUP_COLUMNS = (R_RECRUITED, R_TRAINED, R_TRAINING)


def recruitment_posts(
    entries: pd.DataFrame, posts: pd.DataFrame, mapping: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """The September 2023 situation as a posts table (the columns of the national list's
    built table, posts = posts attributed, plus advisors recruited, trained and in
    training), joined on SIRET with the list (``posts``) for its committee date, type,
    address and place; and one French line per entry or structure that does not match.

    ``mapping``: every code of the département's communes (current or former) → current.
    An entry whose SIRET is not in the list is kept at its own commune (validated later,
    dated on the file's date); a structure of the list without an entry (names shared by
    several structures collapsed in the file) is named: its recruitment is unknown, never 0.
    """
    from aisnemap.domain import programme as p

    lines: list[str] = []
    listed = posts.drop_duplicates(p.P_SIRET).set_index(p.P_SIRET)
    grouped = (
        entries.groupby(R_SIRET, sort=False)
        .agg(
            {
                R_NAME: "first",
                R_INSEE: "first",
                R_ATTRIBUTED: "sum",
                **dict.fromkeys(FOLLOWUP_COLUMNS, "sum"),
            }
        )
        .reset_index()
    )
    rows = []
    for entry in grouped.itertuples(index=False):
        entry = entry._asdict()
        siret = entry[R_SIRET]
        base = {c: None for c in posts.columns}
        if siret in listed.index:
            base.update(listed.loc[siret].to_dict())
            base[p.P_SIRET] = siret
        else:
            code = mapping.get(entry[R_INSEE])
            lines.append(
                f"recrutement : {entry[R_NAME]} ({siret}) absent de la liste du "
                f"{p.LIST_DATE:%d/%m/%Y} (structure validée plus tard ?) : placée à sa commune "
                f"{entry[R_INSEE]}"
            )
            base.update(
                {
                    p.P_SIRET: siret,
                    p.P_NAME: entry[R_NAME],
                    p.P_DATE: RECRUITMENT_DATE,
                    p.P_TYPE: "",
                    p.P_INSEE_LIST: entry[R_INSEE],
                    p.P_INSEE: code or entry[R_INSEE],
                    p.P_ADDRESS: "",
                    p.P_PLACE: p.PLACE_COMMUNE if code else p.PLACE_OUTSIDE,
                }
            )
        base[p.P_POSTS] = int(entry[R_ATTRIBUTED])
        for column in FOLLOWUP_COLUMNS:
            base[column] = int(entry[column])
        rows.append(base)
    for siret, post in listed.iterrows():
        if siret not in set(grouped[R_SIRET]):
            lines.append(
                f"recrutement : {post[p.P_NAME]} ({siret}), {int(post[p.P_POSTS])} poste(s) "
                "validé(s), sans entrée dans le fichier de recrutement (recrutement inconnu, "
                "jamais compté comme nul)"
            )
    columns = [*posts.columns, *FOLLOWUP_COLUMNS]
    frame = pd.DataFrame(rows, columns=columns)
    lines.append(
        f"recrutement ({RECRUITMENT_DATE:%d/%m/%Y}) : {grouped[R_SIRET].nunique()} structures "
        f"(SIRET distincts), {int(frame[p.P_POSTS].sum())} postes attribués, "
        f"{int(frame[R_RECRUITED].sum())} conseillers recrutés, "
        f"{int(frame[R_TRAINED].sum())} formés, {int(frame[R_TRAINING].sum())} en formation"
    )
    return frame, lines


def load_recruitment(path) -> pd.DataFrame | None:
    """The built recruitment table of a département, or None when not built."""
    from pathlib import Path

    from aisnemap import integrity
    from aisnemap.domain import programme as p
    from aisnemap.french import data_files

    path = Path(path)
    frame = p.load_posts(path)
    if frame is None:
        return None
    integrity.require_columns(frame, FOLLOWUP_COLUMNS, path.name, data_files.file_role(path.name))
    for column in FOLLOWUP_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0).astype(int)
    return frame
