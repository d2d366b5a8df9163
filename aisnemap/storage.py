"""Writing files whole or not at all, for the build and the import alike.

Every file is written to a temporary file beside its target (``.NAME.XXXX.tmp``), flushed
to disk, then renamed over the target (``os.replace`` is atomic on one file system): a
reader sees the old file or the new one, never half of one. A process killed before the
rename leaves only a ``.tmp`` file, which :func:`clean_temp_files` removes at the next start.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

#: Suffix of the temporary files (git-ignored, removed at start).
TEMP_SUFFIX = ".tmp"


def _temp_beside(target: Path, content: str | bytes) -> Path:
    """Write ``content`` to a new temporary file beside ``target`` and return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(path, 0o644)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def write_atomic(files: dict[Path, str | bytes]) -> None:
    """Write several files so that each is replaced whole; all temporary files are written
    before the first rename, so a failure while writing replaces none. The last file of
    the dict is renamed last (a build's manifest marks it complete)."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, content in files.items():
            temps.append((_temp_beside(target, content), target))
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    try:
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        # A rename that failed (disk full, permissions) leaves no temporary file behind.
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def write_file_atomic(target: Path, content: str | bytes) -> None:
    """Write one file whole or not at all."""
    write_atomic({target: content})


def clean_temp_files(folders: Iterable[Path]) -> list[Path]:
    """Remove the temporary files an interrupted write left in ``folders`` (the caller
    holds whatever lock guards those writes); returns what was removed."""
    removed = []
    for folder in dict.fromkeys(folders):
        if not folder.is_dir():
            continue
        for leftover in folder.glob(f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def data_folders(data_dir: Path) -> list[Path]:
    """The folders the builds write to: the data folder, the national overview and each
    département's folder."""
    others = sorted(p for p in (data_dir / "departements").glob("*") if p.is_dir())
    return [data_dir, data_dir / "france", *others]
