"""Built files checked when they are read, against what their build recorded.

A build records in its manifest, for every file it wrote, the size in bytes, the SHA-256
and the number of rows (features of a GeoJSON, records of a CSV). The app reads a built
file through :func:`read_checked`: a file truncated, overwritten or replaced after its
build no longer matches and raises :class:`DamagedFileError`, which names the file by its
role in French (what a visitor sees) and keeps the technical detail for the server's log.
A damaged file therefore never gives a wrong figure. No Streamlit here.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd

from aisnemap import config

#: The manifest's key holding one record per file written by the build.
FILES_KEY = "fichiers"


class DamagedFileError(Exception):
    """A built file that is missing, unreadable or not what its build wrote.

    ``role`` is the file's role in French (« la liste des postes validés »), shown to
    visitors; ``detail`` names the file and what differs, for the server's log only."""

    def __init__(self, role: str, detail: str) -> None:
        super().__init__(f"{role} : {detail}")
        self.role = role
        self.detail = detail


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def count_rows(name: str, content: str | bytes) -> int:
    """Rows of a built file: features of a GeoJSON, records of a CSV (0 for others)."""
    raw = _bytes(content)
    if name.endswith(".geojson"):
        return len(json.loads(raw).get("features", []))
    if name.endswith(".csv"):
        return len(pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False))
    return 0


def describe(name: str, content: str | bytes) -> dict[str, int | str]:
    """The record a build keeps of one file it writes."""
    raw = _bytes(content)
    return {
        "octets": len(raw),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "lignes": count_rows(name, raw),
    }


def records(files: dict[Path, str | bytes]) -> dict[str, dict[str, int | str]]:
    """Records of the files of a build, by file name."""
    return {path.name: describe(path.name, content) for path, content in files.items()}


def read_manifest(folder: Path) -> dict | None:
    """A build's manifest, or None when it is absent or unreadable."""
    try:
        manifest = json.loads((folder / config.MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def read_checked(folder: Path, name: str, role: str, manifest: dict | None) -> bytes | None:
    """The bytes of a built file when they are what its build recorded; None when the
    build did not write it (an optional file); raises DamagedFileError otherwise."""
    recorded = ((manifest or {}).get(FILES_KEY) or {}).get(name)
    path = folder / name
    if recorded is None:
        if manifest is not None and FILES_KEY in manifest:
            return None  # not written by this build (an optional file, or a leftover)
        raise DamagedFileError(role, f"{path} : aucun manifeste de construction ne le décrit")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DamagedFileError(role, f"{path} : illisible ({exc})") from exc
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) != recorded.get("octets") or digest != recorded.get("sha256"):
        raise DamagedFileError(
            role,
            f"{path} : {len(raw)} octets, sha256 {digest[:12]}… ; la construction avait écrit "
            f"{recorded.get('octets')} octets, sha256 {str(recorded.get('sha256'))[:12]}…",
        )
    return raw


def check_rows(frame_rows: int, name: str, role: str, manifest: dict | None) -> None:
    """Raise DamagedFileError when a file read gives another row count than its build's."""
    recorded = ((manifest or {}).get(FILES_KEY) or {}).get(name) or {}
    expected = recorded.get("lignes")
    if expected is not None and frame_rows != expected:
        raise DamagedFileError(role, f"{name} : {frame_rows} lignes lues, {expected} écrites")


def require_columns(frame: pd.DataFrame, columns, name: str, role: str) -> None:
    """Raise DamagedFileError when a table read lacks a column the app reads."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DamagedFileError(role, f"{name} : colonnes absentes : {', '.join(missing)}")


def read_built(path: Path, role: str) -> bytes | None:
    """The bytes of a built file checked against its folder's manifest; None when the
    build did not write it; raises DamagedFileError when it is missing although written,
    or differs from what was written."""
    manifest = read_manifest(path.parent)
    if not path.is_file():
        if ((manifest or {}).get(FILES_KEY) or {}).get(path.name) is not None:
            raise DamagedFileError(role, f"{path} : absent, alors que la construction l'a écrit")
        return None
    return read_checked(path.parent, path.name, role, manifest)


def rows_as_built(frame_rows: int, path: Path, role: str) -> None:
    """Raise DamagedFileError when a file read gives another row count than its build's."""
    check_rows(frame_rows, path.name, role, read_manifest(path.parent))


def read_built_csv(path: Path, role: str, dtypes: dict) -> pd.DataFrame | None:
    """A built CSV checked against its build and read (None when the build did not write
    it); DamagedFileError when it differs or cannot be parsed."""
    raw = read_built(path, role)
    if raw is None:
        return None
    try:
        frame = pd.read_csv(io.BytesIO(raw), dtype=dtypes)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DamagedFileError(role, f"{path} : {exc}") from exc
    rows_as_built(len(frame), path, role)
    return frame
