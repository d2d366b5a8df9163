"""Wave import: validate an uploaded table, preview the changes, save atomically.

Saving happens under an exclusive lock (``fcntl.flock`` on a lock file beside
``structures.csv``) and only if the served file is still the version the preview was
computed against: two officials confirming at the same moment never lose an import, the
second one is told the file changed. The new file is written to a temporary file, flushed
to disk, the previous file is kept as a checksummed backup, then the new file is renamed
over the old one (``os.replace`` is atomic on one file system): readers see the old or the
new table, never a mix, and a failed save leaves the served file untouched.

Command line (French output; exit code 0 when saved or when a dry run is clean)::

    python -m aisnemap.admin.importer --list
    python -m aisnemap.admin.importer --import FICHIER --mode fusion|remplacement [--oui]
    python -m aisnemap.admin.importer --restore data/sauvegardes/structures-….csv [--oui]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from aisnemap import config
from aisnemap.domain import schema
from aisnemap.domain import schema as s
from aisnemap.domain.departements import announced_context
from aisnemap.domain.schema import Problem
from aisnemap.domain.territory import MissingDataError, load_territory, locate_sites
from aisnemap.storage import clean_temp_files as clean_leftovers
from aisnemap.storage import write_file_atomic

MODE_MERGE = "fusion"
MODE_REPLACE = "remplacement"
_COMPARED = [c for c in s.COLUMNS if c != s.ID]
#: Backups kept: the newest ``KEEP_LAST``, plus the newest of each day for ``KEEP_DAYS``.
KEEP_LAST = 50
KEEP_DAYS = 90
ABSENT = "absent"


class SaveError(RuntimeError):
    """The new table could not be saved; the previous one is still served (French text)."""


class ConflictError(SaveError):
    """The served file changed since the preview: nothing was written."""


@dataclass
class Preview:
    """What an import would change, and every problem that prevents it."""

    problems: list[Problem] = field(default_factory=list)
    new_table: pd.DataFrame | None = None
    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: For each modified site: (column, before, after) of every field that changes.
    changes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    totals_before: dict[str, int] = field(default_factory=dict)
    totals_after: dict[str, int] = field(default_factory=dict)
    sites: gpd.GeoDataFrame | None = None
    #: Version (SHA-256) of the served file the preview was computed against.
    base_version: str | None = None
    #: Exact bytes to write instead of ``new_table`` (a restored backup is put back as is).
    raw: bytes | None = None

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


@dataclass(frozen=True)
class Served:
    """The served table as read from disk, with the version it was read at."""

    frame: pd.DataFrame
    version: str
    problems: list[Problem]


def version_of(raw: bytes | None) -> str:
    """Version of a file's content (SHA-256), ``absent`` for no file."""
    return ABSENT if raw is None else hashlib.sha256(raw).hexdigest()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def read_served(target: Path | None = None, known_insee: set[str] | None = None) -> Served:
    """The served table (empty when absent or invalid) and its version, read in one go."""
    target = target or config.STRUCTURES_CSV
    raw = _read_bytes(target)
    if raw is None:
        return Served(schema.empty_frame(), ABSENT, [])
    validation = schema.read_structures(raw, known_insee)
    frame = validation.frame if validation.ok else schema.empty_frame()
    return Served(
        frame.drop(columns="_ligne", errors="ignore"), version_of(raw), validation.problems
    )


def totals(frame: pd.DataFrame) -> dict[str, int]:
    """Sites, advisors, sites with an unpublished count and communes of a table."""
    count = schema.count_advisors(frame)
    return {
        "sites": len(frame),
        "conseillers": count.total,
        "effectif_non_publie": count.unknown_sites,
        "communes": int(frame[s.INSEE].nunique()) if len(frame) else 0,
    }


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.set_index(s.ID)[_COMPARED].copy()
    return out.astype(object).where(out.notna(), None)


def _shown(value: object) -> str:
    if value is None:
        return "(vide)"
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value) if str(value) else "(vide)"


def _field_changes(before: pd.Series, after: pd.Series) -> list[tuple[str, str, str]]:
    return [
        (column, _shown(before[column]), _shown(after[column]))
        for column in _COMPARED
        if before[column] != after[column]
    ]


def _merged_problems(merged: schema.Validation, ids: list[str]) -> list[Problem]:
    """Problems of the merged table, naming sites: its line numbers mean nothing to the user."""

    def site_of(line: int) -> str:
        return f"site « {ids[line - 2]} »" if 2 <= line < len(ids) + 2 else f"ligne {line}"

    out = []
    for p in merged.errors:
        message = p.message
        for number in sorted({int(n) for n in _LINE.findall(message)}, reverse=True):
            message = message.replace(f"ligne {number}", "au " + site_of(number))
        where = f" ({site_of(p.row)})" if p.row else ""
        out.append(Problem(None, p.column, f"avec les données actuelles{where} : {message}"))
    return out


_LINE = re.compile(r"ligne (\d+)")


def prepare_import(
    upload: bytes,
    current: pd.DataFrame,
    communes: gpd.GeoDataFrame,
    mode: str = MODE_MERGE,
    base_version: str | None = None,
    *,
    metric_crs: str,
) -> Preview:
    """Validate an upload and compute the table that saving would write.

    ``base_version`` is the version of the served file ``current`` was read from; saving
    the preview refuses to overwrite any other version.
    """
    if mode not in (MODE_MERGE, MODE_REPLACE):
        raise ValueError(f"unknown mode {mode!r}")
    validation = schema.read_structures(upload, set(communes["code"]))
    preview = Preview(
        problems=list(validation.problems),
        totals_before=totals(current),
        base_version=base_version,
    )
    if not validation.ok:
        return preview
    incoming = validation.frame
    _, location_problems = locate_sites(incoming, communes, metric_crs)
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
        preview.problems.extend(_merged_problems(merged, new_table[s.ID].tolist()))
        return preview
    final = merged.frame.drop(columns="_ligne", errors="ignore")
    before, after = _comparable(current), _comparable(final)
    preview.added = sorted(set(after.index) - set(before.index))
    preview.removed = sorted(set(before.index) - set(after.index))
    for ident in sorted(set(after.index) & set(before.index)):
        changes = _field_changes(before.loc[ident], after.loc[ident])
        if changes:
            preview.modified.append(ident)
            preview.changes[ident] = changes
    preview.new_table = final
    preview.totals_after = totals(final)
    changed_ids = set(preview.added) | set(preview.modified)
    located, _ = locate_sites(final, communes, metric_crs)
    preview.sites = located.loc[located[s.ID].isin(changed_ids)]
    return preview


# --- saving -----------------------------------------------------------------------------


@contextlib.contextmanager
def locked(target: Path | None = None) -> Iterator[None]:
    """Exclusive lock shared by every process that writes ``target`` (blocking)."""
    target = target or config.STRUCTURES_CSV
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.parent / f".{target.name}.lock"
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _checksum_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".sha256")


def clean_temp_files(target: Path | None = None, backup_dir: Path | None = None) -> list[Path]:
    """Tidy what an interrupted save left, under the lock: temporary files removed, a
    checksum without its backup removed, a backup without its checksum finished (each file
    is renamed into place whole, so its bytes are complete). Returns what was removed."""
    target = target or config.STRUCTURES_CSV
    backup_dir = backup_dir or config.BACKUP_DIR
    with locked(target):
        removed = clean_leftovers([target.parent, backup_dir])
        if backup_dir.is_dir():
            for checksum in backup_dir.glob("*.csv.sha256"):
                if not checksum.with_name(checksum.name.removesuffix(".sha256")).is_file():
                    checksum.unlink(missing_ok=True)
                    removed.append(checksum)
            for backup in list_backups(backup_dir):
                if not _checksum_path(backup).is_file():
                    write_file_atomic(
                        _checksum_path(backup), _checksum_line(backup.read_bytes(), backup)
                    )
        return removed


def _checksum_line(raw: bytes, backup: Path) -> bytes:
    return f"{version_of(raw)}  {backup.name}\n".encode("ascii")


#: French reasons for the write errors a save may meet (never the system's English text).
_WRITE_ERRORS = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EFBIG: "fichier trop grand pour le système de fichiers",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EACCES: "droits d'écriture insuffisants",
    errno.EPERM: "droits d'écriture insuffisants",
    errno.EIO: "erreur matérielle d'entrée-sortie",
}


def write_error_reason(exc: OSError) -> str:
    """A write error in French (« disque plein »), with its system code for the log."""
    reason = _WRITE_ERRORS.get(exc.errno, "erreur d'écriture")
    name = errno.errorcode.get(exc.errno or 0)
    return f"{reason} ({name})" if name else reason


def _conflict_message(target: Path) -> str:
    try:
        when = dt.datetime.fromtimestamp(target.stat().st_mtime).strftime("%H:%M")
    except OSError:
        when = "—"
    return (
        f"le fichier des structures a été modifié par un autre import à {when} — rechargez "
        "l'aperçu : rien n'a été enregistré"
    )


def _save_locked(
    data: bytes,
    target: Path,
    backup_dir: Path,
    now: dt.datetime | None,
    expected_version: str | None,
) -> Path | None:
    current = _read_bytes(target)
    if expected_version is not None and version_of(current) != expected_version:
        raise ConflictError(_conflict_message(target))
    # Refuse to write what could not be read back.
    check = schema.read_structures(data)
    if not check.ok:
        raise SaveError(
            "table invalide, enregistrement refusé : " + "; ".join(map(str, check.errors))
        )
    moment = now or dt.datetime.now()
    backup = None
    try:
        if current is not None:
            backup_dir.mkdir(parents=True, exist_ok=True)
            backup = backup_dir / f"{target.stem}-{moment:%Y%m%d-%H%M%S-%f}.csv"
            # The checksum first: a backup never exists without the sum that verifies it
            # (a kill in between leaves a lone checksum, removed at the next start).
            write_file_atomic(_checksum_path(backup), _checksum_line(current, backup))
            write_file_atomic(backup, current)
        write_file_atomic(target, data)
    except OSError as exc:
        if backup is not None:  # a refused save leaves no backup behind
            backup.unlink(missing_ok=True)
            _checksum_path(backup).unlink(missing_ok=True)
        raise SaveError(
            f"enregistrement impossible ({write_error_reason(exc)}) : le fichier précédent "
            "est conservé"
        ) from exc
    rotate_backups(backup_dir, moment)
    return backup


def save_structures(
    frame: pd.DataFrame,
    target: Path | None = None,
    backup_dir: Path | None = None,
    now: dt.datetime | None = None,
    expected_version: str | None = None,
) -> Path | None:
    """Write the table atomically under the lock, keeping a backup; returns the backup path.

    With ``expected_version`` (the preview's ``base_version``) the save is refused with
    :class:`ConflictError` when the served file is no longer that version.
    """
    target = target or config.STRUCTURES_CSV
    backup_dir = backup_dir or config.BACKUP_DIR
    data = schema.to_csv_text(frame).encode("utf-8")
    with locked(target):
        return _save_locked(data, target, backup_dir, now, expected_version)


def commit(
    preview: Preview, target: Path | None = None, backup_dir: Path | None = None
) -> Path | None:
    """Save what a preview showed, only over the version it was computed against."""
    if not preview.ok:
        raise SaveError("aperçu invalide : rien n'est enregistré")
    if preview.raw is None:
        return save_structures(
            preview.new_table, target, backup_dir, expected_version=preview.base_version
        )
    target = target or config.STRUCTURES_CSV
    with locked(target):
        return _save_locked(
            preview.raw, target, backup_dir or config.BACKUP_DIR, None, preview.base_version
        )


# --- backups ----------------------------------------------------------------------------


def _stamp_of(path: Path) -> dt.datetime | None:
    parts = path.stem.split("-")
    try:
        return dt.datetime.strptime("-".join(parts[-3:]), "%Y%m%d-%H%M%S-%f")
    except ValueError:
        return None


def list_backups(backup_dir: Path | None = None) -> list[Path]:
    """Backups, newest first."""
    backup_dir = backup_dir or config.BACKUP_DIR
    return sorted(backup_dir.glob("*.csv"), reverse=True) if backup_dir.is_dir() else []


def verify_backup(backup: Path) -> str | None:
    """None when the backup matches its checksum, else the French reason it does not."""
    checksum = _checksum_path(backup)
    if not checksum.is_file():
        return "somme de contrôle absente : sauvegarde non vérifiable"
    expected = checksum.read_text(encoding="ascii", errors="replace").split()[:1]
    raw = _read_bytes(backup)
    if raw is None:
        return "fichier introuvable"
    if expected != [version_of(raw)]:
        return "somme de contrôle différente : sauvegarde tronquée ou modifiée"
    return None


def rotate_backups(
    backup_dir: Path | None = None,
    now: dt.datetime | None = None,
    keep_last: int = KEEP_LAST,
    keep_days: int = KEEP_DAYS,
) -> list[Path]:
    """Delete old backups: keep the newest ``keep_last`` and one a day for ``keep_days``."""
    # Only restorable backups count toward those kept; others are left for --list to show.
    backups = [b for b in list_backups(backup_dir) if verify_backup(b) is None]
    now = now or dt.datetime.now()
    keep = set(backups[:keep_last])
    days_seen: set[dt.date] = set()
    for backup in backups:  # newest first: the first of each day is that day's newest
        stamp = _stamp_of(backup)
        if stamp is None:
            keep.add(backup)  # not ours: never deleted
            continue
        if (now - stamp).days < keep_days and stamp.date() not in days_seen:
            days_seen.add(stamp.date())
            keep.add(backup)
    removed = [b for b in backups if b not in keep]
    for backup in removed:
        backup.unlink(missing_ok=True)
        _checksum_path(backup).unlink(missing_ok=True)
    return removed


def backup_for_restore(backup: Path, backup_dir: Path | None = None) -> bytes:
    """The bytes of a backup that may be restored; SaveError (French) otherwise."""
    backup_dir = (backup_dir or config.BACKUP_DIR).resolve()
    path = Path(backup).resolve()
    if path.parent != backup_dir or path.suffix != ".csv":
        raise SaveError(
            f"seules les sauvegardes du dossier {backup_dir} peuvent être restaurées "
            f"(reçu : {backup})"
        )
    reason = verify_backup(path)
    if reason:
        raise SaveError(f"sauvegarde refusée ({path.name}) : {reason}")
    return path.read_bytes()


def prepare_restore(
    backup: Path,
    communes: gpd.GeoDataFrame,
    target: Path | None = None,
    backup_dir: Path | None = None,
    *,
    metric_crs: str,
) -> Preview:
    """The preview of putting a backup back in service (same validation as an import)."""
    raw = backup_for_restore(backup, backup_dir)
    served = read_served(target, set(communes["code"]))
    preview = prepare_import(
        raw, served.frame, communes, MODE_REPLACE, served.version, metric_crs=metric_crs
    )
    preview.raw = raw
    return preview


def restore_backup(
    backup: Path,
    communes: gpd.GeoDataFrame,
    target: Path | None = None,
    backup_dir: Path | None = None,
    *,
    metric_crs: str,
) -> Path | None:
    """Validate a backup like an import and put it back in service (the replaced file is
    itself backed up); returns that new backup."""
    preview = prepare_restore(backup, communes, target, backup_dir, metric_crs=metric_crs)
    if not preview.ok:
        raise SaveError(
            "sauvegarde invalide : "
            + "; ".join(str(p) for p in preview.problems if p.severity == s.ERROR)
        )
    return commit(preview, target, backup_dir)


# --- command line -----------------------------------------------------------------------


def preview_lines(preview: Preview) -> list[str]:
    """The preview as printed by the command line (French)."""
    lines = [f"- {p}" for p in preview.problems]
    if not preview.ok:
        return ["Import refusé :", *lines]
    if lines:
        lines.insert(0, "Avertissements :")
    before, after = preview.totals_before, preview.totals_after
    for key, label in (
        ("sites", "sites"),
        ("conseillers", "conseillers"),
        ("communes", "communes"),
    ):
        lines.append(f"{label} : {before.get(key, 0)} → {after[key]}")
    if after.get("effectif_non_publie"):
        lines.append(f"sites à effectif non publié : {after['effectif_non_publie']}")
    for label, ids in (
        ("ajoutés", preview.added),
        ("modifiés", preview.modified),
        ("retirés", preview.removed),
    ):
        lines.append(f"{label} ({len(ids)}) : {', '.join(ids) if ids else '—'}")
    for ident, changes in preview.changes.items():
        for column, old, new in changes:
            lines.append(f"  {ident} · {column} : {old} → {new}")
    return lines


@dataclass(frozen=True)
class Outcome:
    """Result of a command-line import or restore: exit code and French lines."""

    code: int
    lines: list[str]


def import_file(
    path: Path,
    mode: str,
    confirm: bool,
    communes: gpd.GeoDataFrame,
    target: Path | None = None,
    backup_dir: Path | None = None,
    *,
    metric_crs: str,
) -> Outcome:
    """Preview an import of ``path`` and, with ``confirm``, save it.

    The read of the served file, the preview and the save happen under the lock, so two
    concurrent imports are applied one after the other and neither is lost.
    """
    target = target or config.STRUCTURES_CSV
    backup_dir = backup_dir or config.BACKUP_DIR
    raw = _read_bytes(Path(path))
    if raw is None:
        return Outcome(2, [f"fichier introuvable : {path}"])
    with locked(target):
        served = read_served(target, set(communes["code"]))
        if served.problems and any(p.severity == s.ERROR for p in served.problems):
            return Outcome(1, ["le fichier servi est invalide : restaurez une sauvegarde d'abord"])
        preview = prepare_import(
            raw, served.frame, communes, mode, served.version, metric_crs=metric_crs
        )
        lines = preview_lines(preview)
        if not preview.ok:
            return Outcome(1, lines)
        if not preview.changed:
            return Outcome(0, [*lines, "Aucun changement : rien n'est écrit."])
        if not confirm:
            return Outcome(0, [*lines, "Aperçu seulement : rien n'est écrit (ajoutez --oui)."])
        try:
            data = schema.to_csv_text(preview.new_table).encode("utf-8")
            backup = _save_locked(data, target, backup_dir, None, served.version)
        except SaveError as exc:
            return Outcome(1, [*lines, f"ÉCHEC : {exc}"])
    return Outcome(0, [*lines, f"Import enregistré. Sauvegarde : {backup or '—'}"])


def main(argv: list[str] | None = None) -> int:
    """Import, list or restore from the command line."""
    parser = argparse.ArgumentParser(description="Import et sauvegardes de structures.csv")
    parser.add_argument("--list", action="store_true", help="lister les sauvegardes")
    parser.add_argument("--import", dest="upload", type=Path, help="fichier CSV à importer")
    parser.add_argument("--mode", choices=(MODE_MERGE, MODE_REPLACE), default=MODE_MERGE)
    parser.add_argument("--restore", type=Path, help="remettre en service une sauvegarde")
    parser.add_argument("--oui", action="store_true", help="enregistrer (sinon : aperçu)")
    args = parser.parse_args(argv)
    # What a killed command left (temporary files, a backup's unfinished checksum).
    clean_temp_files()
    if args.list:
        for path in list_backups():
            stamp = _stamp_of(path)
            when = f"{stamp:%d/%m/%Y %H:%M:%S}" if stamp else "date inconnue"
            print(f"{path}  {when}  {verify_backup(path) or 'vérifiée'}")
        return 0
    if not (args.upload or args.restore):
        parser.print_usage(sys.stderr)
        return 2
    try:
        # The import edits the structures file of the département that has one.
        context = announced_context()
        territory = load_territory(context)
    except MissingDataError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 2
    communes, metric_crs = territory.communes, territory.metric_crs
    if args.upload:
        outcome = import_file(args.upload, args.mode, args.oui, communes, metric_crs=metric_crs)
        print("\n".join(outcome.lines), file=sys.stdout if outcome.code == 0 else sys.stderr)
        return outcome.code
    try:
        preview = prepare_restore(args.restore, communes, metric_crs=metric_crs)
    except SaveError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 1
    print("\n".join(preview_lines(preview)))
    if not preview.ok:
        return 1
    if not args.oui:
        print("Aperçu seulement : rien n'est restauré (ajoutez --oui).")
        return 0
    try:
        backup = commit(preview)
    except SaveError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 1
    print(f"restauré : {args.restore} -> {config.STRUCTURES_CSV} (ancien fichier : {backup})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
