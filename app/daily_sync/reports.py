"""A sync's report: files in ``<data>/reports/`` and a row the app reads when it opens.

Each sync of a company leaves ``sync-<UTC time>-company<id>-<n>.json`` (everything, for
support and scripts), a ``.txt`` beside it (the same in words), and, when exports were
rejected, ``…-errors.csv`` (every error with file, row, column, value and reason, as the
import's error list). The ``sync_run`` row holds the status, the one-line message and the
problems with their fixes; ``history.py`` reads it for the app.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from app import __version__
from app.daily_sync.history import mark_interrupted
from app.daily_sync.intake import Intake
from app.daily_sync.problems import Problem
from app.importers.issues import write_issues_csv
from app.models.base import utcnow
from app.models.daily_sync import SyncRun
from app.models.database import Database

log = logging.getLogger(__name__)

EXIT_CODES = {"ok": 0, "attention": 1}  # anything else (failed): 2
# Problems after which the sync still did its work: the records named need the bookkeeper.
ATTENTION_KINDS = frozenset({"failed_records", "held_records", "edited_in_quickbooks",
                             "duplicates"})


@dataclass
class SyncReport:
    """One sync of one company, as it happens and as it is filed."""

    company_id: int
    company_name: str
    trigger: str  # "scheduled" | "manual"
    started_at: datetime = field(default_factory=utcnow)
    app_version: str = __version__
    sync_id: int | None = None
    finished_at: datetime | None = None
    source: dict[str, Any] | None = None
    intake: Intake | None = None
    through: date | None = None  # records dated up to this day were considered
    post: dict[str, Any] | None = None  # the post's report (preview summary included)
    posting_run_id: int | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    report_file: Path | None = None
    text_file: Path | None = None
    errors_file: Path | None = None

    @property
    def status(self) -> str:
        if self.finished_at is None:
            return "running"
        if any(p.kind not in ATTENTION_KINDS for p in self.problems):
            return "failed"
        return "attention" if self.problems else "ok"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.status, 2)

    @property
    def posted(self) -> int:
        return int((self.post or {}).get("counts", {}).get("posted", 0))

    @property
    def message(self) -> str:
        """One line in plain words: what the app's notice and the command's last line say."""
        imported = self._imported_words()
        if self.status == "failed":
            stop = next(p for p in self.problems if p.kind not in ATTENTION_KINDS)
            done = f"posted {self.posted} record(s), then stopped" if self.posted \
                else "posted nothing"
            return f"Sync of {self.company_name} {done}: {stop.message}"
        posted = f"posted {self.posted} record(s)" if self.posted else "nothing new to post"
        text = f"Sync of {self.company_name}: {imported}; {posted}"
        if self.problems:
            text += "; needs attention: " + "; ".join(p.message for p in self.problems)
        return text + "."

    def _imported_words(self) -> str:
        intake = self.intake
        held = f"{len(intake.waiting)} file(s) held back for the next sync because " \
            "exports are still being written" if intake and intake.waiting else ""
        if intake is None or not (intake.files_read or intake.batches):
            return f"no new exports ready ({held})" if held else "no new exports"
        new = sum(c.get("new", 0) for c in intake.counts.values())
        changed = sum(c.get("changed", 0) for c in intake.counts.values())
        return (f"imported {len(intake.files_read)} file(s) ({new} new, {changed} changed "
                "record(s))" + (f"; {held}" if held else ""))

    def as_dict(self) -> dict[str, Any]:
        return {
            "sync_id": self.sync_id, "company": {"id": self.company_id,
                                                 "name": self.company_name},
            "trigger": self.trigger, "status": self.status, "message": self.message,
            "exit_code": self.exit_code, "ledgerbridge_version": self.app_version,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "source": self.source, "import": self.intake.as_dict() if self.intake else None,
            "posted_through": self.through.isoformat() if self.through else None,
            "post": self.post, "posting_run_id": self.posting_run_id, "notes": self.notes,
            "problems": [p.as_dict() for p in self.problems],
            "files": {"report": _str(self.report_file), "text": _str(self.text_file),
                      "errors": _str(self.errors_file)},
        }

    def as_text(self) -> str:
        lines = [self.message, "",
                 f"Company: {self.company_name} (id {self.company_id})",
                 f"Started: {local_time(self.started_at, seconds=True)} ({self.trigger}), "
                 f"Ledgerbridge {self.app_version}"]
        if self.source:
            lines.append(f"Source: {self.source.get('kind')} {self.source.get('location')}")
        if self.intake:
            lines += _intake_lines(self.intake)
        if self.through:
            lines.append(f"Records considered: dated up to {self.through.isoformat()}")
        if self.post:
            lines += _post_lines(self.post)
        lines += [f"Note: {note}" for note in self.notes]
        for problem in self.problems:
            lines += [f"PROBLEM ({problem.kind}): {problem.message}", f"  What to do: "
                      f"{problem.fix}"]
        if self.errors_file:
            lines.append(f"Every error of the rejected exports: {self.errors_file}")
        return "\n".join(lines) + "\n"


def _intake_lines(intake: Intake) -> list[str]:
    lines = [f"Read from {intake.source}: {len(intake.files_read)} new, "
             f"{intake.already_read} already imported before"]
    lines += [f"  imported {name}" for name in intake.files_read]
    for record_type, counts in sorted(intake.counts.items()):
        lines.append(f"  {record_type}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    lines += [f"  left for the next sync: {n} ({_why_waiting(n, intake)})"
              for n in intake.waiting]
    lines += [f"  ignored (not an export by its name): {n}" for n in intake.ignored]
    lines += [f"  missing from this full export (kept, not deleted): {k}"
              for k in intake.missing]
    lines += [f"  REJECTED {name}" for name in intake.rejected_files]
    lines += [f"    {issue.as_text()}" for issue in intake.issues[:20]]
    if len(intake.issues) > 20:
        lines.append(f"    … and {len(intake.issues) - 20} more (see the errors file)")
    return lines


def _why_waiting(name: str, intake: Intake) -> str:
    if name in intake.settling:
        return "still being written"
    parent = Path(name).parent
    if any(Path(n).parent == parent for n in intake.settling):
        return "another file of its folder is still being written"
    return "an earlier folder is still being written"


def _post_lines(post: dict[str, Any]) -> list[str]:
    preview = post.get("preview") or {}
    lines = [f"Preview: {preview.get('operations', 0)} operation(s), debits "
             f"{preview.get('total_debits', '0.00')} = credits "
             f"{preview.get('total_credits', '0.00')}"]
    counts = post.get("counts") or {}
    if counts:
        lines.append("Posting run {}: {}".format(
            post.get("run_id"), ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))))
    lines += [f"  FAILED {f['key']}: {f['message']}" for f in post.get("failures", [])[:20]]
    lines += [f"  HELD (closed period) {key}" for key in list(post.get("held") or [])[:20]]
    return lines


def _str(path: Path | None) -> str | None:
    return str(path) if path else None


def local_time(moment: datetime, *, seconds: bool = False) -> str:
    """A stored UTC time in this computer's time and zone, as ``schedule on --at`` is
    given (a time without a zone is taken as UTC, as the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    zone = local.tzname() or local.strftime("UTC%z")
    return f"{local:%Y-%m-%d %H:%M{':%S' if seconds else ''}} {zone}"


# -- filing -------------------------------------------------------------------------------

def text_beside(report_file: str | Path) -> Path:
    """The report in words, filed beside its JSON (the sync's row names only the JSON)."""
    return Path(report_file).with_suffix(".txt")


def write_report_files(report: SyncReport, reports_dir: Path) -> None:
    """The JSON, the text and (rejected exports) the error list; a disk problem becomes a
    problem of the report rather than the end of the sync's record."""
    stem = f"sync-{report.started_at:%Y%m%dT%H%M%SZ}-company{report.company_id}"
    if report.sync_id is not None:
        stem += f"-{report.sync_id}"
    try:
        reports_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if report.intake and report.intake.issues:
            report.errors_file = reports_dir / f"{stem}-errors.csv"
            write_issues_csv(report.intake.issues, report.errors_file)
        report.report_file = reports_dir / f"{stem}.json"
        report.text_file = text_beside(report.report_file)
        report.text_file.write_text(report.as_text(), encoding="utf-8")
        report.report_file.write_text(
            json.dumps(report.as_dict(), indent=2, sort_keys=True, default=str) + "\n",
            encoding="utf-8")
    except OSError as exc:
        log.error("could not write the sync report in %s: %s", reports_dir, exc)
        report.problems.append(Problem("storage", f"the report could not be written in "
                                                  f"{reports_dir}: {exc}"))
        report.report_file = report.text_file = None


def begin_sync(database: Database, report: SyncReport) -> int:
    """The sync's row, written under the company's lock; a row another sync left
    "running" is marked interrupted (its process died: it no longer holds the lock)."""
    with database.session() as session:
        mark_interrupted(session, report.company_id)
        row = SyncRun(company_id=report.company_id, trigger=report.trigger,
                      started_at=report.started_at, status="running", message="",
                      problems=[], imported={}, counts={}, app_version=report.app_version)
        session.add(row)
        session.flush()
        report.sync_id = row.id
        return row.id


def record_sync(database: Database, report: SyncReport) -> None:
    """Write the finished sync's row (a new one when it never got the lock)."""
    with database.session() as session:
        row = session.get(SyncRun, report.sync_id) if report.sync_id else None
        if row is None:
            row = SyncRun(company_id=report.company_id, trigger=report.trigger,
                          started_at=report.started_at, app_version=report.app_version)
            session.add(row)
        row.finished_at, row.status, row.message = (report.finished_at, report.status,
                                                     report.message)
        row.problems = [p.as_dict() for p in report.problems]
        row.imported = report.intake.as_dict() if report.intake else {}
        row.posting_run_id = report.posting_run_id
        row.counts = dict((report.post or {}).get("counts") or {})
        row.report_file = _str(report.report_file)
        session.flush()
        report.sync_id = row.id
