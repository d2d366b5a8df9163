"""Front-end assets served by the app itself (no CDN): copied from XStatic packages.

``python -m aisnemap.render.assets`` copies Leaflet and Leaflet.markercluster into ``static/vendor/``, which
Streamlit serves under ``/app/static`` when ``server.enableStaticServing`` is on. The
copies are git-ignored and refreshed whenever the package version changes.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import sys
from pathlib import Path

from aisnemap import config

#: (package module, files or folders to copy, target sub-folder)
_PACKAGES = (
    ("xstatic.pkg.leaflet", ("leaflet.js", "leaflet.css", "images"), "leaflet"),
    (
        "xstatic.pkg.leaflet_markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css"),
        "markercluster",
    ),
)

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
#: The map's own layers (committed in static/aisnemap/, see carte.js).
MAP_JS = "aisnemap/carte.js"
MAP_CSS = "aisnemap/carte.css"
#: Loaded by every map, in this order (paths under the static folder).
JS_FILES = (LEAFLET_JS, "vendor/markercluster/leaflet.markercluster.js", MAP_JS)
CSS_FILES = (LEAFLET_CSS, "vendor/markercluster/MarkerCluster.css", MAP_CSS)


def _package_dir(module_name: str) -> tuple[Path, str]:
    module = __import__(module_name, fromlist=["BASE_DIR", "VERSION"])
    return Path(module.BASE_DIR), str(module.VERSION)


def asset_path(relative: str, static_dir: Path | None = None) -> Path:
    """Local path of one copied asset."""
    return (static_dir or config.STATIC_DIR) / relative


def ensure_assets(static_dir: Path | None = None) -> list[Path]:
    """Copy the assets if missing or from another package version; returns their paths."""
    static_dir = static_dir or config.STATIC_DIR
    copied = []
    for module_name, names, target in _PACKAGES:
        source, version = _package_dir(module_name)
        dest = static_dir / "vendor" / target
        stamp = dest / ".version"
        if not (stamp.is_file() and stamp.read_text() == version):
            tmp = dest.with_name(dest.name + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for name in names:
                item = source / name
                if item.is_dir():
                    shutil.copytree(item, tmp / name)
                else:
                    shutil.copy2(item, tmp / name)
            (tmp / ".version").write_text(version)
            shutil.rmtree(dest, ignore_errors=True)
            tmp.rename(dest)
        copied.extend(dest / name for name in names)
    return copied


def versioned(relative: str, static_dir: Path | None = None) -> str:
    """``relative?v=<content hash>``: a browser never keeps an old copy after an update.
    Every map of every rerun asks: the file is hashed once per modification time."""
    path = asset_path(relative, static_dir)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return f"{relative}?v=0"
    return f"{relative}?v={_digest(path, mtime)}"


@functools.lru_cache(maxsize=64)
def _digest(path: Path, _mtime: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def inline_assets(static_dir: Path | None = None) -> dict[str, str]:
    """Every script and style sheet of the map as text (path → text), for standalone HTML."""
    ensure_assets(static_dir)
    return {
        name: asset_path(name, static_dir).read_text(encoding="utf-8")
        for name in (*JS_FILES, *CSS_FILES)
    }


if __name__ == "__main__":
    for path in ensure_assets():
        print(path.relative_to(config.ROOT))
    sys.exit(0)
