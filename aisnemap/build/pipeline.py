"""The data build: IGN contours + Etalab reference -> git-ignored layers under ``data/``.

Usage: ``python -m aisnemap.build [--sources DIR_OR_URL] [--year 2021] [--out DIR]``.

Communes merged since the contours' edition are dissolved into the commune they joined
(``chefLieu`` of the delegated commune, or ``anciensCodes`` of the new one), so the
department has exactly the communes of the chosen COG year. Every change is reported.
All outputs are validated in memory first, then written to temporary files and renamed:
a failed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from aisnemap import config, integrity
from aisnemap.build.sources import (
    SourceError,
    SourceLayout,
    join,
    read_feature_collection,
    read_json,
)
from aisnemap.domain import followup, fragility, programme
from aisnemap.domain.departements import (
    BuiltFiles,
    Department,
    department_dir,
    files_for,
    from_reference,
    metric_crs,
    name_slug,
    normalise_code,
    unknown_code_message,
)
from aisnemap.domain.layers import LayerSet
from aisnemap.french.formatting import fmt_date, fmt_decimal
from aisnemap.storage import write_atomic

#: Version of the outputs' content: bump it when the build changes what it writes, so that
#: ``--if-missing`` (used by ``make run`` / ``make test``) rebuilds stale outputs.
BUILD_FORMAT = 2
#: Modules whose code decides what the build writes: a change in any of them rebuilds.
_BUILD_CODE = (
    "build/pipeline.py",
    "build/sources.py",
    "build/france.py",
    "config.py",
    "storage.py",
    "domain/programme.py",
    "domain/fragility.py",
    "domain/departements.py",
    "domain/followup.py",
)


def code_fingerprint() -> str:
    """SHA-256 of the build's own code, recorded in the manifest."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for name in _BUILD_CODE:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


#: Tolerance of the display simplification, in metres (Lambert-93).
DISPLAY_TOLERANCE_M = 200.0
#: Decimal places kept in the GeoJSON outputs (1e-5 degree is about 1 m).
EXACT_DECIMALS = 6
DISPLAY_DECIMALS = 5


class BuildError(RuntimeError):
    """The build cannot produce consistent outputs (message in French)."""


@dataclass
class BuildReport:
    """What the build did, printed and written beside the outputs."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        """Record one line of the report."""
        self.lines.append(line)

    def text(self) -> str:
        """The report as text."""
        return "\n".join(self.lines) + "\n"


#: The built layers, all in EPSG:4326 (exact, or simplified for display).
Layers = LayerSet[gpd.GeoDataFrame]


def code_mapping(reference_communes: list[dict[str, Any]], department: str) -> dict[str, str]:
    """Map every known code of a department (current or former) to its current commune."""
    in_dept = [c for c in reference_communes if c.get("departement") == department]
    current = {c["code"] for c in in_dept if c.get("type") == "commune-actuelle"}
    mapping = {code: code for code in current}
    for commune in in_dept:
        if commune.get("type") == "commune-actuelle":
            for old in commune.get("anciensCodes") or []:
                mapping.setdefault(old, commune["code"])
        else:
            # A delegated or associated commune names its commune in "chefLieu"; a
            # municipal arrondissement (Paris, Lyon, Marseille) in "commune".
            parent = commune.get("chefLieu") or commune.get("commune")
            if parent in current:
                mapping.setdefault(commune["code"], parent)
    return mapping


#: Communes re-established since the 2018 contours, and the 2018 commune whose contour
#: covered them (COG: Sannerville left the commune nouvelle of Saline, now Troarn, on
#: 1 January 2020). With no contour of their own in the sources, both communes are drawn
#: with that shared contour, and the build report says so.
SPLIT_SINCE_2018 = {"14666": "14712"}


def homonym_index(
    reference_communes: list[dict[str, Any]], department: str
) -> dict[tuple[str, str], str]:
    """(folded name, postcode) → code of the département's current communes, for names
    that are unique there (to repair a list row coded with a homonym elsewhere)."""
    from aisnemap.domain.schema import fold

    index: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], int] = {}
    for commune in reference_communes:
        if commune.get("departement") != department or commune.get("type") != "commune-actuelle":
            continue
        for postcode in commune.get("codesPostaux") or []:
            key = (fold(commune["nom"]), str(postcode))
            seen[key] = seen.get(key, 0) + 1
            index[key] = commune["code"]
    return {k: v for k, v in index.items() if seen[k] == 1}


def merge_communes(
    contours: gpd.GeoDataFrame,
    mapping: dict[str, str],
    current_codes: set[str],
    report: BuildReport | None = None,
) -> gpd.GeoDataFrame:
    """Dissolve contours whose code no longer exists into the commune they joined.

    Raises :class:`BuildError` for a contour code the reference does not know, and for a
    current commune that no contour covers (except the re-established communes of
    ``SPLIT_SINCE_2018``, drawn with the contour they were part of).
    """
    if contours.crs is None:
        raise BuildError("Les contours n'ont pas de système de coordonnées (CRS)")
    if "code" not in contours:
        raise BuildError("Les contours n'ont pas de propriété « code » (code INSEE)")
    frame = contours[["code", "geometry"]].copy()
    frame["code"] = frame["code"].astype(str)
    unknown = sorted(set(frame["code"]) - set(mapping))
    if unknown:
        raise BuildError(
            "Codes INSEE des contours inconnus du référentiel : "
            + ", ".join(unknown)
            + " — ni commune actuelle, ni commune déléguée/associée rattachée"
        )
    frame["code_cog"] = frame["code"].map(mapping)
    changed = frame.loc[frame["code"] != frame["code_cog"], ["code", "code_cog"]]
    for old, new in sorted(map(tuple, changed.to_numpy().tolist())):
        if report is not None:
            report.add(f"fusion : contour {old} dissous dans la commune {new}")
    missing = sorted(current_codes - set(frame["code_cog"]))
    shared = [c for c in missing if SPLIT_SINCE_2018.get(c) in set(frame["code_cog"])]
    missing = [c for c in missing if c not in shared]
    if missing:
        raise BuildError("Communes du référentiel sans contour : " + ", ".join(missing))
    for code in shared:
        parent = SPLIT_SINCE_2018[code]
        copy = frame.loc[frame["code_cog"] == parent].assign(code=code, code_cog=code)
        frame = pd.concat([frame, copy], ignore_index=True)
        if report is not None:
            report.add(
                f"commune {code} sans contour 2018 (rétablie depuis) : dessinée avec le contour "
                f"de {parent}, qui la couvrait (contour partagé ; population et codes exacts)"
            )
    merged = frame.dissolve(by="code_cog", as_index=False)[["code_cog", "geometry"]]
    merged = merged.rename(columns={"code_cog": "code"})
    merged["geometry"] = shapely.make_valid(merged.geometry.values)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=contours.crs)


#: The EPCI code given to a commune that belongs to none (an island by law).
ISOLATED_PREFIX = "sans-epci-"


def attach_reference(
    communes: gpd.GeoDataFrame,
    reference_communes: list[dict[str, Any]],
    epcis: list[dict[str, Any]],
    arrondissements: list[dict[str, Any]],
) -> gpd.GeoDataFrame:
    """Add name, population, EPCI and arrondissement (codes as strings) to each commune."""
    by_code = {c["code"]: c for c in reference_communes if c.get("type") == "commune-actuelle"}
    epci_of: dict[str, tuple[str, str]] = {}
    here = set(communes["code"])
    for epci in epcis:
        members = [m["code"] if isinstance(m, dict) else str(m) for m in epci.get("membres") or []]
        name = str(epci["nom"])
        if any(code in here for code in members) and any(code not in here for code in members):
            # An EPCI across départements: only its part here is drawn and counted.
            name = f"{name} (partie dans le département)"
        for code in members:
            epci_of[code] = (str(epci["code"]), name)
    arr_names = {a["code"]: a["nom"] for a in arrondissements}
    rows = []
    problems = []
    for code in communes["code"]:
        ref = by_code.get(code)
        if ref is None:
            problems.append(f"{code} absent du référentiel des communes")
            continue
        epci = epci_of.get(code)
        if epci is None:
            # A few islands are by law in no EPCI (Île-de-Bréhat, Île-de-Sein, Ouessant,
            # L'Île-d'Yeu): each is its own territory at the EPCI level.
            epci = (f"{ISOLATED_PREFIX}{code}", f"{ref['nom']} (commune isolée, sans EPCI)")
        arr = ref.get("arrondissement")
        rows.append(
            {
                "code": code,
                "nom": ref["nom"],
                "population": int(ref.get("population") or 0),
                "epci_siren": epci[0],
                "epci_nom": epci[1],
                "arrondissement_code": str(arr),
                "arrondissement_nom": arr_names.get(arr, ""),
            }
        )
    if problems:
        raise BuildError("Référentiel incomplet : " + "; ".join(problems))
    attrs = pd.DataFrame(rows)
    out = communes[["code", "geometry"]].merge(attrs, on="code", how="inner", validate="1:1")
    out = out[[*attrs.columns, "geometry"]].sort_values("code").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=communes.crs)


def seats(
    codes: pd.Series, departments: list[dict], arrondissements: list[dict], department: str
) -> pd.Series:
    """ "préfecture", "sous-préfecture" or "" for each commune code (Etalab ``chefLieu``)."""
    prefecture = {d.get("chefLieu") for d in departments if d.get("code") == department}
    sub = {a.get("chefLieu") for a in arrondissements} - prefecture
    return codes.map(
        lambda c: "préfecture" if c in prefecture else ("sous-préfecture" if c in sub else "")
    )


def dissolve_layers(communes: gpd.GeoDataFrame, department_name: str) -> Layers:
    """EPCI (department part), arrondissements and department outline from the communes."""
    epci = communes.dissolve(
        by=["epci_siren", "epci_nom"],
        aggfunc={"population": "sum", "code": "count"},
        as_index=False,
    ).rename(columns={"code": "communes"})
    arr = communes.dissolve(
        by=["arrondissement_code", "arrondissement_nom"],
        aggfunc={"population": "sum", "code": "count"},
        as_index=False,
    ).rename(columns={"code": "communes"})
    dept = gpd.GeoDataFrame(
        {
            "nom": [department_name],
            "population": [int(communes["population"].sum())],
            "communes": [len(communes)],
        },
        geometry=[shapely.union_all(communes.geometry.values)],
        crs=communes.crs,
    )
    return LayerSet(communes, epci, arr, dept)


def simplify_coverage(
    frame: gpd.GeoDataFrame, tolerance_m: float, metric_crs: str
) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage (shared edges stay shared, no gaps), in metres
    (Lambert-93, or the overseas département's own projection)."""
    if frame.crs is None:
        raise ValueError("simplify_coverage needs a GeoDataFrame with a CRS")
    metric = frame.to_crs(metric_crs)
    simplified = shapely.coverage_simplify(metric.geometry.values, tolerance_m)
    out = metric.copy()
    out["geometry"] = shapely.make_valid(simplified)
    return out.to_crs(frame.crs)


def contours_location(base: str | Path, department: Department) -> str:
    """The IGN contour file of a département, relative to the sources' base: the folder
    ``departements/CODE-name/`` named from the COG (« Côtes-d'Armor » → 22-cotes-d-armor),
    the same for a local folder and a base URL."""
    stem = f"{department.code}-{name_slug(department.name)}"
    return f"{SourceLayout().contours_root}/{stem}/communes-{stem}.geojson"


def departments_of(base: str | Path, year: int) -> dict[str, Department]:
    """Every département of the COG reference (101 in 2021), by code."""
    data = read_json(join(base, SourceLayout().reference_file(year, "departements.json")))
    return from_reference(data)


def read_sources(
    base: str | Path, year: int, layout: SourceLayout
) -> tuple[gpd.GeoDataFrame, list[dict], list[dict], list[dict], list[dict]]:
    """Contours (GeoDataFrame) and the four reference lists, from a folder or a base URL."""
    contours_location = join(base, layout.contours)
    collection = read_feature_collection(contours_location)
    try:
        contours = gpd.GeoDataFrame.from_features(collection["features"], crs=config.CRS_DRAW)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SourceError(f"Entités GeoJSON illisibles dans {contours_location} : {exc}") from exc
    refs = []
    for name in ("communes.json", "epci.json", "arrondissements.json", "departements.json"):
        data = read_json(join(base, layout.reference_file(year, name)))
        if not isinstance(data, list):
            raise SourceError(f"Liste JSON attendue dans {layout.reference_file(year, name)}")
        refs.append(data)
    communes_ref, epci_ref, arr_ref, dept_ref = refs
    return contours, communes_ref, epci_ref, arr_ref, dept_ref


def build_layers(
    base: str | Path,
    year: int,
    named: Department,
    report: BuildReport | None = None,
) -> tuple[Layers, Layers]:
    """Exact and display layers for one department and COG year (nothing written)."""
    report = report if report is not None else BuildReport()
    department = named.code
    layout = SourceLayout(contours=contours_location(base, named))
    contours, communes_ref, epci_ref, arr_ref, dept_ref = read_sources(base, year, layout)
    contours = contours[contours["code"].astype(str).str.startswith(department)]
    report.add(f"contours lus : {len(contours)} communes (IGN ADMIN EXPRESS 2018)")
    mapping = code_mapping(communes_ref, department)
    current = {
        c["code"]
        for c in communes_ref
        if c.get("departement") == department and c.get("type") == "commune-actuelle"
    }
    report.add(f"référentiel COG {year} : {len(current)} communes actuelles")
    merged = merge_communes(contours, mapping, current, report)
    dept_arr = [a for a in arr_ref if a.get("departement") == department]
    communes = attach_reference(merged, communes_ref, epci_ref, dept_arr)
    communes["chef_lieu"] = seats(communes["code"], dept_ref, dept_arr, department)
    layers = dissolve_layers(communes, named.name)
    report.add(
        f"sorties : {len(layers.communes)} communes, {len(layers.epci)} EPCI, "
        f"{len(layers.arrondissements)} arrondissements, population "
        + f"{int(layers.communes['population'].sum()):,}".replace(",", " ")
    )
    metric = metric_crs(department)
    display = layers.map(lambda frame: simplify_coverage(frame, DISPLAY_TOLERANCE_M, metric))
    return layers, display


def _geojson_text(frame: gpd.GeoDataFrame, decimals: int) -> str:
    # to_json with a fixed precision keeps the files small and diff-stable.
    data = json.loads(frame.to_json(drop_id=True, to_wgs84=True))
    rounded = round_coordinates(frame.to_crs(config.CRS_DRAW).geometry.values, decimals)
    for feature, geom in zip(data["features"], rounded, strict=True):
        feature["geometry"] = json.loads(shapely.to_geojson(geom))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def round_coordinates(geometries: Any, decimals: int) -> Any:
    """Geometries with coordinates rounded to ``decimals`` places."""
    return shapely.transform(geometries, lambda coords: np.round(coords, decimals))


def _required(programme_dir: Path | None, name: str) -> Path:
    """The path of a national file the build needs; a missing one stops the build (no
    département is marked built without its posts, follow-up, IFN or France Services)."""
    path = (programme_dir or config.PROGRAMME_DIR) / name
    if not path.is_file():
        raise BuildError(
            f"fichier source manquant : {name} (attendu dans {path.parent}) ; "
            "rien n'a été écrit, les fichiers précédents sont conservés"
        )
    return path


def _national_file(programme_dir: Path | None, name: str, reader):
    """A national file read by ``reader``; a missing or malformed file stops the build
    with its French message."""
    path = _required(programme_dir, name)
    try:
        return reader(path.read_bytes())
    except ValueError as exc:
        raise BuildError(str(exc)) from exc


def build_posts(
    base: str | Path,
    year: int,
    department: str,
    programme_dir: Path | None,
    report: BuildReport,
    communes: gpd.GeoDataFrame | None = None,
) -> programme.PostsBuild:
    """The département's posts of the national list (a missing list stops the build),
    placed at their geocoded address where the June 2021 list has a sure one inside their
    commune (``communes``: the exact layer)."""
    rows = _national_file(programme_dir, programme.LIST_FILE, programme.read_national_list)
    communes_ref = read_json(join(base, SourceLayout().reference_file(year, "communes.json")))
    departments = {c.get("departement") for c in communes_ref} - {None}
    posts = programme.department_posts(
        rows,
        department,
        code_mapping(communes_ref, department),
        homonym_index(communes_ref, department),
    )
    for line in posts.repairs + posts.problems + programme.outside_departments(rows, departments):
        report.add(line)
    table = posts.table
    report.add(
        f"liste nationale : {posts.rows_read} lignes lues, {len(table)} structures du "
        f"département gardées ({int(table[programme.P_POSTS].sum())} postes), "
        f"{len(posts.problems)} ligne(s) ignorée(s), "
        f"{int((table[programme.P_PLACE] == programme.PLACE_OUTSIDE).sum())} sans lieu dans "
        "le département"
    )
    recoded = table.loc[table[programme.P_INSEE] != table[programme.P_INSEE_LIST]]
    for _, row in recoded.iterrows():
        report.add(
            f"liste nationale : code {row[programme.P_INSEE_LIST]} → {row[programme.P_INSEE]} "
            f"(COG {year}) pour {row[programme.P_NAME]}"
        )
    if communes is not None:
        geocoded_path = _required(programme_dir, programme.GEOCODED_FILE)
        try:
            geocoded = programme.read_geocoded(geocoded_path.read_bytes())
        except ValueError as exc:
            raise BuildError(str(exc)) from exc
        placed, lines = programme.geocode_posts(
            posts.table, geocoded, communes, metric_crs(department)
        )
        posts = replace(posts, table=placed)
        for line in lines:
            report.add(line)
    return posts


def build_recruitment(
    base: str | Path,
    year: int,
    department: str,
    programme_dir: Path | None,
    posts: programme.PostsBuild,
    report: BuildReport,
) -> pd.DataFrame:
    """The September 2023 recruitment of the département's structures, joined on SIRET
    with the list (a missing file stops the build)."""
    entries = _national_file(programme_dir, followup.RECRUITMENT_FILE, followup.read_recruitment)
    communes_ref = read_json(join(base, SourceLayout().reference_file(year, "communes.json")))
    mapping = code_mapping(communes_ref, department)
    table, lines = followup.recruitment_posts(
        followup.department_recruitment(entries, department), posts.table, mapping
    )
    for line in lines:
        report.add(line)
    return table


def build_fragility(
    communes: gpd.GeoDataFrame,
    department: str,
    programme_dir: Path | None,
    report: BuildReport,
    names: BuiltFiles | None = None,
    districts: dict[str, list[tuple[str, int]]] | None = None,
    mapping: dict[str, str] | None = None,
) -> dict[str, str]:
    """The IFN scores and the France Services of the département, as CSV texts by output
    file name (a missing national file stops the build); ``districts``: the
    municipal arrondissements of Paris, Lyon and Marseille (see fragility.read_ifn)."""
    folder = programme_dir or config.PROGRAMME_DIR
    names = names or files_for(department)
    out: dict[str, str] = {}
    ifn_path = _required(folder, fragility.IFN_COMMUNES_FILE)
    try:
        ifn = fragility.read_ifn(ifn_path.read_bytes(), communes["code"], districts)
    except ValueError as exc:
        raise BuildError(str(exc)) from exc
    for line in ifn.report:
        report.add(line)
    known = int(ifn.scores["total"].notna().sum())
    report.add(f"IFN : {known} communes sur {len(communes)} avec un score")
    out[names.ifn] = ifn.scores.to_csv(index=False)
    editions = (
        (fragility.FRANCE_SERVICES_FILE, fragility.FRANCE_SERVICES_DATE, names.france_services),
        (
            fragility.FRANCE_SERVICES_2022_FILE,
            fragility.FRANCE_SERVICES_2022_DATE,
            names.france_services_2022,
        ),
    )
    for source, day, name in editions:
        fs_path = _required(folder, source)
        try:
            fs = fragility.read_france_services(fs_path.read_bytes(), department, communes, mapping)
        except ValueError as exc:
            raise BuildError(str(exc)) from exc
        for line in fs.report:
            report.add(line)
        table = fs.table
        antennas = int(table["type"].str.casefold().eq("antenne").sum())
        report.add(
            f"France Services ({fmt_date(day)}) : {len(table)} lieux, dont "
            f"{int(table['itinerant'].sum())} itinérants"
            + (f" et {antennas} antennes" if antennas else "")
        )
        out[name] = table.to_csv(index=False)
    return out


def run_build(
    base: str | Path | None = None,
    year: int = config.COG_YEAR,
    out_dir: Path | None = None,
    programme_dir: Path | None = None,
    department: str = config.DEFAULT_DEPARTMENT,
) -> BuildReport:
    """Build and write every output of a département; raises SourceError/BuildError before
    writing anything. ``out_dir`` defaults to the département's folder."""
    base = base if base is not None else config.SOURCES_DIR
    out_dir = out_dir or department_dir(department)
    names = files_for(department)
    report = BuildReport()
    report.add(f"construction des données — département {department}, COG {year}, sources : {base}")
    started = time.perf_counter()
    named = departments_of(base, year).get(department) or Department(department, department)
    exact, display = build_layers(base, year, named, report)
    files: dict[Path, str | bytes] = {}
    posts = build_posts(base, year, department, programme_dir, report, exact.communes)
    files[out_dir / names.posts] = programme.posts_csv(posts.table)
    recruitment = build_recruitment(base, year, department, programme_dir, posts, report)
    files[out_dir / names.recruitment] = programme.posts_csv(recruitment)
    june = _national_file(
        programme_dir, programme.GEOCODED_FILE, lambda raw: programme.june_posts(raw, department)
    )
    files[out_dir / names.june] = june.to_csv(index=False, lineterminator="\n")
    report.add(
        f"liste du {programme.GEOCODED_DATE:%d/%m/%Y} : {june[programme.P_SIRET].nunique()} "
        f"structures (SIRET distincts), {int(june[programme.P_POSTS].sum())} postes"
    )
    reference = read_json(join(base, SourceLayout().reference_file(year, "communes.json")))
    districts = fragility.districts_of(reference)
    mapping = code_mapping(reference, department)
    for name, text in build_fragility(
        exact.communes, department, programme_dir, report, names, districts, mapping
    ).items():
        files[out_dir / name] = text
    for name, frame in zip(names.exact, exact, strict=True):
        files[out_dir / name] = _geojson_text(frame, EXACT_DECIMALS)
    for name, frame in zip(names.display, display, strict=True):
        files[out_dir / name] = _geojson_text(frame, DISPLAY_DECIMALS)
    manifest = {
        "format": BUILD_FORMAT,
        "code": code_fingerprint(),
        "departement": department,
        "nom": named.name,
        "liaison": named.liaison,
        "cog": year,
        "sources": str(base),
        "communes": len(exact.communes),
        "epci": len(exact.epci),
        "arrondissements": len(exact.arrondissements),
        "population": int(exact.communes["population"].sum()),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    report.add(f"durée : {fmt_decimal(time.perf_counter() - started)} s")
    files[out_dir / config.REPORT_FILE] = report.text()
    # Size, SHA-256 and rows of every file: what the app checks each file against.
    manifest[integrity.FILES_KEY] = integrity.records(files)
    # The manifest goes last in the dict: it marks a complete build.
    files[out_dir / config.MANIFEST_FILE] = json.dumps(manifest, indent=2, ensure_ascii=False)
    write_atomic(files)
    return report


def is_built(
    out_dir: Path | None = None,
    year: int = config.COG_YEAR,
    department: str = config.DEFAULT_DEPARTMENT,
) -> bool:
    """True when every output exists, built by this code for the same COG year."""
    out_dir = out_dir or department_dir(department)
    manifest = out_dir / config.MANIFEST_FILE
    layers = files_for(department).layers
    if not manifest.is_file() or not all((out_dir / n).is_file() for n in layers):
        return False
    try:
        built = json.loads(manifest.read_text(encoding="utf-8"))
        return (
            built.get("cog") == year
            and built.get("format") == BUILD_FORMAT
            and built.get("code") == code_fingerprint()
        )
    except (OSError, json.JSONDecodeError):
        return False


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description="Construit les couches d'un département (l'Aisne par défaut), COG."
    )
    parser.add_argument(
        "--departement",
        default=config.DEFAULT_DEPARTMENT,
        help="code du département : 01 à 95, 2A, 2B, 971 à 976 (défaut : 02, l'Aisne)",
    )
    parser.add_argument(
        "--sources",
        default=os.environ.get("AISNEMAP_SOURCES") or str(config.SOURCES_DIR),
        help="dossier ou URL de base des données officielles (défaut : ../shared/data)",
    )
    parser.add_argument("--year", type=int, default=config.COG_YEAR, help="année du COG")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="dossier de sortie (défaut : data/ pour l'Aisne, data/departements/CODE sinon)",
    )
    parser.add_argument(
        "--if-missing", action="store_true", help="ne rien faire si les sorties existent"
    )
    args = parser.parse_args(argv)
    try:
        known = departments_of(args.sources, args.year)
    except SourceError as exc:
        print(f"ÉCHEC de la construction des données : {exc}", file=sys.stderr)
        return 1
    department = normalise_code(args.departement)
    if department not in known:
        print(unknown_code_message(args.departement, known), file=sys.stderr)
        return 2
    out = args.out or department_dir(department)
    if args.if_missing and is_built(out, args.year, department):
        print(f"données déjà construites dans {out} (COG {args.year})")
        return 0
    try:
        report = run_build(args.sources, args.year, out, department=department)
    except (SourceError, BuildError) as exc:
        print(f"ÉCHEC de la construction des données : {exc}", file=sys.stderr)
        print("Les fichiers précédents sont conservés.", file=sys.stderr)
        return 1
    print(report.text(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
