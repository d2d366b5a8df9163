"""Reading the official reference data: a local file or the same file over HTTP(S).

Every failure becomes a :class:`SourceError` whose message is French and names the file.
"""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TIMEOUT_S = 60


class SourceError(RuntimeError):
    """A reference source is missing, unreadable or malformed (message in French)."""


@dataclass(frozen=True)
class SourceLayout:
    """Where each official file lives, relative to a base folder or URL."""

    #: One folder per département (``02-aisne/communes-02-aisne.geojson``).
    contours_root: str = "ign-admin-express-2018/departements"
    #: The contour file of the département being built (see pipeline.contours_location).
    contours: str = ""
    reference: str = "etalab-decoupage-administratif-{year}"

    def reference_file(self, year: int, name: str) -> str:
        """Relative location of one Etalab reference file for a COG year."""
        return f"{self.reference.format(year=year)}/{name}"


def is_url(location: str | Path) -> bool:
    """True for an http(s) address."""
    return str(location).startswith(("http://", "https://"))


def join(base: str | Path, relative: str) -> str:
    """Join a base folder or URL with a relative path."""
    if is_url(base):
        return str(base).rstrip("/") + "/" + relative
    return str(Path(base) / relative)


def read_bytes(location: str | Path) -> bytes:
    """Bytes of a local file or a URL (gzip is undone when the name ends in .gz)."""
    location = str(location)
    if is_url(location):
        try:
            with urllib.request.urlopen(location, timeout=TIMEOUT_S) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise SourceError(f"Source introuvable ({exc.code}) : {location}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SourceError(f"Source injoignable : {location} ({exc})") from exc
    else:
        path = Path(location)
        if not path.is_file():
            raise SourceError(f"Fichier source introuvable : {path}")
        raw = path.read_bytes()
    if location.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except OSError as exc:
            raise SourceError(f"Archive gzip illisible : {location}") from exc
    return raw


def read_json(location: str | Path) -> Any:
    """Parsed JSON of a source, or a French error saying where it is malformed."""
    raw = read_bytes(location)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"Encodage invalide (UTF-8 attendu) : {location}") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"JSON invalide dans {location} (ligne {exc.lineno}, colonne {exc.colno}) : "
            "fichier tronqué ou mal formé ?"
        ) from exc


_WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


def read_feature_collection(location: str | Path) -> dict[str, Any]:
    """A GeoJSON FeatureCollection in WGS84, checked for shape and CRS."""
    data = read_json(location)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"GeoJSON invalide (FeatureCollection attendue) : {location}")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise SourceError(f"GeoJSON sans entités : {location}")
    crs = data.get("crs")
    if crs:
        name = (crs.get("properties") or {}).get("name", "") if isinstance(crs, dict) else ""
        if name not in _WGS84_NAMES:
            raise SourceError(
                f"Système de coordonnées inattendu « {name} » dans {location} : "
                "WGS84 (EPSG:4326) attendu"
            )
    for feature in features[:50]:
        _check_lonlat(feature, location)
    return data


def _first_position(geometry: dict[str, Any]) -> list[float] | None:
    coords: Any = geometry.get("coordinates") if isinstance(geometry, dict) else None
    while isinstance(coords, list) and coords and isinstance(coords[0], list):
        coords = coords[0]
    return coords if isinstance(coords, list) and len(coords) >= 2 else None


def _check_lonlat(feature: dict[str, Any], location: str | Path) -> None:
    if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
        raise SourceError(f"Entité sans géométrie dans {location}")
    position = _first_position(feature["geometry"])
    if position is None:
        raise SourceError(f"Géométrie vide ou mal formée dans {location}")
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise SourceError(
            f"Coordonnées ({lon}, {lat}) hors des bornes WGS84 dans {location} : "
            "fichier en Lambert-93 ? WGS84 (EPSG:4326) attendu"
        )
