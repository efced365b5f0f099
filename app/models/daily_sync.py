"""The unattended sync's state: where each company's exports come from, which files of a
watch folder were read, and one row per sync with what the bookkeeper must see.

A sync also writes its report as files (``<data>/reports/``); the row is what the app
reads when it opens next, to show the failures nobody has seen yet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, UtcDateTime, utcnow


class SyncSource(TimestampMixin, Base):
    """Where a company's sync imports from: an API source (by name) or a watch folder."""

    __tablename__ = "sync_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "api" | "folder"
    # The API source's name (``ledgerbridge source add``) or the folder's absolute path.
    location: Mapped[str] = mapped_column(String(1000))
    preset: Mapped[str | None] = mapped_column(String(100))
    sheet: Mapped[str | None] = mapped_column(String(100))
    date_format: Mapped[str | None] = mapped_column(String(50))
    full_export: Mapped[bool] = mapped_column(default=False)
    # Where and when ``schedule on`` installed the daily sync (the scheduler itself holds
    # the truth; this lets another computer sharing the database say where it runs).
    scheduled_on: Mapped[str | None] = mapped_column(String(200))  # the computer's name
    scheduled_at: Mapped[str | None] = mapped_column(String(5))  # HH:MM, its local time


class SyncFile(Base):
    """A watch-folder file the sync imported: never read again (same path, same bytes)."""

    __tablename__ = "sync_file"
    __table_args__ = (UniqueConstraint("company_id", "path", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    read_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# running · ok (imported and posted, or nothing to do) · attention (posted, but something
# failed or was held: the bookkeeper acts) · failed (posted nothing: see the problems) ·
# interrupted (the process died; the next sync resumes)
SYNC_STATUSES = ("running", "ok", "attention", "failed", "interrupted")


class SyncRun(Base):
    """One ``ledgerbridge sync`` of one company, scheduled or started by hand."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(20))  # "scheduled" | "manual"
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(20), default="running")
    message: Mapped[str] = mapped_column(Text, default="")  # one line, in plain words
    # [{"kind", "message", "fix"}]: why it posted nothing, or what needs the bookkeeper
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # {"batches": [ids], "files": n read, "counts": {type: {new, changed, ...}}}
    imported: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    posting_run_id: Mapped[int | None] = mapped_column(ForeignKey("posting_run.id"))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the post's results
    report_file: Mapped[str | None] = mapped_column(String(1000))  # the JSON report
    app_version: Mapped[str] = mapped_column(String(20))
    # When the app showed this sync's problems to the bookkeeper (None: not yet).
    seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
