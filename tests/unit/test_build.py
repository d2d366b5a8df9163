"""The data build on tiny hand-made inputs: merge, dissolve, atomic writes, bad sources."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import threading
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from aisnemap import config
from aisnemap.build import pipeline as build
from aisnemap.build.sources import SourceError, read_feature_collection, read_json
from aisnemap.domain.departements import files_for
from tests.support.departements import AISNE

AISNE_FILES = files_for(AISNE.code)

SHARED = config.SOURCES_DIR


def _contours(codes: list[str]) -> gpd.GeoDataFrame:
    x0, y0 = 740_000, 6_940_000
    frame = gpd.GeoDataFrame(
        {"code": codes, "nom": codes},
        geometry=[
            box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(len(codes))
        ],
        crs=config.CRS_METRIC,
    )
    return frame.to_crs(config.CRS_DRAW)


REFERENCE = [
    {"code": "02001", "nom": "Alpha", "type": "commune-actuelle", "departement": "02"},
    {
        "code": "02003",
        "nom": "Gamma-le-Grand",
        "type": "commune-actuelle",
        "departement": "02",
        "anciensCodes": ["02004"],
    },
    {
        "code": "02002",
        "nom": "Bêta",
        "type": "commune-deleguee",
        "departement": "02",
        "chefLieu": "02003",
    },
    {
        "code": "02003",
        "nom": "Gamma",
        "type": "commune-deleguee",
        "departement": "02",
        "chefLieu": "02003",
    },
    {"code": "59001", "nom": "Ailleurs", "type": "commune-actuelle", "departement": "59"},
]


def test_code_mapping_follows_chef_lieu_and_former_codes():
    mapping = build.code_mapping(REFERENCE, "02")
    assert mapping == {"02001": "02001", "02003": "02003", "02002": "02003", "02004": "02003"}


def test_merge_dissolves_a_delegated_commune_into_its_chef_lieu():
    report = build.BuildReport()
    merged = build.merge_communes(
        _contours(["02001", "02002", "02003"]),
        build.code_mapping(REFERENCE, "02"),
        {"02001", "02003"},
        report,
    )
    assert sorted(merged["code"]) == ["02001", "02003"]
    areas = merged.to_crs(config.CRS_METRIC).set_index("code").area
    assert areas["02003"] == pytest.approx(2_000_000, rel=1e-6)
    assert areas["02001"] == pytest.approx(1_000_000, rel=1e-6)
    assert merged.geometry.geom_type.tolist() == ["Polygon", "Polygon"]  # one piece, no seam
    assert report.lines == ["fusion : contour 02002 dissous dans la commune 02003"]


def test_merge_refuses_an_unknown_contour_code():
    with pytest.raises(build.BuildError, match="inconnus du référentiel : 02999"):
        build.merge_communes(
            _contours(["02001", "02999"]), build.code_mapping(REFERENCE, "02"), {"02001"}
        )


def test_merge_refuses_a_commune_without_contour():
    with pytest.raises(build.BuildError, match="sans contour : 02003"):
        build.merge_communes(
            _contours(["02001"]), build.code_mapping(REFERENCE, "02"), {"02001", "02003"}
        )


def test_merge_needs_a_crs():
    contours = _contours(["02001"]).set_crs(None, allow_override=True)
    with pytest.raises(build.BuildError, match="CRS"):
        build.merge_communes(contours, {"02001": "02001"}, {"02001"})


def test_attach_reference_makes_a_commune_outside_every_epci_its_own_territory():
    merged = _contours(["02001"])
    ref = [
        {
            "code": "02001",
            "nom": "Alpha",
            "type": "commune-actuelle",
            "population": 5,
            "arrondissement": "022",
        }
    ]
    # An island by law in no EPCI (Ouessant, L'Île-d'Yeu…) is its own EPCI-level territory.
    alone = build.attach_reference(merged, ref, [], [{"code": "022", "nom": "Laon"}])
    assert alone.iloc[0][["epci_siren", "epci_nom"]].tolist() == [
        "sans-epci-02001",
        "Alpha (commune isolée, sans EPCI)",
    ]
    epcis = [{"code": "200000001", "nom": "CC Un", "membres": [{"code": "02001"}]}]
    out = build.attach_reference(merged, ref, epcis, [{"code": "022", "nom": "Laon"}])
    assert out.iloc[0][["epci_siren", "arrondissement_nom", "population"]].tolist() == [
        "200000001",
        "Laon",
        5,
    ]


def test_a_commune_re_established_since_2018_shares_the_contour_that_covered_it():
    """Sannerville (14666) left Saline (14712, now Troarn) in 2020: no 2018 contour of its
    own; both are drawn with Saline's, the report says so; any other gap still fails."""
    report = build.BuildReport()
    contours = _contours(["14712"])
    out = build.merge_communes(contours, {"14712": "14712"}, {"14712", "14666"}, report)
    assert sorted(out["code"]) == ["14666", "14712"]
    assert out.geometry.iloc[0].equals(out.geometry.iloc[1])
    assert "commune 14666 sans contour 2018" in report.text()
    with pytest.raises(build.BuildError, match="sans contour : 14999"):
        build.merge_communes(contours, {"14712": "14712"}, {"14712", "14999"})


def test_coverage_simplification_keeps_neighbours_touching(tiny_communes):
    simplified = build.simplify_coverage(tiny_communes, 50, metric_crs="EPSG:2154")
    metric = simplified.to_crs(config.CRS_METRIC)
    assert metric.geometry.iloc[0].intersection(metric.geometry.iloc[1]).length == pytest.approx(
        1000, rel=1e-3
    )
    assert metric.union_all().area == pytest.approx(metric.area.sum(), rel=1e-6)


def test_simplify_needs_a_crs(tiny_communes):
    with pytest.raises(ValueError, match="CRS"):
        build.simplify_coverage(
            tiny_communes.set_crs(None, allow_override=True), 10, metric_crs="EPSG:2154"
        )


def test_write_atomic_leaves_previous_files_when_a_write_fails(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")

    with pytest.raises(TypeError):  # the second file cannot be written
        build.write_atomic({target: "new", tmp_path / "b.txt": 12345})
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def _copy_sources(tmp_path: Path) -> Path:
    base = tmp_path / "sources"
    dept = base / "ign-admin-express-2018" / "departements" / "02-aisne"
    dept.mkdir(parents=True)
    shutil.copy(
        SHARED / "ign-admin-express-2018/departements/02-aisne/communes-02-aisne.geojson", dept
    )
    shutil.copytree(
        SHARED / "etalab-decoupage-administratif-2021", base / "etalab-decoupage-administratif-2021"
    )
    return base


def test_failed_build_keeps_previous_outputs(tmp_path, built_data_dir):
    out = tmp_path / "out"
    shutil.copytree(
        built_data_dir, out, ignore=shutil.ignore_patterns("structures.csv", "sauvegardes")
    )
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    base = _copy_sources(tmp_path)
    (base / "etalab-decoupage-administratif-2021" / "epci.json").write_text(
        '[{"code": "2', encoding="utf-8"
    )
    assert build.main(["--sources", str(base), "--out", str(out)]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("missing", "Fichier source introuvable"),
        ("truncated", "JSON invalide"),
        ("lambert", "hors des bornes WGS84"),
        ("crs", "Système de coordonnées inattendu"),
        ("unknown_code", "inconnus du référentiel : 02999"),
    ],
)
def test_bad_sources_give_a_french_message(tmp_path, breakage, message):
    base = _copy_sources(tmp_path)
    path = base / "ign-admin-express-2018/departements/02-aisne/communes-02-aisne.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    if breakage == "missing":
        path.unlink()
    elif breakage == "truncated":
        path.write_text(path.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    elif breakage == "lambert":
        gdf = gpd.GeoDataFrame.from_features(data["features"], crs=config.CRS_DRAW).to_crs(
            config.CRS_METRIC
        )
        lambert = json.loads(gdf.to_json())
        lambert.pop("crs", None)  # a file that silently lost its CRS member
        path.write_text(json.dumps(lambert), encoding="utf-8")
    elif breakage == "crs":
        data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
        path.write_text(json.dumps(data), encoding="utf-8")
    elif breakage == "unknown_code":
        data["features"][0]["properties"]["code"] = "02999"
        path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises((SourceError, build.BuildError), match=message):
        build.run_build(base, 2021, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_gzip_source_is_read(tmp_path):
    path = tmp_path / "x.json.gz"
    path.write_bytes(gzip.compress(b'[{"code": "02001"}]'))
    assert read_json(path) == [{"code": "02001"}]


@pytest.fixture
def http_shared():
    """The shared folder served by a local HTTP server on 127.0.0.1 (no other network)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SHARED))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_build_from_urls_matches_the_local_build(tmp_path, http_shared, territory):
    report = build.run_build(http_shared, 2021, tmp_path)
    assert any("800 communes" in line for line in report.lines)
    remote = gpd.read_file(tmp_path / AISNE_FILES.exact.communes)
    assert remote["code"].tolist() == territory.communes["code"].tolist()
    assert int(remote["population"].sum()) == 531_345


def test_missing_url_says_so(http_shared):
    with pytest.raises(SourceError, match="Source introuvable \\(404\\)"):
        read_feature_collection(f"{http_shared}/nope.geojson")


def test_cog_2026_build_uses_former_codes(tmp_path):
    report = build.run_build(SHARED, 2026, tmp_path)
    communes = gpd.read_file(tmp_path / AISNE_FILES.exact.communes)
    assert len(communes) == 797
    assert "fusion : contour 02077 dissous dans la commune 02564" in report.lines
    assert "fusion : contour 02695 dissous dans la commune 02054" in report.lines


def test_is_built_requires_same_year_and_format(tmp_path, built_data_dir):
    for name in (*AISNE_FILES.layers, config.MANIFEST_FILE):
        shutil.copy(built_data_dir / name, tmp_path / name)
    manifest = json.loads((tmp_path / config.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert build.is_built(tmp_path, manifest["cog"])
    assert not build.is_built(tmp_path, 2026)
    # Outputs written by other build code (an older checkout) are rebuilt.
    (tmp_path / config.MANIFEST_FILE).write_text(
        json.dumps({**manifest, "code": "0" * 64}), encoding="utf-8"
    )
    assert not build.is_built(tmp_path, manifest["cog"])
    manifest["format"] = build.BUILD_FORMAT - 1
    (tmp_path / config.MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    assert not build.is_built(tmp_path, manifest["cog"])
    (tmp_path / AISNE_FILES.exact.communes).unlink()
    assert not build.is_built(tmp_path, manifest["cog"])
