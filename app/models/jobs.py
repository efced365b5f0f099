"""Posting runs and their jobs: the error log the bookkeeper acts on.

A job is one planned operation (create/update/void/delete of one QBO record) with its
idempotency key, the keys it depends on, and what happened when it was sent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, UtcDateTime, utcnow

JOB_STATUSES = ("pending", "posted", "failed", "skipped", "blocked")


class PostingRun(Base):
    """One preview-then-post run; its manifest is exportable for the accountant."""

    __tablename__ = "posting_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="post")  # "post" | "undo" | "resync"
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # "running" | "finished" | "failed" | "cancelled" | "interrupted"
    status: Mapped[str] = mapped_column(String(20), default="running")
    mapping_version: Mapped[int] = mapped_column(Integer, default=0)
    source_hashes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Job(TimestampMixin, Base):
    __tablename__ = "job"
    __table_args__ = (UniqueConstraint("company_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("posting_run.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    ledger_key: Mapped[str] = mapped_column(String(200))
    operation: Mapped[str] = mapped_column(String(20))  # "create" | "update" | "void" | "delete"
    entity_type: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    depends_on: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error_code: Mapped[str | None] = mapped_column(String(20))
    last_error_message: Mapped[str | None] = mapped_column(Text)
    qbo_id: Mapped[str | None] = mapped_column(String(40))
    txn_date: Mapped[date | None] = mapped_column(Date)


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
