"""The syncs as the app shows them: what failed and nobody has seen yet, the last run.

What the window calls when it opens a company (Home's notice, Settings' "last scheduled
run"); the sync itself writes the rows (``reports.py``):

* ``unseen_failures(database, company_id, since=None)``: syncs that failed, need attention
  or died, not yet shown, newest first;
* ``mark_seen(database, company_id, sync_ids)``: after the app showed them;
* ``last_sync(database, company_id, trigger="scheduled")``, ``sync_history``.

A row still "running" while nobody holds the company's posting lock belongs to a sync whose
process died (a sync holds the lock as long as it runs): reading marks it interrupted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.daily_sync.problems import Problem
from app.models.base import utcnow
from app.models.daily_sync import SyncRun
from app.models.database import Database
from app.sync.posting_lock import PostingLocked, posting_lock

FAILING = ("attention", "failed", "interrupted")



@dataclass(frozen=True)
class SyncSummary:
    """A sync as the app shows it (Home's notice, Settings' "last scheduled run")."""

    id: int
    company_id: int
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    status: str  # running | ok | attention | failed | interrupted
    message: str
    problems: tuple[Problem, ...]
    report_file: str | None
    app_version: str
    seen_at: datetime | None

    @property
    def failed(self) -> bool:
        return self.status in FAILING

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "company_id": self.company_id, "trigger": self.trigger,
                "started_at": self.started_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                "status": self.status, "message": self.message,
                "problems": [p.as_dict() for p in self.problems],
                "report_file": self.report_file, "ledgerbridge_version": self.app_version,
                "seen_at": self.seen_at.isoformat() if self.seen_at else None}


def unseen_failures(database: Database, company_id: int, since: datetime | None = None
                    ) -> list[SyncSummary]:
    """Syncs of the company that failed, need attention or died, not yet marked seen,
    started at or after ``since`` (all when None), newest first."""
    settle_stale_syncs(database, company_id)
    query = select(SyncRun).where(SyncRun.company_id == company_id,
                                  SyncRun.status.in_(FAILING), SyncRun.seen_at.is_(None))
    if since is not None:
        query = query.where(SyncRun.started_at >= since)
    with database.session() as session:
        return [_summary(row) for row in session.scalars(query.order_by(SyncRun.id.desc()))]


def mark_seen(database: Database, company_id: int, sync_ids: Iterable[int] | None = None
              ) -> int:
    """Mark the company's failed syncs seen (all unseen ones when ``sync_ids`` is None)."""
    statement = update(SyncRun).where(SyncRun.company_id == company_id,
                                      SyncRun.status.in_(FAILING), SyncRun.seen_at.is_(None))
    if sync_ids is not None:
        statement = statement.where(SyncRun.id.in_(list(sync_ids)))
    with database.session() as session:
        result = session.execute(statement.values(seen_at=utcnow()))
        return int(getattr(result, "rowcount", 0) or 0)


def last_sync(database: Database, company_id: int, trigger: str | None = "scheduled"
              ) -> SyncSummary | None:
    """The company's latest sync (of ``trigger``: "scheduled", "manual", None for any)."""
    settle_stale_syncs(database, company_id)
    query = select(SyncRun).where(SyncRun.company_id == company_id)
    if trigger is not None:
        query = query.where(SyncRun.trigger == trigger)
    with database.session() as session:
        row = session.scalars(query.order_by(SyncRun.id.desc()).limit(1)).first()
        return _summary(row) if row is not None else None


def sync_history(database: Database, company_id: int, limit: int = 30) -> list[SyncSummary]:
    settle_stale_syncs(database, company_id)
    with database.session() as session:
        rows = session.scalars(select(SyncRun).where(SyncRun.company_id == company_id)
                               .order_by(SyncRun.id.desc()).limit(limit))
        return [_summary(row) for row in rows]


def settle_stale_syncs(database: Database, company_id: int) -> None:
    """A sync row still "running" while nobody holds the company's lock died with its
    process: mark it interrupted (a sync holds the lock as long as it runs)."""
    with database.session() as session:
        running = session.scalars(select(SyncRun.id).where(
            SyncRun.company_id == company_id, SyncRun.status == "running")).first()
    if running is None:
        return
    try:
        with posting_lock(database, company_id, "this company"), database.session() as session:
            mark_interrupted(session, company_id)
    except PostingLocked:
        return  # it is running (or a post is): nothing to settle


def mark_interrupted(session: Session, company_id: int) -> None:
    """Syncs of the company left running: their process died (the caller holds the lock)."""
    session.execute(update(SyncRun).where(
        SyncRun.company_id == company_id, SyncRun.status == "running")
        .values(status="interrupted", finished_at=utcnow(),
                message="The sync stopped before it finished (the computer or the program "
                        "was stopped); the next sync resumes it.",
                problems=[Problem("interrupted", "the sync stopped before it finished")
                          .as_dict()]))


def _summary(row: SyncRun) -> SyncSummary:
    return SyncSummary(row.id, row.company_id, row.trigger, row.started_at, row.finished_at,
                       row.status, row.message,
                       tuple(Problem.from_dict(p) for p in row.problems or []),
                       row.report_file, row.app_version, row.seen_at)
