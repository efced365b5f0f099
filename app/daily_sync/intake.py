"""A sync's import: the API source pulled, or the watch folder's new files read once.

A watch-folder file is new until a sync has imported it with that content: files are
known by path and SHA-256 (``sync_file``), so an export written under a new name, or the
same name rewritten with new rows, is read; a file already imported never is, and a file
rejected for errors is read again at every sync until it is corrected (the report says
so each time). New files are imported folder by folder (a registration system often
writes each day's export set in a folder of its own), oldest folder name first; a set
with an error stores nothing, stops the intake there and leaves the rest for later, as
``ledgerbridge import`` does. A folder whose new files include one changed in the last
minute is left whole for the next sync, and the folders after it too: the set may still
be being written, and half a set would be rejected (a payment allocation without its
payment). Files that are not exports by their name — no record type and no rule of the
preset names them (a ``notes.txt``, a PDF) — are skipped and listed as ignored, never an
error (docs/decisions.md).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path
from typing import Any

import keyring.errors
from sqlalchemy import select

from app.daily_sync.problems import Problem
from app.daily_sync.source import SyncSourceSettings
from app.importers.issues import ImportIssue
from app.importers.mapping import (
    Preset,
    PresetError,
    canonical_type,
    find_preset,
    presets_dir,
)
from app.importers.pipeline import READABLE_SUFFIXES, ImportResult, import_paths, import_tables
from app.importers.store import known_records, store_import
from app.models.daily_sync import SyncFile
from app.models.database import Database

SETTLE_SECONDS = 60.0  # a file changed more recently than this is read by the next sync
SKIPPED_PREFIXES = (".", "~$")  # hidden files, Excel's lock files


@dataclass(frozen=True)
class FoundFile:
    path: Path
    sha256: str
    size: int


@dataclass
class Intake:
    """What a sync imported, and what it could not."""

    source: str
    batches: list[int] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)
    already_read: int = 0
    waiting: list[str] = field(default_factory=list)  # new files left for the next sync
    settling: list[str] = field(default_factory=list)  # of them, changed in the last minute
    ignored: list[str] = field(default_factory=list)  # not exports by their name: skipped
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # gone from a full export (kept)
    rejected_files: list[str] = field(default_factory=list)
    rejected_batch: int | None = None
    issues: list[ImportIssue] = field(default_factory=list)  # of the rejected set
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "batches": self.batches, "files_read": self.files_read,
                "already_read": self.already_read, "waiting": self.waiting,
                "settling": self.settling, "ignored": self.ignored,
                "counts": self.counts, "missing": self.missing,
                "rejected_files": self.rejected_files, "rejected_batch": self.rejected_batch,
                "errors": sum(1 for i in self.issues if i.is_error)}

    def add_counts(self, counts: dict[str, dict[str, int]]) -> None:
        for record_type, by_change in counts.items():
            mine = self.counts.setdefault(record_type, {})
            for change, n in by_change.items():
                mine[change] = mine.get(change, 0) + n


def take_in(database: Database, config_dir: Path, company_id: int,
            settings: SyncSourceSettings, *, settle_seconds: float = SETTLE_SECONDS,
            now: float | None = None) -> Intake:
    intake = Intake(settings.describe())
    try:
        preset = preset_for(settings, config_dir)
    except PresetError as exc:
        intake.problems.append(Problem("source_settings", str(exc)))
        return intake
    if settings.kind == "api":
        _from_api(database, config_dir, company_id, settings, preset, intake)
    else:
        _from_folder(database, company_id, settings, preset, intake,
                     settle_seconds, time.time() if now is None else now)
    return intake


def preset_for(settings: SyncSourceSettings, config_dir: Path) -> Preset | None:
    """The named preset (yours or a built-in one), with the export's date format."""
    preset = find_preset(presets_dir(config_dir), settings.preset) if settings.preset else None
    if settings.date_format:
        preset = replace(preset or Preset("sync source"), date_format=settings.date_format)
    return preset


def _from_api(database: Database, config_dir: Path, company_id: int,
              settings: SyncSourceSettings, preset: Preset | None, intake: Intake) -> None:
    from app.importers.api_source import ApiSource, ApiSourceError, load_source

    try:
        tables = ApiSource(load_source(config_dir / "sources", settings.location)).fetch_tables()
    except ApiSourceError as exc:
        intake.problems.append(Problem("source_unreachable", str(exc)))
        return
    except keyring.errors.KeyringError as exc:
        intake.problems.append(Problem("keyring", f"the API source's key could not be read "
                                                  f"from the keyring: {exc}"))
        return
    with database.session() as session:
        known = known_records(session, company_id)
    result = import_tables(tables, preset, known=known)
    _store(database, company_id, settings, result, [], "api", intake,
           [str(t.name) for t in tables])


def _from_folder(database: Database, company_id: int, settings: SyncSourceSettings,
                 preset: Preset | None, intake: Intake, settle_seconds: float,
                 now: float) -> None:
    folder = Path(settings.location)
    if not folder.is_dir():
        intake.problems.append(Problem("folder_missing", f"the watch folder {folder} does "
                                                         "not exist or cannot be opened"))
        return
    try:
        found = list(_files(folder, preset, intake.ignored))
    except OSError as exc:
        intake.problems.append(Problem("folder_missing", f"the watch folder {folder} cannot "
                                                         f"be read: {exc}"))
        return
    read = _already_read(database, company_id)
    held = False  # a folder still being written: it and the folders after it wait
    for _folder, group in groupby(found, key=lambda f: f[0].parent):
        new = _new_files(list(group), read, intake, settle_seconds, now)
        held = held or any(str(path) in intake.settling for path in new)
        if held:
            intake.waiting.extend(str(path) for path in new)
            continue
        files = [entry for entry in new.values() if entry is not None]
        if not files:
            continue
        with database.session() as session:
            known = known_records(session, company_id)
        result = import_paths([f.path for f in files], preset, sheet=settings.sheet,
                              known=known)
        kind = "xlsx" if any(f.path.suffix.lower() in (".xlsx", ".xlsm") for f in files) \
            else "csv"
        if not _store(database, company_id, settings, result, files, kind, intake,
                      [str(f.path) for f in files]):
            break


def _new_files(found: list[tuple[Path, os.stat_result]], read: set[tuple[str, str]],
               intake: Intake, settle_seconds: float, now: float
               ) -> dict[Path, FoundFile | None]:
    """One folder's files not read before (None: changed in the last minute, not hashed
    — it may still be being written; it is noted in ``intake.settling``)."""
    new: dict[Path, FoundFile | None] = {}
    for path, stat in found:
        if now - stat.st_mtime < settle_seconds:
            intake.settling.append(str(path))
            new[path] = None
            continue
        entry = FoundFile(path, _sha256(path), stat.st_size)
        if (str(path), entry.sha256) in read:
            intake.already_read += 1
        else:
            new[path] = entry
    return new


def _store(database: Database, company_id: int, settings: SyncSourceSettings,
           result: ImportResult, files: list[FoundFile], kind: str, intake: Intake,
           names: list[str]) -> bool:
    """Store one file set (all or nothing) and mark its files read; False if rejected."""
    with database.session() as session:
        summary = store_import(session, result, full=settings.full_export, user=_user(),
                               source_kind=kind, preset=settings.preset,
                               company_id=company_id)
        if result.ok:
            session.add_all(SyncFile(company_id=company_id, path=str(f.path),
                                     sha256=f.sha256, size=f.size,
                                     import_batch_id=summary.batch_id) for f in files)
    if not result.ok:
        intake.rejected_files, intake.rejected_batch = names, summary.batch_id
        intake.issues = list(result.issues)
        errors = len(result.errors)
        intake.problems.append(Problem(
            "invalid_files", f"{errors} error(s) in {', '.join(Path(n).name for n in names)}"
            f": nothing of {'them' if len(names) > 1 else 'it'} was imported (import "
            f"{summary.batch_id}, rejected); first: {result.errors[0].as_text()}"))
        return False
    intake.batches.append(summary.batch_id)
    intake.files_read.extend(names)
    intake.add_counts(summary.counts)
    intake.missing.extend(summary.missing)
    return True


def _files(folder: Path, preset: Preset | None, ignored: list[str]
           ) -> Iterator[tuple[Path, os.stat_result]]:
    """The exports under ``folder`` (sub-folders too), folder by folder in name order;
    other files go to ``ignored`` (hidden files and Excel's lock files: silently)."""
    for root, dirs, names in os.walk(folder, onerror=_raise):
        dirs[:] = sorted(d for d in dirs if not d.startswith(SKIPPED_PREFIXES))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(SKIPPED_PREFIXES):
                continue
            if not is_export(path, preset):
                ignored.append(str(path))
                continue
            yield path, path.stat()


def is_export(path: Path, preset: Preset | None) -> bool:
    """A file the import can read: a CSV or Excel file whose name says its record type
    (``payments.csv``) or that a rule of the preset matches — what the import itself
    goes by; anything else it would refuse as an unknown kind of file."""
    if path.suffix.lower() not in READABLE_SUFFIXES:
        return False
    return canonical_type(path.stem) is not None or (
        preset is not None and preset.rule_for(path.name) is not None)


def _raise(error: OSError) -> None:
    raise error


def _already_read(database: Database, company_id: int) -> set[tuple[str, str]]:
    with database.session() as session:
        return {(path, digest) for path, digest in session.execute(
            select(SyncFile.path, SyncFile.sha256).where(SyncFile.company_id == company_id))}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _user() -> str:
    try:
        return f"{getpass.getuser()} (sync)"
    except (KeyError, OSError):
        return "sync"
