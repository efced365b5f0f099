"""Imported source data: batches (the history) and the canonical records they carried.

Records are stored generically, one row per (company, record type, source ID), with the
canonical fields as JSON text (money and dates as strings). The importer validates the
shape before storing; the planner rebuilds frozen records from these rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.records import MAX_KEY_LENGTH
from app.models.base import Base, UtcDateTime, utcnow


class ImportBatch(Base):
    """One import run: who, when, which files (with hashes), what it counted."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    user: Mapped[str | None] = mapped_column(String(100))
    source_kind: Mapped[str] = mapped_column(String(20))  # "csv" | "xlsx" | "api"
    preset: Mapped[str | None] = mapped_column(String(100))
    full_export: Mapped[bool] = mapped_column(default=False)
    # [{"path": ..., "sha256": ..., "rows": n, "record_type": ...}]
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # "imported" | "rejected" (errors: nothing stored)
    status: Mapped[str] = mapped_column(String(20))
    # {"payment": {"new": n, "changed": n, "unchanged": n, "missing": n}, ...}
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error_count: Mapped[int] = mapped_column(Integer, default=0)


class SourceRecord(Base):
    """The current state of one canonical record, keyed by its source ID."""

    __tablename__ = "source_record"
    __table_args__ = (UniqueConstraint("company_id", "record_type", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    first_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    last_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    # Set when a later full export no longer had it: reported, never deleted.
    missing_since_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class SourceRecordChange(Base):
    """What an import did to a record: new, changed (with the field diff) or missing."""

    __tablename__ = "source_record_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("source_record.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    change: Mapped[str] = mapped_column(String(20))  # "new" | "changed" | "missing" | "returned"
    # {"field": {"old": ..., "new": ...}}
    diff: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
