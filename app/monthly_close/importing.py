"""The close's Import step: the month's exports checked and stored, all or nothing.

Exactly what ``ledgerbridge import`` does, with the importer's own functions: files
(a dropped folder gives its readable files, ``app.setup.source.readable``) or the
company's API source are read with the company's last column-mapping preset, validated
against what is stored (``known_records``) and stored by ``store_import``, which stores
nothing when any error was found (the batch is recorded as rejected). The outcome says
what is new, changed, unchanged and missing since the last import.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from app.importers.api_source import ApiSource, load_source
from app.importers.issues import ImportIssue, write_issues_csv
from app.importers.mapping import Preset, find_preset, presets_dir
from app.importers.pipeline import ImportResult, import_paths, import_tables
from app.importers.store import StoreSummary, known_records, store_import
from app.models.database import Database
from app.progress import Progress
from app.setup.source import api_sources_dir, readable
from app.yielding import release

COUNT_KINDS = ("new", "changed", "unchanged", "missing")


@dataclass(frozen=True)
class ImportRequest:
    paths: tuple[Path, ...] = ()
    api_name: str | None = None  # fetch from this API source instead of files
    full: bool = False  # a full export: report stored records it no longer has
    preset: str | None = None  # the column-mapping preset (the company's last one)

    @property
    def what(self) -> str:
        if self.api_name:
            return f"the API source {self.api_name}"
        return names_text([p.name for p in self.paths])


def names_text(names: list[str]) -> str:
    """``a.csv, b.csv, c.csv and 6 more``: a few names, and how many others."""
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


@dataclass(frozen=True)
class TypeCounts:
    record_type: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0


@dataclass(frozen=True)
class ImportOutcome:
    request: ImportRequest
    files: tuple[str, ...]  # what was read
    errors: tuple[ImportIssue, ...]
    warnings: tuple[ImportIssue, ...]
    counts: tuple[TypeCounts, ...]
    missing: tuple[str, ...]  # "payment:PAY-7": in the last full export, not in this one
    batch_id: int
    changed: tuple[str, ...] = ()  # "customer:FAM-1": stored before, different now

    @property
    def ok(self) -> bool:
        return not self.errors

    def total(self, kind: str) -> int:
        return sum(getattr(c, kind) for c in self.counts)

    @property
    def headline(self) -> str:
        if not self.ok:
            return (f"{len(self.errors)} error(s) in {self.error_files}: nothing was "
                    "imported. Correct the export (or the column mapping) and import again.")
        new, changed, unchanged = (self.total(k) for k in ("new", "changed", "unchanged"))
        missing = (f"; {len(self.missing)} record(s) of the last full export are missing "
                   "(kept, never deleted)") if self.missing else ""
        shown = ", ".join(k.replace(":", " ", 1) for k in self.changed[:5])
        more = f" and {len(self.changed) - 5} more" if len(self.changed) > 5 else ""
        which = f" Changed: {shown}{more}." if shown else ""
        return (f"Imported {self.request.what}: {new} new, {changed} changed, {unchanged} "
                f"unchanged record(s){missing}.{which}")

    @property
    def error_files(self) -> str:
        """The files (or API tables) the errors are in, not every file of the request."""
        names = list(dict.fromkeys(error.file for error in self.errors if error.file))
        if not names:
            return self.request.what
        listed = names_text(names)
        return f"{self.request.what} ({listed})" if self.request.api_name else listed

    def write_errors_csv(self, path: Path) -> None:
        """The error list for Excel (formula-like cells neutralised)."""
        write_issues_csv([*self.errors, *self.warnings], path)


def import_exports(database: Database, company_id: int, config_dir: Path,
                   request: ImportRequest, progress: Progress | None = None) -> ImportOutcome:
    """Check and store ``request``; raises ValueError when there is nothing to read."""
    preset = _preset(config_dir, request.preset)
    with database.session() as session:
        known = known_records(session, company_id)
    if request.api_name:
        if progress is not None:
            progress.report(0, 2, f"Reading the API source {request.api_name}…")
        config = load_source(api_sources_dir(config_dir), request.api_name)
        result, kind = import_tables(ApiSource(config).fetch_tables(), preset,
                                     known=known), "api"
    else:
        paths = readable(request.paths)
        if not paths:
            raise ValueError("none of these is a CSV or Excel export: "
                             + ", ".join(p.name for p in request.paths))
        if progress is not None:
            progress.report(0, 2, f"Checking {len(paths)} file(s)…")
        result = import_paths(paths, preset, known=known)
        kind = "xlsx" if any(p.suffix.lower() in (".xlsx", ".xlsm") for p in paths) else "csv"
    if progress is not None:
        progress.check()
        progress.report(1, 2, "Storing…" if result.ok else "Recording the rejected import…")
    with database.session() as session:
        summary = store_import(session, result, full=request.full, user=_user(),
                               source_kind=kind, preset=request.preset, company_id=company_id)
    outcome = outcome_of(request, result, summary)
    for records in result.records.values():
        release(records)  # in slices (app/yielding.py): a worker lets the window run
    return outcome


def outcome_of(request: ImportRequest, result: ImportResult,
               summary: StoreSummary) -> ImportOutcome:
    counts = tuple(TypeCounts(rtype, *(int(c.get(k, 0)) for k in COUNT_KINDS))
                   for rtype, c in sorted(summary.counts.items()))
    return ImportOutcome(request, tuple(str(f.get("path") or "") for f in result.files),
                         tuple(result.errors),
                         tuple(i for i in result.issues if not i.is_error), counts,
                         tuple(summary.missing), summary.batch_id, tuple(summary.changed))


def _preset(config_dir: Path, name: str | None) -> Preset | None:
    return find_preset(presets_dir(config_dir), name) if name else None


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
