"""The close's Post and Result: the post itself, its progress in words, what it did,
and the reconciliation run after it, exportable with the run's manifest.

``post_month`` is ``app.posting.post_period`` (what ``ledgerbridge post`` calls) with
the screen's choices: the explicit Post button after the preview is the confirmation,
so no question is asked inside. The reconciliation reads QuickBooks itself
(``app.reconciliation.reconcile``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from app.accounting.preview import Preview
from app.company_session import company_client
from app.importers.pipeline import collector_paused
from app.models.company import Company
from app.models.database import Database
from app.monthly_close.exports import Cell, Sheet, write_tables
from app.plan.plan import Period
from app.posting import ClientOpener, PostOptions, PostReport, post_period
from app.progress import CancelToken, PostProgress
from app.reconciliation import Reconciliation, reconcile
from app.sync.closed_period import ClosedPeriodDecision
from app.sync.runs import MANIFEST_COLUMNS, Manifest, load_manifest


def company_opener(database: Database, company_id: int, data_dir: Path
                   ) -> tuple[str, ClientOpener]:
    """The company's name and a client opener (the demo starts its simulator)."""
    with database.session() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise LookupError(f"there is no company {company_id}")
        session.expunge(company)
    return company.name, lambda: company_client(company, database, data_dir)


def post_month(database: Database, company_id: int, data_dir: Path, period: Period,
               closed_period: str, export_file: Path | None,
               report: Callable[[PostProgress], None], cancel: CancelToken) -> PostReport:
    """Post ``period``; raises ``PostingLocked`` when another post of the company runs."""
    name, opener = company_opener(database, company_id, data_dir)
    planning = ExitStack()
    planning.enter_context(collector_paused())  # recovery and the plan: see below

    def planned(_preview: Preview, _decision: ClosedPeriodDecision) -> bool:
        # The bookkeeper's Post after the preview was the question: this only marks the
        # plan made. Built with the collector paused, the plan is kept frozen (in the
        # desktop app) while it is sent, so no full collection walks it mid-post.
        planning.close()
        return True

    with planning:
        return post_period(database, company_id, name, opener, PostOptions(
            period, progress=report, cancel=cancel, closed_period=closed_period,
            export_file=export_file, confirm=planned))


def reconcile_month(database: Database, company_id: int, data_dir: Path,
                    period: Period) -> Reconciliation:
    _name, opener = company_opener(database, company_id, data_dir)
    with collector_paused():  # every record of the period, read back: no pauses meanwhile
        return reconcile(database, company_id, opener, period)


# -- progress ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ProgressView:
    counts: str
    current: str
    rate: str
    left: str
    failed: str


def progress_view(progress: PostProgress) -> ProgressView:
    percent = int(progress.fraction * 100)
    rate = (f"{progress.rate_per_minute:,.0f} a minute" if progress.rate_per_minute
            else "measuring…")
    left = duration(progress.seconds_left) if progress.seconds_left is not None else "…"
    return ProgressView(f"{progress.done:,} of {progress.total:,} done ({percent} %)",
                        progress.current or "…", rate, left,
                        f"{progress.failed:,}" if progress.failed else "none")


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(seconds, 1):.0f} s"
    if seconds < 90 * 60:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"


# -- the result -------------------------------------------------------------------------
def result_counts(report: PostReport) -> tuple[tuple[str, int], ...]:
    summary = report.summary
    if summary is None:
        return ()
    return (("Posted", summary.posted), ("Already in QuickBooks (kept)", summary.adopted),
            ("Failed", summary.failed), ("Blocked (wait for a failed record)", summary.blocked),
            ("Held (closed period or edited in QuickBooks)", summary.held),
            ("Not sent (cancelled): the next Post sends them", summary.cancelled),
            ("In doubt (sent, no answer): the next Post looks them up first", summary.in_doubt))


def result_headline(report: PostReport) -> str:
    summary = report.summary
    if report.stopping:
        return "Nothing was sent: fix the problems below (Pre-flight), then post again."
    if summary is None:
        return "Nothing was sent."
    if summary.total == 0:
        return ("Nothing to send: everything in this period is in QuickBooks already "
                "(the reconciliation below checks QuickBooks itself).")
    run = f"Run {report.run_id}"
    if summary.was_cancelled:
        doubt = (f"; {summary.in_doubt} sent without an answer before the cancel are looked "
                 "up in QuickBooks first (kept if there, never sent twice)"
                 if summary.in_doubt else "")
        return (f"{run} was cancelled: {summary.posted} posted; what was not sent stays "
                f"pending and the next Post sends it{doubt}.")
    if summary.stopped:
        return f"{run} stopped: {summary.stopped}"
    if summary.clean and not report.held_by_plan and not report.duplicates:
        return f"{run} posted everything: {summary.posted} record(s) sent to QuickBooks."
    return (f"{run} finished with records to look at: see the counts, and the Error log "
            "for each problem with its fix.")


def result_notes(report: PostReport) -> list[str]:
    """What else the bookkeeper must know: resumed work, failures, re-dates, stops."""
    notes = []
    recovery = report.recovery
    if recovery.adopted or recovery.to_send:
        notes.append(f"Resumed an interrupted run: {len(recovery.adopted)} record(s) found "
                     f"already in QuickBooks and kept, {len(recovery.to_send)} sent again.")
    notes += [f"Problem: {i.message}. Fix: {i.fix}" for i in report.stopping]
    if report.summary is not None:
        notes += [f"Failed {key}: {message}" for key, message in report.summary.failures[:20]]
    if report.held_by_plan:
        notes.append(f"{len(report.held_by_plan)} record(s) held back by a preview error "
                     "(unmapped, unbalanced…): fix it and post again.")
    if report.decision.overrides:
        notes.append(f"{len(report.decision.overrides)} record(s) re-dated to the first open "
                     "day, each with a memo naming its own date.")
    return notes


def duplicates_text(report: PostReport) -> str:
    if report.duplicates:
        found = "; ".join(f"{d.entity} {d.key} (ids {', '.join(d.ids)})"
                          for d in report.duplicates[:5])
        return (f"DUPLICATES: {len(report.duplicates)} key(s) carried by more than one "
                f"QuickBooks record: {found}. Delete the extra records in QuickBooks.")
    if report.summary is not None and report.summary.total:
        return "Duplicate scan: no two QuickBooks records carry the same key."
    return ""


def result_sheets(report: PostReport, reconciliation: Reconciliation | None,
                  manifest: Manifest | None) -> list[Sheet]:
    """The result, the reconciliation and the manifest, for CSV or Excel."""
    result: list[list[Cell]] = [["what", "value"], ["result", result_headline(report)]]
    result += [[label, count] for label, count in result_counts(report)]
    result += [["duplicates", duplicates_text(report)]]
    result += [["note", note] for note in result_notes(report)]
    sheets: list[Sheet] = [("Result", result)]
    if reconciliation is not None:
        rows: list[list[Cell]] = [["account", "class", "source", "quickbooks", "difference"]]
        rows += [[a.account, a.class_name or "", a.source, a.quickbooks, a.difference]
                 for a in reconciliation.lines]
        rows += [[f"changed in QuickBooks ({c.change})", c.entity, c.doc_number or c.qbo_id
                  or "", c.key, "; ".join(c.details)] for c in reconciliation.changed]
        rows += [["not yet posted", entity, action, key, ""]
                 for action, entity, key in reconciliation.pending]
        sheets.append(("Reconciliation", rows))
    if manifest is not None:
        rows = [["run", manifest.run.id, manifest.run.kind, manifest.run.status],
                ["mapping_version", manifest.mapping_version]]
        rows += [["source_file", str(s.get("file") or ""), str(s.get("sha256") or "")]
                 for s in manifest.source_files]
        rows += [[], list(MANIFEST_COLUMNS)]
        rows += [list(line.cells()) for line in manifest.lines]
        sheets.append(("Manifest", rows))
    return sheets


def export_result(path: Path, database: Database, company_id: int, report: PostReport,
                  reconciliation: Reconciliation | None) -> None:
    manifest = load_manifest(database, company_id, report.run_id) \
        if report.run_id is not None else None
    write_tables(path, result_sheets(report, reconciliation, manifest))


def post_failure_text(error: BaseException) -> str:
    """Why a post did not run, for the Post step (the CLI prints the same reasons)."""
    from app.company_data import NoCompanyData
    from app.sync.errors import QboError
    from app.sync.posting_lock import PostingLocked

    if isinstance(error, PostingLocked):
        return f"Nothing was sent: {error}."
    if isinstance(error, QboError):
        return (f"Nothing was sent: QuickBooks could not be reached or read ({error}). "
                f"{error.suggested_fix}")
    if isinstance(error, ValueError | NoCompanyData):
        return f"Nothing was sent: {error}."
    return (f"The post stopped with an unexpected error: {error}. What was sent is "
            "recorded; the next Post looks up anything in doubt and sends the rest.")
