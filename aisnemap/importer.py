"""Wave-2 import: validate an uploaded table, preview the changes, save atomically.

Saving writes a temporary file beside ``structures.csv``, flushes it to disk, keeps a
timestamped copy of the previous file in the backup folder, then renames the new file
over the old one (``os.replace`` is atomic on one file system): readers see the old or the
new table, never a mix, and a failed save leaves the served file untouched.

Restore a backup: ``python -m aisnemap.importer --list`` then
``python -m aisnemap.importer --restore data/sauvegardes/structures-AAAAMMJJ-HHMMSS.csv``
(the restore itself is saved the same way, with a backup of the file it replaces).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hmac
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import config, schema
from . import schema as s
from .schema import Problem
from .territory import locate_sites

MODE_MERGE = "fusion"
MODE_REPLACE = "remplacement"
_COMPARED = [c for c in s.COLUMNS if c != s.ID]


class SaveError(RuntimeError):
    """The new table could not be saved; the previous one is still served (French text)."""


@dataclass
class Preview:
    """What an import would change, and every problem that prevents it."""

    problems: list[Problem] = field(default_factory=list)
    new_table: pd.DataFrame | None = None
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    totals_before: dict[str, int] = field(default_factory=dict)
    totals_after: dict[str, int] = field(default_factory=dict)
    sites: gpd.GeoDataFrame | None = None

    @property
    def ok(self) -> bool:
        """True when the import can be confirmed."""
        return self.new_table is not None and not any(
            p.severity == schema.ERROR for p in self.problems
        )

    @property
    def changed(self) -> bool:
        """True when saving would change the served table."""
        return bool(self.added or self.modified or self.removed)


def totals(frame: pd.DataFrame) -> dict[str, int]:
    """Sites, advisors and communes of a table."""
    return {
        "sites": len(frame),
        "conseillers": schema.advisor_total(frame) if len(frame) else 0,
        "communes": int(frame[s.INSEE].nunique()) if len(frame) else 0,
    }


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.set_index(s.ID)[_COMPARED].copy()
    return out.astype(object).where(out.notna(), None)


def prepare_import(
    upload: bytes,
    current: pd.DataFrame,
    communes: gpd.GeoDataFrame,
    mode: str = MODE_MERGE,
) -> Preview:
    """Validate an upload and compute the table that saving would write."""
    if mode not in (MODE_MERGE, MODE_REPLACE):
        raise ValueError(f"unknown mode {mode!r}")
    validation = schema.read_structures(upload, set(communes["code"]))
    preview = Preview(problems=list(validation.problems), totals_before=totals(current))
    if not validation.ok:
        return preview
    incoming = validation.frame
    _, location_problems = locate_sites(incoming, communes)
    preview.problems.extend(location_problems)
    if location_problems:
        return preview
    if mode == MODE_MERGE:
        kept = current.loc[~current[s.ID].isin(incoming[s.ID])]
        new_table = pd.concat([kept, incoming], ignore_index=True)
    else:
        new_table = incoming.copy()
    new_table = new_table.drop(columns="_ligne", errors="ignore").reset_index(drop=True)
    # Re-validate the merged table as a whole (pool totals must stay consistent, ids unique).
    merged = schema.read_structures(
        schema.to_csv_text(new_table).encode("utf-8"), set(communes["code"])
    )
    if not merged.ok:
        # Line numbers of the merged table mean nothing to the user: name the sites instead.
        ids = new_table[s.ID].tolist()

        def site_of(line: int) -> str:
            return f"site « {ids[line - 2]} »" if 2 <= line < len(ids) + 2 else f"ligne {line}"

        for p in merged.errors:
            message = re.sub(r"ligne (\d+)", lambda m: "au " + site_of(int(m.group(1))), p.message)
            where = f" ({site_of(p.row)})" if p.row else ""
            preview.problems.append(
                Problem(
                    None, p.column, f"avec les données actuelles{where} : {message}", p.severity
                )
            )
        return preview
    before, after = _comparable(current), _comparable(merged.frame)
    preview.added = sorted(set(after.index) - set(before.index))
    preview.removed = sorted(set(before.index) - set(after.index))
    common = sorted(set(after.index) & set(before.index))
    preview.modified = [i for i in common if not after.loc[i].equals(before.loc[i])]
    preview.new_table = merged.frame
    preview.totals_after = totals(merged.frame)
    changed_ids = set(preview.added) | set(preview.modified)
    located, _ = locate_sites(merged.frame, communes)
    preview.sites = located.loc[located[s.ID].isin(changed_ids)]
    return preview


def save_structures(
    frame: pd.DataFrame,
    target: Path | None = None,
    backup_dir: Path | None = None,
    now: dt.datetime | None = None,
) -> Path | None:
    """Write the table atomically, keeping a timestamped backup; returns the backup path."""
    target = target or config.STRUCTURES_CSV
    backup_dir = backup_dir or config.BACKUP_DIR
    text = schema.to_csv_text(frame)
    # Refuse to write what could not be read back identically.
    check = schema.read_structures(text.encode("utf-8"))
    if not check.ok:
        raise SaveError(
            "table invalide, enregistrement refusé : " + "; ".join(map(str, check.errors))
        )
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    backup = None
    tmp_path = None
    try:
        if target.exists():
            backup_dir.mkdir(parents=True, exist_ok=True)
            backup = backup_dir / f"{target.stem}-{stamp}.csv"
            backup.write_bytes(target.read_bytes())
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        tmp_path = Path(tmp)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
        tmp_path = None
    except OSError as exc:
        raise SaveError(
            f"enregistrement impossible ({exc}) : le fichier précédent est conservé"
        ) from exc
    finally:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
    return backup


def list_backups(backup_dir: Path | None = None) -> list[Path]:
    """Backups, newest first."""
    backup_dir = backup_dir or config.BACKUP_DIR
    return sorted(backup_dir.glob("*.csv"), reverse=True) if backup_dir.is_dir() else []


def restore_backup(
    backup: Path, target: Path | None = None, backup_dir: Path | None = None
) -> Path | None:
    """Put a backup back in service (the replaced file is itself backed up)."""
    validation = schema.read_structures(backup)
    if not validation.ok:
        raise SaveError("sauvegarde illisible : " + "; ".join(map(str, validation.errors)))
    return save_structures(validation.frame, target, backup_dir)


def admin_secret(secrets: dict | None = None) -> str | None:
    """The configured admin secret (Streamlit secrets, else environment), or None."""
    value = (secrets or {}).get("admin_secret") or os.environ.get("AISNEMAP_ADMIN_SECRET")
    return str(value) if value else None


def check_secret(given: str, expected: str | None) -> bool:
    """Constant-time comparison; always False when no secret is configured."""
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """List or restore backups from the command line."""
    parser = argparse.ArgumentParser(description="Sauvegardes de structures.csv")
    parser.add_argument("--list", action="store_true", help="lister les sauvegardes")
    parser.add_argument("--restore", type=Path, help="remettre en service une sauvegarde")
    args = parser.parse_args(argv)
    if args.restore:
        try:
            backup = restore_backup(args.restore)
        except SaveError as exc:
            print(f"ÉCHEC : {exc}", file=sys.stderr)
            return 1
        print(f"restauré : {args.restore} -> {config.STRUCTURES_CSV} (ancien fichier : {backup})")
        return 0
    for path in list_backups():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
