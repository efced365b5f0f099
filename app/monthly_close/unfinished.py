"""Months a post left unfinished: records that failed, wait for one that failed, or were
never sent. A run that "finished with errors" still counts as posted (its months are in
QuickBooks), but the close keeps the bookkeeper on the earliest such month until its
failures are retried or posted again: moving on would leave them behind unnoticed.

A record's month is its transaction date; a record without one (a customer, an item)
belongs to the period of the post that planned it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.models.database import Database
from app.models.jobs import Job, ManifestEntry, PostingRun
from app.sync.runs import undone_runs

FAILED_STATUSES = ("failed", "blocked")  # refused, or waiting for a refused record
NOT_SENT_STATUSES = ("pending", "cancelled", "sending")  # sending: its answer never came
POSTING_KINDS = ("post", "retry")


@dataclass(frozen=True)
class UnfinishedMonth:
    """One month with records a post or retry did not get into QuickBooks."""

    month: date  # its first day
    failed: int = 0  # QuickBooks refused them (or could not be reached)
    waiting: int = 0  # blocked: they wait for a failed record
    not_sent: int = 0  # pending, cancelled, or sent with no answer recorded

    @property
    def short(self) -> str:
        """What the month list says: ``not finished: 1 failed, 7 waiting, 2 not sent``."""
        parts = [f"{n} {what}" for n, what in ((self.failed, "failed"),
                                               (self.waiting, "waiting"),
                                               (self.not_sent, "not sent")) if n]
        return "not finished: " + ", ".join(parts)

    @property
    def text(self) -> str:
        """Why the close stays on this month, and what moves it on; it follows "Posted
        through …, with" (a month posted with failures is posted, yet not finished)."""
        parts = []
        if self.failed or self.waiting:
            waiting = f" and {self.waiting} wait for them" if self.waiting else ""
            parts.append(f"{self.failed} record(s) failed{waiting} (fix the cause, then "
                         "select them in the Error log and choose Retry)")
        if self.not_sent:
            parts.append(f"{self.not_sent} record(s) were not sent (the next Post sends them "
                         "first)")
        return (f"records still to finish in {self.month:%B %Y}: " + "; ".join(parts) +
                ". The close stays on this month until they are in QuickBooks; a later "
                "month can still be chosen.")


def unfinished_months(database: Database, company_id: int) -> tuple[UnfinishedMonth, ...]:
    """Months with failed, blocked or unsent jobs of posts and retries, oldest first.

    Jobs of a run an undo took out of QuickBooks are left out: that month is not posted
    any more, and its next post plans it afresh.
    """
    with database.session() as session:
        runs = list(session.scalars(select(PostingRun).where(
            PostingRun.company_id == company_id)))
        undone = set(undone_runs(runs))
        rows = session.execute(
            select(Job.id, Job.status, Job.txn_date, PostingRun.id, PostingRun.period_from)
            .join(PostingRun, PostingRun.id == Job.run_id)
            .where(Job.company_id == company_id, PostingRun.kind.in_(POSTING_KINDS),
                   Job.status.in_(FAILED_STATUSES + NOT_SENT_STATUSES))).all()
        rows = [row for row in rows if row[3] not in undone]
        undated = [job_id for job_id, _s, day, _r, start in rows if day is None and start is None]
        planned_in = dict(session.execute(  # a retry has no period: the post's that planned it
            select(ManifestEntry.job_id, func.min(PostingRun.period_from))
            .join(PostingRun, PostingRun.id == ManifestEntry.run_id)
            .where(ManifestEntry.job_id.in_(undated), PostingRun.period_from.is_not(None))
            .group_by(ManifestEntry.job_id)).all()) if undated else {}
    counts: dict[date, list[int]] = {}
    for job_id, status, day, _run, start in rows:
        when = day or start or planned_in.get(job_id)
        if when is None:
            continue  # nothing says which month it belongs to
        tally = counts.setdefault(when.replace(day=1), [0, 0, 0])
        tally[0 if status == "failed" else 1 if status == "blocked" else 2] += 1
    return tuple(UnfinishedMonth(month, *tally) for month, tally in sorted(counts.items()))
