"""The national overview: every département's posts, population, IFN and outline.

``python -m aisnemap.build.france`` (run by ``make data``) reads the same official files as a
département's build and writes ``data/france/``:

- ``departements.csv``: code, name, article type, communes and population (COG), the
  population-weighted mean IFN and the number of France Services;
- ``postes_par_comite.csv``: posts validated per département and committee date, counted
  exactly as a département's build counts them (``programme.department_posts``);
- ``departements_affichage.geojson``: simplified outlines; the five overseas départements
  are drawn near mainland France (an inset each, own scale), as on every national map.

The page reads them through :mod:`aisnemap.domain.france`. No Streamlit here.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from aisnemap import config, integrity
from aisnemap.build.pipeline import (
    BuildError,
    _geojson_text,
    _required,
    code_fingerprint,
    code_mapping,
    departments_of,
    simplify_coverage,
    write_atomic,
)
from aisnemap.build.sources import SourceError, SourceLayout, join, read_json
from aisnemap.domain import followup, fragility, programme
from aisnemap.domain.departements import (
    INSET_SIZE_DEG,
    INSETS,
    Department,
    metric_crs,
    sort_key,
)
from aisnemap.domain.france import (
    ACTIVITY_OUT,
    DECIMALS,
    OUTLINES_FILE,
    POSTS_FILE,
    TABLE_FILE,
    TOLERANCE_M,
    france_dir,
    load_table,
)
from aisnemap.french.formatting import fmt_date, fmt_decimal


def department_table(departments: dict[str, Department], communes_ref: list[dict]) -> pd.DataFrame:
    """One row per département: code, name, article, communes and population (COG)."""
    current = pd.DataFrame(
        [
            (c["departement"], int(c.get("population") or 0))
            for c in communes_ref
            if c.get("type") == "commune-actuelle" and c.get("departement") in departments
        ],
        columns=["code", "population"],
    )
    counts = current.groupby("code").agg(
        communes=("population", "size"), population=("population", "sum")
    )
    rows = [
        {
            "code": d.code,
            "nom": d.name,
            "liaison": d.liaison,
            "communes": int(counts["communes"].get(d.code, 0)),
            "population": int(counts["population"].get(d.code, 0)),
        }
        for d in sorted(departments.values(), key=lambda d: sort_key(d.code))
    ]
    return pd.DataFrame(rows)


def posts_by_committee(
    rows: list[dict[str, str]], communes_ref: list[dict], codes: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Posts validated per département and committee date, and the rows set aside."""
    out, problems = [], []
    for code in codes:
        posts = programme.department_posts(rows, code, code_mapping(communes_ref, code))
        problems += posts.problems
        table = posts.table
        if table.empty:
            continue
        by_date = table.groupby(programme.P_DATE)[programme.P_POSTS].sum()
        out += [(code, date, int(n)) for date, n in by_date.items()]
    frame = pd.DataFrame(out, columns=["code", "date", "postes"])
    return frame, problems + programme.outside_departments(rows, set(codes))


def outside_posts(rows: list[dict[str, str]], codes: list[str]) -> int:
    """Posts of the rows whose département is none of the 101 (Saint-Martin, code 0)."""
    total = 0
    for row in rows:
        if programme.pad_department(row.get(programme.C_DEPT, "")) in codes:
            continue
        value = row.get(programme.C_POSTS, "").strip()
        total += int(value) if value.isdigit() else 0
    return total


def ifn_means(raw: bytes, communes_ref: list[dict]) -> pd.Series:
    """Population-weighted mean IFN of each département (communes of the COG)."""
    current = pd.DataFrame(
        [
            (c["code"], c["departement"], float(c.get("population") or 0))
            for c in communes_ref
            if c.get("type") == "commune-actuelle" and c.get("departement")
        ],
        columns=["code", "departement", "population"],
    )
    districts = fragility.districts_of(communes_ref)
    scores = fragility.read_ifn(raw, current["code"], districts).scores[["code", "total"]]
    merged = current.merge(scores, on="code", how="left")
    return merged.groupby("departement").apply(
        lambda g: fragility.weighted_mean(g["population"], g["total"]), include_groups=False
    )


def _followup(folder: Path, report: list[str]) -> tuple[pd.DataFrame, str]:
    """Per département: posts attributed and advisors recruited (September 2023), people
    helped and accompaniments declared (2021 – early 2024); and the whole activity table
    as CSV (themes, age bands, kinds of support). A missing file stops the build."""
    parts = []
    path = _required(folder, followup.RECRUITMENT_FILE)
    totals = followup.recruitment_totals(followup.read_recruitment(path.read_bytes()))
    parts.append(totals[[followup.R_ATTRIBUTED, followup.R_RECRUITED]])
    report.append(
        f"recrutement ({fmt_date(followup.RECRUITMENT_DATE)}) : "
        f"{int(totals[followup.R_ATTRIBUTED].sum())} postes attribués, "
        f"{int(totals[followup.R_RECRUITED].sum())} conseillers recrutés"
    )
    path = _required(folder, followup.ACTIVITY_FILE)
    activity = followup.read_activity(path.read_bytes()).set_index("code")
    activity_csv = activity.reset_index().to_csv(index=False, lineterminator="\n")
    parts.append(activity[list(followup.ACTIVITY_COLUMNS)])
    report.append(
        f"activité déclarée ({followup.ACTIVITY_PERIOD}) : "
        f"{int(activity['usagers'].sum())} usagers accompagnés, "
        f"{int(activity['accompagnements'].sum())} accompagnements"
    )
    return pd.concat(parts, axis=1), activity_csv


def france_services_counts(raw: bytes) -> pd.Series:
    """Number of France Services per département code (ANCT list)."""
    table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    if "insee_dep" not in table.columns:
        raise ValueError("liste France Services : colonne absente : insee_dep")
    codes = table["insee_dep"].str.strip().str.upper().str.zfill(2)
    return codes.value_counts()


def _inset(geometry, code: str):
    """An overseas outline moved and scaled into its inset (equal scale in x and y)."""
    crs = metric_crs(code)
    metric = gpd.GeoSeries([geometry], crs=config.CRS_DRAW).to_crs(crs).iloc[0]
    minx, miny, maxx, maxy = metric.bounds
    lon0, lat0 = INSETS[code]
    m_per_deg_lon = 111_320 * np.cos(np.radians(lat0))
    m_per_deg_lat = 110_540
    width_m, height_m = INSET_SIZE_DEG[0] * m_per_deg_lon, INSET_SIZE_DEG[1] * m_per_deg_lat
    scale = min(width_m / (maxx - minx), height_m / (maxy - miny))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2

    def move(coords: np.ndarray) -> np.ndarray:
        x = lon0 + (coords[:, 0] - cx) * scale / m_per_deg_lon
        y = lat0 + (coords[:, 1] - cy) * scale / m_per_deg_lat
        return np.column_stack([x, y])

    return shapely.transform(metric, move), scale


def outlines(base: str | Path, codes: list[str]) -> gpd.GeoDataFrame:
    """Simplified outlines of the départements, the overseas ones in their insets."""
    mainland = gpd.read_file(join(base, "ign-admin-express-2018/departements.geojson"))
    mainland = mainland.loc[mainland["code"].isin(codes), ["code", "geometry"]]
    mainland = simplify_coverage(
        mainland.set_crs(config.CRS_DRAW, allow_override=True), TOLERANCE_M, config.CRS_METRIC
    )
    rows = [mainland]
    root = Path(base) / "ign-admin-express-2018" / "departements"
    for code in INSETS:
        if code not in codes:
            continue
        found = sorted(root.glob(f"{code}-*/communes-{code}-*.geojson"))
        if not found:
            raise SourceError(f"contours du département {code} introuvables dans {root}")
        communes = gpd.read_file(found[0]).set_crs(config.CRS_DRAW, allow_override=True)
        metric = communes.to_crs(metric_crs(code))
        shape = shapely.union_all(metric.geometry.values).simplify(300)
        shape = gpd.GeoSeries([shape], crs=metric.crs).to_crs(config.CRS_DRAW).iloc[0]
        moved, _ = _inset(shape, code)
        rows.append(gpd.GeoDataFrame({"code": [code]}, geometry=[moved], crs=config.CRS_DRAW))
    frame = pd.concat(rows, ignore_index=True)
    frame["outre_mer"] = frame["code"].str.len() == 3
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=config.CRS_DRAW)


def build_france(
    base: str | Path | None = None,
    year: int = config.COG_YEAR,
    programme_dir: Path | None = None,
    out_dir: Path | None = None,
) -> list[str]:
    """Write ``data/france/``; returns the report lines. Raises SourceError/BuildError
    before writing anything."""
    base = base if base is not None else config.SOURCES_DIR
    folder = programme_dir or config.PROGRAMME_DIR
    out_dir = out_dir or france_dir()
    started = time.perf_counter()
    departments = departments_of(base, year)
    codes = sorted(departments, key=sort_key)
    communes_ref = read_json(join(base, SourceLayout().reference_file(year, "communes.json")))
    table = department_table(departments, communes_ref)
    report = [f"vue nationale — {len(table)} départements, COG {year}"]
    list_path = _required(folder, programme.LIST_FILE)
    try:
        rows = programme.read_national_list(list_path.read_bytes())
        posts, problems = posts_by_committee(rows, communes_ref, codes)
        means = ifn_means(_required(folder, fragility.IFN_COMMUNES_FILE).read_bytes(), communes_ref)
        fs = france_services_counts(_required(folder, fragility.FRANCE_SERVICES_FILE).read_bytes())
        follow, activity_csv = _followup(folder, report)
    except ValueError as exc:
        raise BuildError(str(exc)) from exc
    for column in follow.columns:
        table[column] = table["code"].map(follow[column]).astype("Int64")
    table["ifn_moyen"] = table["code"].map(means).round(3)
    table["france_services"] = table["code"].map(fs).fillna(0).astype(int)
    report += problems
    report.append(
        f"liste nationale : {int(posts['postes'].sum())} postes dans les 101 départements, "
        f"{len(problems)} ligne(s) à part"
    )
    shapes = outlines(base, codes)
    missing = sorted(set(codes) - set(shapes["code"]), key=sort_key)
    if missing:
        raise BuildError("contours absents pour : " + ", ".join(missing))
    shapes = shapes.merge(table[["code", "nom"]], on="code")
    shapes = shapes[["code", "nom", "outre_mer", "geometry"]]
    manifest = {
        "code": code_fingerprint(),
        "cog": year,
        "departements": len(table),
        "postes": int(posts["postes"].sum()),
        "postes_hors_departements": outside_posts(rows, codes),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    report.append(f"durée : {fmt_decimal(time.perf_counter() - started)} s")
    files: dict[Path, str | bytes] = {
        out_dir / TABLE_FILE: table.to_csv(index=False, lineterminator="\n"),
        out_dir / POSTS_FILE: posts.to_csv(index=False, lineterminator="\n"),
        out_dir / OUTLINES_FILE: _geojson_text(shapes, DECIMALS),
        out_dir / ACTIVITY_OUT: activity_csv,
        out_dir / config.REPORT_FILE: "\n".join(report) + "\n",
    }
    # What the page checks each file against (size, SHA-256, rows); the manifest goes last.
    manifest[integrity.FILES_KEY] = integrity.records(files)
    files[out_dir / config.MANIFEST_FILE] = json.dumps(manifest, indent=2)
    write_atomic(files)
    return report


def is_built(out_dir: Path | None = None, year: int = config.COG_YEAR) -> bool:
    """True when the national files exist, built by this code for the same COG year."""
    out_dir = out_dir or france_dir()
    manifest = out_dir / config.MANIFEST_FILE
    if not all((out_dir / n).is_file() for n in (TABLE_FILE, POSTS_FILE, OUTLINES_FILE)):
        return False
    try:
        built = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        built.get("cog") == year
        and built.get("code") == code_fingerprint()
        and integrity.FILES_KEY in built
    )


def known_departments(out_dir: Path | None = None) -> dict[str, Department]:
    """The départements a server can show, from the national table (or the COG reference
    in the sources when the table is not built)."""
    try:
        loaded = load_table(out_dir)
    except integrity.DamagedFileError:
        loaded = None  # the page says the table is damaged; the names come from the COG
    if loaded is not None:
        table = loaded.table
        return {r.code: Department(r.code, r.nom, int(r.liaison)) for r in table.itertuples()}
    try:
        return departments_of(config.SOURCES_DIR, config.COG_YEAR)
    except SourceError:
        from aisnemap.domain.departements import the_announcement

        announced = the_announcement().department
        return {announced.code: announced}


def main(argv: list[str] | None = None) -> int:
    """Command line entry point (``make data`` calls it with --if-missing)."""
    parser = argparse.ArgumentParser(description="Construit la vue nationale (101 départements).")
    parser.add_argument("--sources", default=str(config.SOURCES_DIR))
    parser.add_argument("--year", type=int, default=config.COG_YEAR)
    parser.add_argument("--if-missing", action="store_true")
    args = parser.parse_args(argv)
    if args.if_missing and is_built(year=args.year):
        print(f"vue nationale déjà construite dans {france_dir()}")
        return 0
    try:
        report = build_france(args.sources, args.year)
    except (SourceError, BuildError) as exc:
        print(f"ÉCHEC de la vue nationale : {exc}", file=sys.stderr)
        return 1
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
