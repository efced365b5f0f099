"""Posting runs, their jobs and their manifests: the error log the bookkeeper acts on.

A job is one planned operation (create/update/void/delete of one QBO record) and owns
its request from start to finish: committed as ``sending`` with its requestid before
the request, and ``posted`` in the same transaction as the ledger row after the answer.
A run's manifest lists what happened to every operation it handled, for the accountant.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, ExactDecimal, ExactJSON, TimestampMixin, UtcDateTime, utcnow

# pending: to send · sending: request out, outcome not yet recorded (in doubt after a
# crash) · posted · failed: QBO refused it or could not be reached · blocked: waits for a
# failed or held record · held: dated in a closed period · skipped: superseded by a newer
# plan of the same record · cancelled: not sent because the run was cancelled
JOB_STATUSES = ("pending", "sending", "posted", "failed", "blocked", "held", "skipped",
                "cancelled")
RUN_KINDS = ("post", "retry", "undo", "resync")
# running · finished (everything posted) · finished_with_errors · cancelled · failed
# (stopped: reconnect needed, or an unexpected error) · interrupted (the process died)
RUN_STATUSES = ("running", "finished", "finished_with_errors", "cancelled", "failed",
                "interrupted")


class PostingRun(Base):
    """One preview-then-post run; its manifest is exportable for the accountant."""

    __tablename__ = "posting_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="post")
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(30), default="running")
    mapping_version: Mapped[int] = mapped_column(Integer, default=0)
    source_hashes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The duplicate scan after the run: [{"key", "entity", "ids"}], empty when clean.
    duplicates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)  # why a run stopped, in plain words
    # A finished post's inputs as they stood when it ended (``app/sync/fingerprint.py``):
    # the next post of the period with the same fingerprint has nothing to send.
    inputs_digest: Mapped[str | None] = mapped_column(String(64))
    undoes_run_id: Mapped[int | None] = mapped_column(Integer)  # an undo: the run it undid
    # The Ledgerbridge version that made the run (None: made before versions were kept).
    app_version: Mapped[str | None] = mapped_column(String(20))


class Job(TimestampMixin, Base):
    __tablename__ = "job"
    __table_args__ = (UniqueConstraint("company_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("posting_run.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str] = mapped_column(String(50))
    ledger_key: Mapped[str] = mapped_column(String(200), index=True)
    operation: Mapped[str] = mapped_column(String(20))  # "create" | "update" | "void" | "delete"
    entity_type: Mapped[str] = mapped_column(String(30))
    content_hash: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    payload: Mapped[dict[str, Any]] = mapped_column(ExactJSON)
    # Fields sent in place of the planned ones (a re-dated TxnDate and its memo); the
    # ledger keeps the payload as planned, so planning again finds nothing to change.
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    depends_on: Mapped[list[str]] = mapped_column(JSON, default=list)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_kind: Mapped[str | None] = mapped_column(String(30))
    last_error_code: Mapped[str | None] = mapped_column(String(20))
    last_error_message: Mapped[str | None] = mapped_column(Text)
    blocked_by: Mapped[str | None] = mapped_column(String(200))  # the key it waits for
    qbo_id: Mapped[str | None] = mapped_column(String(40))
    txn_date: Mapped[date | None] = mapped_column(Date)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ManifestEntry(Base):
    """What one run did to one operation: the line of the audit manifest."""

    __tablename__ = "manifest_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("posting_run.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"))
    ledger_key: Mapped[str] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(20))
    # posted · adopted (found in QBO after an unknown outcome) · failed · blocked · held ·
    # cancelled
    result: Mapped[str] = mapped_column(String(20))
    qbo_id: Mapped[str | None] = mapped_column(String(40))
    doc_number: Mapped[str | None] = mapped_column(String(21))
    amount: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    txn_date: Mapped[date | None] = mapped_column(Date)
    error_code: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)
    # The ledger's payload before an update, void or delete: what an undo restores.
    before_payload: Mapped[dict[str, Any] | None] = mapped_column(ExactJSON)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class LockedPeriod(Base):
    """A posted period the bookkeeper locked: later changes become adjustments."""

    __tablename__ = "locked_period"
    __table_args__ = (UniqueConstraint("company_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    locked_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
