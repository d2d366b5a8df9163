"""Scale the same pipeline to the whole of France, with 4,000 SYNTHETIC sites.

Run: ``.venv/bin/python -m bench.national`` (prints a table; writes
``bench/results/national.json``). The sites are generated here with a fixed seed, named
"SITE SYNTHÉTIQUE n", and never shown as real data.

Steps timed: reading the 101 departments' contours (~35k communes), recoding and
dissolving them to COG 2021, attaching the reference, dissolving EPCI and departments,
coverage simplification, locating the sites (spatial join), and building + rendering the
map for a national view (departments, light canvas markers without popups) and a regional
view (Hauts-de-France communes, full markers). Memory peak is the process's max RSS.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aisnemap import config
from aisnemap.build import pipeline as build
from aisnemap.build.sources import read_json  # noqa: E402
from aisnemap.domain import schema as s  # noqa: E402
from aisnemap.domain.layers import LayerSet
from aisnemap.domain.territory import locate_sites  # noqa: E402
from aisnemap.render import maps, style  # noqa: E402

RESULTS = ROOT / "bench" / "results"
HAUTS_DE_FRANCE = ("02", "59", "60", "62", "80")
N_SITES = 4000
SEED = 20210318


class Timer:
    """Collects named wall-clock durations."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, str]] = []

    def __call__(self, label: str, func, note: str = ""):
        start = time.perf_counter()
        value = func()
        self.rows.append((label, round((time.perf_counter() - start) * 1000, 1), note))
        return value


def read_all_contours() -> gpd.GeoDataFrame:
    folder = config.SOURCES_DIR / "ign-admin-express-2018" / "departements"
    frames = [gpd.read_file(p) for p in sorted(folder.glob("*/communes-*.geojson"))]
    frame = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=config.CRS_DRAW)


def national_layers(contours, communes_ref, epcis):
    departments = sorted({c["departement"] for c in communes_ref if c.get("departement")})
    mapping: dict[str, str] = {}
    current: set[str] = set()
    for dep in departments:
        mapping.update(build.code_mapping(communes_ref, dep))
    current = {c["code"] for c in communes_ref if c.get("type") == "commune-actuelle"}
    known = contours["code"].astype(str).isin(mapping)
    dropped = int((~known).sum())
    contours = contours[known]
    covered = {mapping[c] for c in contours["code"].astype(str)}
    merged = build.merge_communes(contours, mapping, current & covered)
    # Communes outside any EPCI (a few islands) get a placeholder group for the bench.
    members = {m["code"] for e in epcis for m in e["membres"]}
    lonely = [{"code": c} for c in merged["code"] if c not in members]
    epcis = [*epcis, {"code": "000000000", "nom": "sans EPCI", "membres": lonely}]
    arr = [{"code": c.get("arrondissement"), "nom": c.get("arrondissement")} for c in communes_ref]
    communes = build.attach_reference(merged, communes_ref, epcis, arr)
    communes["departement"] = communes["code"].str[:2]
    return communes, dropped, len(lonely)


def synthetic_sites(communes: gpd.GeoDataFrame, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    weights = communes["population"].to_numpy().astype(float) + 1
    picks = rng.choice(len(communes), size=n, replace=True, p=weights / weights.sum())
    chosen = communes.iloc[picks]
    points = (
        chosen.to_crs(config.CRS_METRIC).geometry.representative_point().to_crs(config.CRS_DRAW)
    )
    services = list(style.SERVICE_COLOURS)
    frame = pd.DataFrame(
        {
            s.ID: [f"SYN{i:04d}" for i in range(n)],
            s.WAVE: 1,
            s.LAUREATE: "SYNTHÉTIQUE",
            s.SITE: [f"SITE SYNTHÉTIQUE {i}" for i in range(n)],
            s.ADVISORS: rng.integers(1, 4, n),
            s.POOL: "",
            s.POOL_ADVISORS: None,
            s.OPERATOR: "SYNTHÉTIQUE",
            s.OPERATOR_TYPE: "commune",
            s.SERVICE_TYPE: [services[i % len(services)] for i in range(n)],
            s.ITINERANT: False,
            s.INSEE: chosen["code"].to_numpy(),
            s.ADDRESS: "",
            s.LAT: points.y.to_numpy(),
            s.LON: points.x.to_numpy(),
            s.PRECISION: "adresse",
            s.SOURCE: "généré par bench/national.py",
            s.CONFIDENCE: "synthétique",
        }
    )
    frame["_ligne"] = range(2, n + 2)
    frame[s.ADVISORS] = frame[s.ADVISORS].astype("Int64")
    frame[s.POOL_ADVISORS] = frame[s.POOL_ADVISORS].astype("Int64")
    return frame


def light_records(sites: gpd.GeoDataFrame) -> list[dict]:
    """National view: position, size, colour and a tooltip only (no popup table)."""
    colours = style.service_colours(sorted(sites[s.SERVICE_TYPE].unique()))
    return [
        {
            "id": r[s.ID],
            "lat": round(g.y, 4),
            "lon": round(g.x, 4),
            "r": 4,
            "stroke": "#222222",
            "weight": 0.5,
            "fill": colours[r[s.SERVICE_TYPE]],
            "fillOpacity": 0.9,
            "dash": None,
            "tooltip": r[s.SITE],
            "popup": [],
        }
        for (_, r), g in zip(sites.iterrows(), sites.geometry, strict=True)
    ]


def map_cost(timer: Timer, label: str, layers: maps.MapLayers, bounds, records) -> int:
    def make():
        fmap = maps.base_map(layers, bounds, sorted(style.SERVICE_COLOURS))
        fmap.options["preferCanvas"] = True  # thousands of markers: one canvas, not SVG nodes
        maps.SitesLayer(records).add_to(fmap)
        return fmap.get_root().render()

    html = timer(f"{label}: build + render map (rerun proxy)", make)
    return len(html.encode("utf-8"))


def scaling(communes: gpd.GeoDataFrame, sites_frame: pd.DataFrame) -> list[dict]:
    """Simplification, join and map payload for the Aisne, a region and France."""
    scopes = (("Aisne", ("02",)), ("Hauts-de-France", HAUTS_DE_FRANCE), ("France", None))
    colours = style.service_colours(sorted(style.SERVICE_COLOURS))
    rows = []
    for label, deps in scopes:
        part = communes if deps is None else communes[communes["departement"].isin(deps)]
        sites_part = (
            sites_frame if deps is None else sites_frame[sites_frame[s.INSEE].str[:2].isin(deps)]
        )
        start = time.perf_counter()
        display = build.simplify_coverage(part, build.DISPLAY_TOLERANCE_M, metric_crs="EPSG:2154")
        simplify_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        located, _ = locate_sites(sites_part, part, metric_crs="EPSG:2154")
        join_ms = (time.perf_counter() - start) * 1000
        payload = len(maps.encode_layer(display, "nom")) + len(
            maps.safe_json(maps.site_records(located, colours))
        )
        rows.append(
            {
                "scope": label,
                "communes": len(part),
                "sites": len(sites_part),
                "simplify_ms": round(simplify_ms),
                "join_ms": round(join_ms),
                "payload_bytes": payload,
            }
        )
    return rows


def main() -> int:
    timer = Timer()
    contours = timer("read 101 departments' contours", read_all_contours)
    ref_dir = config.SOURCES_DIR / "etalab-decoupage-administratif-2021"
    communes_ref = read_json(ref_dir / "communes.json")
    epcis = read_json(ref_dir / "epci.json")
    communes, dropped, lonely = timer(
        "recode + dissolve + attach reference (COG 2021)",
        lambda: national_layers(contours, communes_ref, epcis),
    )
    epci = timer("dissolve EPCI", lambda: communes.dissolve(by="epci_siren", as_index=False))
    depts = timer(
        "dissolve departments", lambda: communes.dissolve(by="departement", as_index=False)
    )
    display_communes = timer(
        "coverage simplification of all communes (200 m)",
        lambda: build.simplify_coverage(
            communes, build.DISPLAY_TOLERANCE_M, metric_crs="EPSG:2154"
        ),
    )
    display_epci = timer(
        "coverage simplification of EPCI (1 km)",
        lambda: build.simplify_coverage(epci, 1000, metric_crs="EPSG:2154"),
    )
    display_depts = timer(
        "coverage simplification of departments (2 km)",
        lambda: build.simplify_coverage(depts, 2000, metric_crs="EPSG:2154"),
    )
    frame = synthetic_sites(communes, N_SITES)
    sites, problems = timer(
        f"locate {N_SITES} synthetic sites (sjoin within)",
        lambda: locate_sites(frame, communes, metric_crs="EPSG:2154"),
    )

    national = LayerSet(
        communes="[]",
        epci=maps.encode_layer(display_epci),
        arrondissements="[]",
        department=maps.encode_layer(display_depts),
    )
    nat_bytes = map_cost(
        timer, "national view", national, maps.bounds_of(depts), light_records(sites)
    )
    region = display_communes[display_communes["departement"].isin(HAUTS_DE_FRANCE)]
    region_epci = display_epci[display_epci["epci_siren"].isin(set(region["epci_siren"]))]
    region_layers = LayerSet(
        communes=maps.encode_layer(region, "nom"),
        epci=maps.encode_layer(region_epci),
        arrondissements="[]",
        department=maps.encode_layer(
            display_depts[display_depts["departement"].isin(HAUTS_DE_FRANCE)]
        ),
    )
    region_sites = sites[sites[s.INSEE].str[:2].isin(HAUTS_DE_FRANCE)]
    colours = style.service_colours(sorted(style.SERVICE_COLOURS))
    reg_bytes = map_cost(
        timer,
        "regional view (Hauts-de-France)",
        region_layers,
        maps.bounds_of(region),
        maps.site_records(region_sites, colours),
    )
    growth = scaling(communes, frame)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    facts = {
        "contour features": len(contours),
        "communes (COG 2021) built": len(communes),
        "contour codes unknown to the reference (dropped)": dropped,
        "communes without EPCI (grouped apart)": lonely,
        "EPCI shapes": len(epci),
        "synthetic sites": len(sites),
        "location problems among synthetic sites": len(problems),
        "communes in the regional view": len(region),
        "sites in the regional view": len(region_sites),
        "national map payload (bytes)": nat_bytes,
        "regional map payload (bytes)": reg_bytes,
        "memory peak (MB, max RSS)": round(peak_mb),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "national.json").write_text(
        json.dumps(
            {"timings_ms": timer.rows, "facts": facts, "growth": growth},
            indent=2,
            ensure_ascii=False,
        )
    )
    width = max(len(r[0]) for r in timer.rows)
    print("SITES SYNTHÉTIQUES — never real data")
    for label, ms, _ in timer.rows:
        print(f"{label:<{width}}  {ms:>10,.1f} ms".replace(",", " "))
    for key, value in facts.items():
        print(f"{key:<{width}}  {value:>10,}".replace(",", " "))
    print("\ngrowth (same code, growing scope):")
    print(
        f"{'scope':<18}{'communes':>10}{'sites':>8}{'simplify ms':>13}{'join ms':>10}{'payload B':>12}"
    )
    for g in growth:
        print(
            f"{g['scope']:<18}{g['communes']:>10}{g['sites']:>8}{g['simplify_ms']:>13}"
            f"{g['join_ms']:>10}{g['payload_bytes']:>12}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
