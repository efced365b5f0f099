"""Sending one run's operations and closing the run: shared by post, retry and undo.

The poster sends; then the duplicate scan reads back what was written, and the run is
closed with its status and its counts (from its manifest). An unexpected error still
closes the run, as failed, so the runs list never shows a dead run as running.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.plan.operations import Operation
from app.progress import CancelToken, PostProgress
from app.sync.chunk_sender import ChunkSender
from app.sync.client import QboClient
from app.sync.closed_period import ClosedPeriodDecision
from app.sync.duplicates import Duplicate, scan_for_duplicates
from app.sync.errors import QboError
from app.sync.job_store import JobRef, JobStore
from app.sync.ledger_writes import LiveLedger
from app.sync.poster import DEFAULT_WORKERS, Poster, PostSummary


@dataclass
class RunOutcome:
    summary: PostSummary
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)


@dataclass(frozen=True)
class Sending:
    """How to send: progress and cancel from the caller, the worker count."""

    progress: Callable[[PostProgress], None] | None = None
    cancel: CancelToken | None = None
    workers: int = DEFAULT_WORKERS
    overwrite_edited: frozenset[str] = frozenset()  # keys to send though edited in QBO


def execute_run(store: JobStore, client: QboClient, ledger: LiveLedger, run_id: int,
                operations: Sequence[Operation], jobs: Mapping[str, JobRef],
                decision: ClosedPeriodDecision, sending: Sending,
                look_up_first: Collection[str] = ()) -> RunOutcome:
    poster = Poster(ChunkSender(client, sending.overwrite_edited), store, ledger,
                    progress=sending.progress, cancel=sending.cancel, workers=sending.workers)
    try:
        summary = poster.post(run_id, operations, jobs, held=decision.held,
                              overrides=decision.overrides, look_up_first=look_up_first)
    except BaseException:
        store.finish_run(run_id, "failed", message="the run stopped on an unexpected error "
                         "(see the log); the next post resumes it")
        raise
    written = [op for op in operations if op.key not in decision.held]
    duplicates: list[Duplicate] = []
    try:
        duplicates = scan_for_duplicates(client, sent_dates(written, decision))
    except QboError as exc:
        summary.failures.append(("duplicate scan", f"could not run: {exc}"))
    status = run_status(summary)
    counts = store.finish_run(run_id, status, duplicates=[d.as_dict() for d in duplicates],
                              message=summary.stopped)
    return RunOutcome(summary, status, counts, duplicates)


def sent_dates(written: Sequence[Operation], decision: ClosedPeriodDecision
               ) -> Iterator[tuple[str, date]]:
    """(entity, date sent) of every record written: re-dated ones on their new date."""
    for operation in written:
        override = decision.overrides.get(operation.key, {}).get("TxnDate")
        day = date.fromisoformat(override) if override else operation.txn_date
        if day is not None:
            yield operation.entity, day


def run_status(summary: PostSummary) -> str:
    if summary.stopped:
        return "failed"
    if summary.was_cancelled:
        return "cancelled"
    return "finished" if summary.clean else "finished_with_errors"


__all__ = ["Any", "RunOutcome", "Sending", "execute_run", "run_status", "sent_dates"]
