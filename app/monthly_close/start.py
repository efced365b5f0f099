"""What the Monthly close opens on: the months to choose from (the next unposted one by
default, or an earlier one a post left unfinished), where the company's exports come
from, and what an earlier run left to send.

Read in one go by a worker (``load_start``); the screen only renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.close_outlook import CloseOutlook, close_outlook, month_of
from app.importers.pipeline import collector_paused
from app.models.database import Database
from app.models.imports import ImportBatch
from app.models.jobs import Job, PostingRun
from app.monthly_close.unfinished import UnfinishedMonth, unfinished_months
from app.plan.plan import Period
from app.setup.source import api_source_names
from app.sync.job_store import IN_DOUBT

API_PREFIX = "api:"
# Jobs a run left unfinished: not sent, in flight, or failed (in doubt among them).
OPEN_JOB_STATUSES = ("pending", "cancelled", "sending", "failed")


def day_text(day: date) -> str:
    """``3 Feb 2025``: how the close writes a day."""
    return f"{day.day} {day:%b %Y}"


def period_text(period: Period) -> str:
    """``January 2025`` for a whole month, else ``3 Jan 2025 to 17 Feb 2025``."""
    if period == month_of(period.start):
        return f"{period.start:%B %Y}"
    return f"{day_text(period.start)} to {day_text(period.end)}"


@dataclass(frozen=True)
class MonthChoice:
    """One month the bookkeeper may close, with what was imported for it."""

    period: Period
    payments: int = 0
    refunds: int = 0
    charges: int = 0
    posted: bool = False
    next_to_close: bool = False
    unfinished: UnfinishedMonth | None = None  # what a post of it left failed or unsent

    @property
    def label(self) -> str:
        what = (f"{self.payments} payment(s), {self.refunds} refund(s), {self.charges} "
                "charge(s)") if self.payments or self.refunds or self.charges \
            else "nothing imported yet"
        state = self.unfinished.short if self.unfinished else "posted" if self.posted \
            else "next to close" if self.next_to_close else ""
        return f"{self.period.start:%B %Y}" + (f" — {state}" if state else "") + f" ({what})"


@dataclass(frozen=True)
class SourceOrigin:
    """How the company's exports arrived last time, so this month's arrive the same way."""

    api_name: str | None = None  # an API source to fetch from (it still exists)
    preset: str | None = None  # the column-mapping preset of the last import
    full_export: bool = False
    last_import: date | None = None


@dataclass(frozen=True)
class Leftover:
    """What earlier runs did not finish: a post's unsent work (the next Post sends or
    looks it up first), and an undo left part way (only Runs → Undo again finishes it)."""

    not_sent: int = 0  # pending or cancelled jobs of posts and retries: sent by the next Post
    in_doubt: int = 0  # sent, answer never recorded: looked up in QuickBooks first
    run_id: int | None = None  # the latest post or retry that left them
    run_status: str = ""
    undo_left: int = 0  # records an unfinished undo did not undo
    undo_run_id: int | None = None
    undone_run_id: int | None = None  # the run that undo was undoing

    @property
    def total(self) -> int:
        return self.not_sent + self.in_doubt

    @property
    def text(self) -> str:
        return " ".join(part for part in (self._post_text(), self._undo_text()) if part)

    def _post_text(self) -> str:
        if not self.total:
            return ""
        run = f"Run {self.run_id} ({self.run_status.replace('_', ' ')})" if self.run_id \
            else "An earlier run"
        parts = []
        if self.not_sent:
            parts.append(f"{self.not_sent} record(s) it did not send will be sent first")
        if self.in_doubt:
            parts.append(f"{self.in_doubt} whose answer never arrived will be looked up in "
                         "QuickBooks first (kept if found, never sent twice)")
        return f"{run} left work to finish: " + "; ".join(parts) + "."

    def _undo_text(self) -> str:
        if not self.undo_left:
            return ""
        return (f"Run {self.undo_run_id} (undo of run {self.undone_run_id}) did not finish: "
                f"{self.undo_left} record(s) are not undone yet. A Post does not finish it: "
                f"in Runs, select run {self.undone_run_id} and choose Undo this run again.")


@dataclass(frozen=True)
class CloseStart:
    outlook: CloseOutlook
    months: tuple[MonthChoice, ...]
    origin: SourceOrigin
    leftover: Leftover
    unfinished: tuple[UnfinishedMonth, ...] = ()  # oldest first

    @property
    def holding(self) -> UnfinishedMonth | None:
        """The earliest unfinished month, when it comes before the next unposted one:
        the close stays there until its failures are retried or posted again."""
        first = self.unfinished[0] if self.unfinished else None
        if first is None or (self.outlook.period is not None
                             and first.month >= self.outlook.period.start):
            return None
        return first

    @property
    def default_period(self) -> Period | None:
        """The month a post left unfinished, else the next unposted month
        (close_outlook's), else the first month with data."""
        if self.holding is not None:
            return month_of(self.holding.month)
        if self.outlook.period is not None:
            return self.outlook.period
        return self.months[0].period if self.months else None

    def unfinished_text(self, period: Period) -> str:
        """Why ``period`` is not finished, when a post left it so (the Period page)."""
        months = {m.month: m for m in self.unfinished}
        found = months.get(period.start) if period == month_of(period.start) else None
        return found.text if found else ""


def load_start(database: Database, company_id: int, config_dir: Path) -> CloseStart:
    with collector_paused():  # every stored record is read: no collector pauses meanwhile
        outlook = close_outlook(database, company_id)
    unfinished = unfinished_months(database, company_id)
    return CloseStart(outlook, month_choices(outlook, unfinished),
                      source_origin(database, company_id, config_dir),
                      leftover(database, company_id), unfinished)


def month_choices(outlook: CloseOutlook, unfinished: tuple[UnfinishedMonth, ...] = ()
                  ) -> tuple[MonthChoice, ...]:
    """Every month with data, posted or unfinished, and the next one to close, oldest
    first."""
    counts = {month: (p, r, c) for month, p, r, c in outlook.months}
    left = {m.month: m for m in unfinished}
    months = set(counts) | set(outlook.posted) | set(left)
    if outlook.period is not None:
        months.add(outlook.period.start)
    posted = set(outlook.posted)
    next_month = outlook.period.start if outlook.period else None
    return tuple(MonthChoice(month_of(month), *counts.get(month, (0, 0, 0)),
                             posted=month in posted, next_to_close=month == next_month,
                             unfinished=left.get(month))
                 for month in sorted(months))


def source_origin(database: Database, company_id: int, config_dir: Path) -> SourceOrigin:
    with database.session() as session:
        batch = session.scalars(select(ImportBatch).where(
            ImportBatch.company_id == company_id, ImportBatch.status == "imported")
            .order_by(ImportBatch.id.desc()).limit(1)).first()
        if batch is None:
            return SourceOrigin()
        files = [str(f.get("path") or "") for f in batch.files or []]
        kind, preset, full = batch.source_kind, batch.preset, bool(batch.full_export)
        when = batch.started_at.date() if batch.started_at else None
    api_name = None
    if kind == "api" and files and files[0].startswith(API_PREFIX):
        name = files[0][len(API_PREFIX):].split("/", 1)[0]
        api_name = name if name in api_source_names(config_dir) else None
    return SourceOrigin(api_name, preset, full, when)


def leftover(database: Database, company_id: int) -> Leftover:
    """Open jobs by the kind of run that left them: a post's are the next Post's work,
    an undo's are not (a Post never deletes what an undo was deleting)."""
    with database.session() as session:
        rows = session.execute(
            select(PostingRun.kind, Job.status, Job.error_kind, func.count())
            .join(PostingRun, PostingRun.id == Job.run_id)
            .where(Job.company_id == company_id, Job.status.in_(OPEN_JOB_STATUSES))
            .group_by(PostingRun.kind, Job.status, Job.error_kind)).all()
        run = _latest(session, company_id, ("post", "retry"))
        undo = _latest(session, company_id, ("undo",))
        undo_open = session.scalar(select(func.count()).select_from(Job).where(
            Job.run_id == undo.id, Job.status.in_(OPEN_JOB_STATUSES))) if undo else 0
        run_id, status = (run.id, run.status) if run is not None else (None, "")
        undo_ids = (undo.id, undo.undoes_run_id) if undo is not None else (None, None)
    posts = [(s, k, n) for kind, s, k, n in rows if kind in ("post", "retry")]
    not_sent = sum(n for s, _k, n in posts if s in ("pending", "cancelled"))
    in_doubt = sum(n for s, k, n in posts if s == "sending" or (s == "failed" and k == IN_DOUBT))
    undo_left = int(undo_open or 0) if undo is not None and undo.status != "finished" else 0
    return Leftover(not_sent, in_doubt, run_id, status, undo_left, *undo_ids)


def _latest(session: Any, company_id: int, kinds: tuple[str, ...]) -> PostingRun | None:
    return session.scalars(select(PostingRun).where(
        PostingRun.company_id == company_id, PostingRun.kind.in_(kinds))
        .order_by(PostingRun.id.desc()).limit(1)).first()
