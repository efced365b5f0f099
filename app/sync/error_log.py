"""The error log: the company's jobs as rows a bookkeeper can act on (SPEC §1).

One row per job with what it is, what happened and, for anything not posted, the
plain-language explanation and fix. The ``errors`` command prints and exports these
rows; the GUI's error log shows the same rows in a table model.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.accounting.preview import safe_cell
from app.models.database import Database
from app.models.jobs import JOB_STATUSES, Job
from app.sync.error_explanations import explain

ATTENTION = ("failed", "blocked", "held", "sending", "cancelled")  # what needs a look
COLUMNS = ("job", "status", "time", "kind", "record", "summary", "date", "amount",
           "error_code", "message", "explanation", "fix", "sources")


@dataclass(frozen=True)
class ErrorLogRow:
    job_id: int
    status: str
    time: datetime | None
    kind: str  # "create Invoice"
    record: str  # the ledger key
    summary: str
    txn_date: date | None
    amount: str
    error_code: str
    message: str
    explanation: str
    fix: str
    sources: tuple[str, ...]

    def cells(self) -> list[str]:
        return [str(self.job_id), self.status, self.time.isoformat() if self.time else "",
                self.kind, self.record, self.summary,
                self.txn_date.isoformat() if self.txn_date else "", self.amount,
                self.error_code, self.message, self.explanation, self.fix,
                " ".join(self.sources)]

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(COLUMNS, self.cells(), strict=True))


def error_log(database: Database, company_id: int, *, statuses: Sequence[str] = ATTENTION,
              kind: str | None = None) -> list[ErrorLogRow]:
    unknown = set(statuses) - set(JOB_STATUSES)
    if unknown:
        raise ValueError(f"unknown job status {', '.join(sorted(unknown))}; "
                         f"one of: {', '.join(JOB_STATUSES)}")
    with database.session() as session:
        query = select(Job).where(Job.company_id == company_id, Job.status.in_(statuses))
        if kind:
            query = query.where(Job.entity_type == kind)
        jobs = list(session.scalars(query.order_by(Job.id)))
    return [_row(job) for job in jobs]


def _row(job: Job) -> ErrorLogRow:
    why = _explanation_key(job)
    explained = explain(*why) if why is not None else None
    return ErrorLogRow(
        job.id, job.status, job.finished_at or job.sent_at or job.updated_at,
        f"{job.operation} {job.entity_type}", job.ledger_key, job.summary, job.txn_date,
        format(job.amount, "f") if job.amount is not None else "", job.last_error_code or "",
        job.last_error_message or "", explained.explanation if explained else "",
        explained.fix if explained else "", tuple(job.sources or ()))


def _explanation_key(job: Job) -> tuple[str | None, str] | None:
    if job.status == "failed":
        return job.last_error_code, job.error_kind or "validation"
    if job.status == "sending":
        return None, "in_doubt"
    if job.status == "held":
        return (None, "edited") if job.error_kind == "edited" else ("closed_period", "held")
    if job.status in ("blocked", "cancelled", "skipped"):
        return None, job.status
    return None


def write_csv(rows: Sequence[ErrorLogRow], path: Path) -> None:
    """The log as CSV; cells a spreadsheet would run as formulas are neutralised. With a
    BOM (utf-8-sig, like the other exports): Excel on Windows reads "Núñez", not "NÃºÃ±ez"."""
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([safe_cell(cell) for cell in row.cells()])
