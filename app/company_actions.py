"""The writes to QuickBooks the window starts, wired exactly as the CLI wires them.

Each takes a company by id (with its database and data folder), opens its client the
way every command does (``company_client``: the demo's simulator, or the stored
authorisation), and calls the core function the CLI calls: ``retry_jobs``,
``undo_run``, ``resync``. A preview is the core's own preview, got by declining its
question; the work sent afterwards is checked against what was previewed, so the
bookkeeper confirms exactly what is sent (if QuickBooks changed in between, nothing is
sent and the new preview is shown instead). Runs on a worker thread: plain Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from app.accounting.preview import Preview
from app.companies import stored_company
from app.company_session import company_client
from app.models.company import Company
from app.models.database import Database
from app.plan.plan import Plan
from app.posting import ClientOpener, PostOptions, PostReport
from app.progress import CancelToken, PostProgress
from app.resync import ResyncReport, resync
from app.retrying import RetryRequest, retry_jobs
from app.sync.tokens import save_client_secret
from app.undo import UndoPlan
from app.undo_view import UndoPreviewView, undo_preview_view
from app.undoing import UndoReport, undo_run

Report = Callable[[PostProgress], None]


def _opener(database: Database, company: Company, data_dir: Path) -> ClientOpener:
    return lambda: company_client(company, database, data_dir)


def retry_selected(database: Database, company_id: int, data_dir: Path,
                   job_ids: Sequence[int], report: Report, cancel: CancelToken) -> PostReport:
    """``ledgerbridge retry JOB…``: the jobs, and what waited for them, sent again."""
    company = stored_company(database, company_id)
    return retry_jobs(database, company.id, company.name, _opener(database, company, data_dir),
                      RetryRequest(tuple(job_ids)),
                      PostOptions(None, progress=report, cancel=cancel))


def preview_undo(database: Database, company_id: int, data_dir: Path, run_id: int,
                 cancel: CancelToken) -> UndoPreviewView:
    """What ``ledgerbridge undo RUN`` shows before it asks (nothing is sent).

    Raises ValueError with the reason when the undo is refused (later runs build on it).
    """
    company = stored_company(database, company_id)
    shown: list[UndoPreviewView] = []

    def look(preview: Preview, undo: UndoPlan) -> bool:
        shown.append(undo_preview_view(run_id, preview, undo.notes))
        return False

    report = undo_run(database, company.id, company.name, _opener(database, company, data_dir),
                      run_id, PostOptions(None, cancel=cancel), look)
    if shown:
        return shown[0]
    from app.accounting.preview import build_preview

    return undo_preview_view(run_id, report.preview or build_preview(Plan(())), report.notes)


def undo_as_previewed(database: Database, company_id: int, data_dir: Path, run_id: int,
                      keys: Sequence[str], report: Report, cancel: CancelToken) -> UndoReport:
    """The undo, sent only if it is still the one previewed (``declined`` otherwise)."""
    company = stored_company(database, company_id)

    def unchanged(preview: Preview, _undo: UndoPlan) -> bool:
        return tuple(op.key for op in preview.operations) == tuple(keys)

    return undo_run(database, company.id, company.name, _opener(database, company, data_dir),
                    run_id, PostOptions(None, progress=report, cancel=cancel), unchanged)


def preview_resync(database: Database, company_id: int, data_dir: Path, report: Report,
                   cancel: CancelToken) -> ResyncReport:
    """What ``ledgerbridge resync`` shows before it asks (the ledger is not written)."""
    company = stored_company(database, company_id)
    return resync(database, company.id, company.name, _opener(database, company, data_dir),
                  lambda _found: False, progress=report, cancel=cancel)


def resync_as_previewed(database: Database, company_id: int, data_dir: Path,
                        previewed: ResyncReport, report: Report, cancel: CancelToken
                        ) -> ResyncReport:
    """The resync written, only if QuickBooks still holds what the preview found."""
    company = stored_company(database, company_id)

    def unchanged(found: ResyncReport) -> bool:
        return (found.adopted, found.gone) == (previewed.adopted, previewed.gone)

    return resync(database, company.id, company.name, _opener(database, company, data_dir),
                  unchanged, progress=report, cancel=cancel)


def replace_client_secret(database: Database, company_id: int, secret: str) -> str:
    """The Intuit app's client secret, replaced in the keyring; returns the client id."""
    company = stored_company(database, company_id)
    if not company.client_id:
        raise ValueError("this company was never connected with an Intuit app")
    if not secret.strip():
        raise ValueError("the client secret is empty")
    save_client_secret(company.client_id, secret.strip())
    return company.client_id
