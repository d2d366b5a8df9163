"""Front-end assets served by the app itself (no CDN): copied from XStatic packages.

``python -m aisnemap.assets`` copies Leaflet into ``static/vendor/``, which
Streamlit serves under ``/app/static`` when ``server.enableStaticServing`` is on. The
copies are git-ignored and refreshed whenever the package version changes.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from . import config

#: (package module, files or folders to copy, target sub-folder)
_PACKAGES = (("xstatic.pkg.leaflet", ("leaflet.js", "leaflet.css", "images"), "leaflet"),)

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"


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


def inline_assets(static_dir: Path | None = None) -> tuple[str, str]:
    """Leaflet's JavaScript and CSS as text, for standalone HTML exports."""
    ensure_assets(static_dir)
    js = asset_path(LEAFLET_JS, static_dir).read_text(encoding="utf-8")
    css = asset_path(LEAFLET_CSS, static_dir).read_text(encoding="utf-8")
    return js, css


if __name__ == "__main__":
    for path in ensure_assets():
        print(path.relative_to(config.ROOT))
    sys.exit(0)
