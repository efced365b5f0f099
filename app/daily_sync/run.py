"""One unattended sync of one company: import, preview, post, report — never a question.

Under the company's posting lock for the whole of it (a post from the window, or a
second sync, cannot interleave: the sync waits for the lock up to ``wait`` seconds, then
stops and says so); the import from the company's sync source; then the post of every
record dated up to yesterday (the last complete day: today's records go with tomorrow's
sync, so a summary-style day is never posted half done) through ``post_period`` with
``confirm=None``: what would need the bookkeeper is held and reported — records dated in
QuickBooks' closed period (``hold``), records edited in QuickBooks, records the preview
holds back. Locked months are the planners' business as always (adjustments in the first
open period).

Whatever stops it — the lock, the source, invalid exports, the QuickBooks connection,
an unexpected error — nothing imported is lost (an import is stored whole or not at all),
nothing is posted from a failed import, and the report is filed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import keyring.errors

from app.config import AppPaths
from app.daily_sync.intake import SETTLE_SECONDS, take_in
from app.daily_sync.problems import Problem
from app.daily_sync.reports import SyncReport, begin_sync, record_sync, write_report_files
from app.daily_sync.source import load_sync_source
from app.models.base import utcnow
from app.models.company import Company
from app.models.database import Database
from app.progress import Cancelled, CancelToken, PostProgress
from app.sync.posting_lock import HeldLock, PostingLocked, posting_lock
from app.write_session import ClientOpener

log = logging.getLogger(__name__)

DEFAULT_WAIT = 600.0  # seconds a sync waits for a post in the window to finish
PROBLEMS_LISTED = 10


@dataclass(frozen=True)
class SyncOptions:
    trigger: str = "manual"  # "scheduled" when the operating system's scheduler runs it
    through: date | None = None  # post records dated up to this day; None: yesterday
    wait: float = DEFAULT_WAIT
    settle_seconds: float = SETTLE_SECONDS
    progress: Callable[[PostProgress], None] | None = None
    cancel: CancelToken | None = None


def sync_company(database: Database, paths: AppPaths, company_id: int,
                 options: SyncOptions = SyncOptions(), *,
                 open_client: ClientOpener | None = None, today: date | None = None
                 ) -> SyncReport:
    """Sync one company and file the report (returned); never raises for what a sync
    can meet — a problem becomes part of the report."""
    with database.session() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise LookupError(f"there is no company {company_id}")
        session.expunge(company)
    report = SyncReport(company.id, company.name, options.trigger)
    try:
        with posting_lock(database, company.id, company.name, wait=options.wait) as held:
            begin_sync(database, report)
            _sync(database, paths, company, report, options, held, open_client,
                  today or date.today())
    except PostingLocked as exc:
        report.problems.append(Problem("posting_locked", f"{exc} (this sync waited "
                                                         f"{_minutes(options.wait)})"))
    except Cancelled:  # Sync now's Cancel, met while waiting (a back-off, the rate limit)
        report.problems.append(Problem("cancelled", "the sync was cancelled before it "
                                                    "finished"))
    except Exception as exc:  # the report is filed whatever happened
        log.exception("the sync of %s stopped", company.name)
        report.problems.append(Problem("unexpected", f"{type(exc).__name__}: {exc}"))
    report.finished_at = utcnow()
    _file(database, paths, report)
    return report


def _sync(database: Database, paths: AppPaths, company: Company, report: SyncReport,
          options: SyncOptions, held: HeldLock, open_client: ClientOpener | None,
          today: date) -> None:
    settings = load_sync_source(database, company.id)
    if settings is None:
        report.problems.append(Problem("no_source", f"{company.name} has no sync source"))
        return
    report.source = settings.as_dict()
    intake = take_in(database, paths.config_dir, company.id, settings,
                     settle_seconds=options.settle_seconds)
    report.intake = intake
    if intake.ignored:
        report.notes.append(f"{len(intake.ignored)} file(s) in the watch folder are not "
                            "exports by their name and were ignored (listed above)")
    if not intake.ok:
        report.problems.extend(intake.problems)
        return
    report.through = options.through or today - timedelta(days=1)
    if company.connection_state != "connected":
        report.problems.append(Problem("reconnect", _not_connected(company)))
        return
    _post(database, paths, company, report, options, held, open_client)


def _not_connected(company: Company) -> str:
    if company.connection_state == "reauthorisation_needed":
        return (f"QuickBooks needs you to sign in again to {company.name} (its sign-in "
                "expired or was revoked)")
    if company.realm_id is None:
        return f"{company.name} is not connected to QuickBooks yet"
    return f"{company.name} is disconnected from QuickBooks"


def _post(database: Database, paths: AppPaths, company: Company, report: SyncReport,
          options: SyncOptions, held: HeldLock, open_client: ClientOpener | None) -> None:
    from app.company_data import NoCompanyData
    from app.company_session import company_client
    from app.posting import PostOptions, post_period
    from app.sync.errors import QboError
    from app.sync.tokens import KeyringUnavailable

    opener = open_client or (lambda: company_client(company, database, paths.data_dir))
    post_options = PostOptions(None, end=report.through, closed_period="hold", confirm=None,
                               progress=options.progress, cancel=options.cancel,
                               held_lock=held)
    try:
        result = post_period(database, company.id, company.name, opener, post_options)
    except NoCompanyData:
        report.notes.append(_nothing_yet(report))
        return
    except (KeyringUnavailable, keyring.errors.KeyringError) as exc:  # none, or locked
        report.problems.append(Problem("keyring", f"nothing was sent: {exc}"))
        return
    except QboError as exc:
        kind = "reconnect" if exc.kind in ("auth", "reauthorisation") else \
            "quickbooks_unreachable"
        report.problems.append(Problem(kind, f"nothing was sent: {exc}"))
        return
    except ValueError as exc:  # no mapping yet, a closed-period choice the sync cannot make
        report.problems.append(Problem("setup", str(exc)))
        return
    report.post = {**result.as_dict(), "preview": _preview(result.preview)}
    report.posting_run_id = result.run_id
    report.problems.extend(_post_problems(result))


def _nothing_yet(report: SyncReport) -> str:
    """No record imported yet, in the words of the company's sync source."""
    source = report.source or {}
    if source.get("kind") == "api":
        return (f"nothing to post yet: the API source {source.get('location')!r} has given "
                "no records so far; the next sync asks it again")
    held = " (the files held back are read by the next sync)" \
        if report.intake and report.intake.waiting else ""
    return (f"nothing to post yet: no export has been imported from the watch folder "
            f"{source.get('location')} so far{held}; the registration system's exports go "
            "there, and each sync reads the new ones")


def _post_problems(result: Any) -> list[Problem]:
    """What the post leaves for the bookkeeper, one problem per kind of thing to do."""
    problems = [Problem("preflight", f"{issue.message} (fix: {issue.fix})")
                for issue in result.stopping[:PROBLEMS_LISTED]]
    summary = result.summary
    if summary is None:
        return problems
    if summary.stopped:  # QuickBooks refused the authorisation mid-run
        problems.append(Problem("reconnect", summary.stopped))
    failed = summary.failed + summary.blocked + summary.in_doubt + len(result.recovery.gone)
    if failed:
        first = f"; first: {summary.failures[0][0]}: {summary.failures[0][1]}" \
            if summary.failures else ""
        problems.append(Problem("failed_records", f"{summary.failed} record(s) failed, "
                                f"{summary.blocked} blocked, {summary.in_doubt} in doubt"
                                f"{first}"))
    closed = len(result.decision.held)
    if closed:
        problems.append(Problem("held_records", f"{closed} record(s) dated in QuickBooks' "
                                "closed period were held"))
    edited = summary.held - closed
    if edited > 0:
        problems.append(Problem("edited_in_quickbooks", f"{edited} record(s) changed in "
                                "QuickBooks since they were posted were not overwritten"))
    if result.held_by_plan:
        problems.append(Problem("failed_records", f"{len(result.held_by_plan)} record(s) "
                                "held back by the preview's errors (e.g. an unmapped "
                                "program)"))
    if result.duplicates:
        problems.append(Problem("duplicates", f"{len(result.duplicates)} key(s) carried by "
                                "two QuickBooks records"))
    return problems


def _preview(preview: Any) -> dict[str, Any] | None:
    if preview is None:
        return None
    data = preview.as_dict()
    data["operations"] = len(preview.operations)
    return data


def _file(database: Database, paths: AppPaths, report: SyncReport) -> None:
    """The row first (its id names the files), then the files, then the row again."""
    try:
        record_sync(database, report)
    except Exception:  # e.g. the disk is full: the files may still be written
        log.exception("could not record the sync of %s in the database", report.company_name)
    try:
        write_report_files(report, paths.data_dir / "reports")
    except Exception:  # a fault of ours must not cost the row below
        log.exception("could not write the report of the sync of %s", report.company_name)
    try:
        record_sync(database, report)
    except Exception:
        log.exception("could not record the sync of %s in the database", report.company_name)


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"
