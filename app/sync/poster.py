"""The poster: sends a plan to QuickBooks, in order, fast, and never twice.

Plain Python below the CLI and the GUI (both call it with a progress callback and a
cancel token). Operations go out wave by wave (``waves.py``): creates and updates of a
wave in batch requests of up to 30, several batches at once inside the company's rate
governor; voids and deletes one by one. Every request is preceded by its jobs committed
as ``sending`` and followed by the ledger rows and the jobs' outcome in one transaction
(``job_store.py``), so a kill at any instant leaves nothing that the next run's
recovery cannot resolve. A write whose outcome is unknown is looked up by its stamped
key before it is sent again (``recovery.py``): requestid is sent but never trusted alone.
A refused operation blocks only what depends on it; the rest of the run goes on.
Only this thread touches the database; worker threads only talk HTTP.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from app.plan.dependencies import blocked_keys
from app.plan.operations import Operation
from app.progress import Cancelled, CancelToken, PostProgress
from app.sync.batch import BatchOperation, BatchResult
from app.sync.chunk_sender import ChunkSender
from app.sync.errors import (
    AuthError,
    DeletedInQuickBooks,
    DuplicateError,
    EditedInQuickBooks,
    NetworkError,
    QboError,
    ServerError,
    StaleObjectError,
)
from app.sync.job_store import IN_DOUBT, Completion, JobRef, JobStore, Outcome
from app.sync.ledger_writes import LiveLedger, record_after
from app.sync.recovery import find_existing
from app.sync.waves import chunks, waves

log = logging.getLogger(__name__)

# Requests in flight at once. QBO answers a batch of 30 in seconds, not milliseconds, and
# the rate governor (40 batch requests a minute, 10 at once) is what should bound a run,
# not the thread count: 4 threads held a run to 4 batches per answer time, e.g. 24 a
# minute at 10 s an answer (bench/post_bench.py --latency, docs/performance.md). 8 leaves
# 2 of QBO's 10 concurrent requests for this thread's look-ups and for other apps.
DEFAULT_WORKERS = 8
MAX_UNKNOWN_OUTCOMES = 3  # looked up and sent again this often, then left in doubt
MAX_STALE_RETRIES = 2  # a SyncToken that moved under us is re-read this often


@dataclass
class PostSummary:
    """What one call of ``Poster.post`` did; the run's counts come from its manifest."""

    total: int = 0
    posted: int = 0
    adopted: int = 0
    failed: int = 0
    blocked: int = 0
    held: int = 0
    cancelled: int = 0
    in_doubt: int = 0
    stopped: str | None = None  # why the run stopped early (reconnect needed, ...)
    was_cancelled: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)  # (key, message)

    @property
    def clean(self) -> bool:
        return not (self.failed or self.blocked or self.held or self.in_doubt or self.stopped
                    or self.was_cancelled)


class Poster:
    def __init__(self, sender: ChunkSender, store: JobStore, ledger: LiveLedger, *,
                 progress: Callable[[PostProgress], None] | None = None,
                 cancel: CancelToken | None = None, workers: int = DEFAULT_WORKERS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.cancel = cancel or CancelToken()
        self.sender = sender.interruptible(self.cancel)
        self.store = store
        self.ledger = ledger
        self.workers = max(1, workers)
        self._progress = progress
        self._clock = clock

    # -- the run ------------------------------------------------------------------------
    def post(self, run_id: int, operations: Sequence[Operation], jobs: Mapping[str, JobRef], *,
             held: Mapping[str, str] | None = None,
             overrides: Mapping[str, Mapping[str, Any]] | None = None,
             look_up_first: Collection[str] = ()) -> PostSummary:
        """Send ``operations`` (their jobs already enqueued: ``jobs`` by idempotency key).

        ``held``: ledger key -> why it is held back (a closed period); what depends on a
        held record is blocked. ``overrides``: fields sent in place of the planned ones.
        """
        self._run = _RunState(run_id, list(operations), dict(jobs), dict(overrides or {}),
                              PostSummary(total=len(operations)), self._clock())
        self._hold(held or {})
        self._skip_existing()
        self._adopt_entered_by_hand(look_up_first)
        self._report_start()
        with ThreadPoolExecutor(self.workers, thread_name_prefix="poster") as pool:
            for wave in waves(self._run.operations):
                self._send_wave(pool, wave)
                if self._run.summary.stopped or self.cancel.cancelled:
                    break
        self._settle_unsent()
        return self._run.summary

    def _hold(self, held: Mapping[str, str]) -> None:
        if not held:
            return
        run = self._run
        outcomes = [Outcome(run.job_id(op), "held", held[op.key], code="closed_period")
                    for op in run.operations if op.key in held]
        run.summary.held += len(outcomes)
        run.closed.update(held)
        self.store.settle(run.run_id, outcomes)
        for key in held:
            self._block_dependants(key, f"held: {held[key]}")

    def _skip_existing(self) -> None:
        """A create of a record the ledger already holds is never sent: whatever planned
        it, QuickBooks has that record, and a second one would be a duplicate."""
        run = self._run
        outcomes = []
        for op in run.operations:
            record = self.ledger.get(op.key)
            if op.action == "create" and record is not None and op.key not in run.closed:
                run.closed[op.key] = "skipped"
                outcomes.append(Outcome(
                    run.job_id(op), "skipped", f"already in QuickBooks ({record.entity} "
                    f"{record.qbo_id}): never created a second time"))
        if outcomes:
            log.warning("%d create(s) of records the ledger already holds were skipped",
                        len(outcomes))
            self.store.settle(run.run_id, outcomes)

    def _adopt_entered_by_hand(self, keys: Collection[str]) -> None:
        """Records once held for a closed period may since have been entered by hand with
        their stamp (the export's memo): adopted if QuickBooks has them, never sent twice."""
        completions = [self._completion(op, found, "adopted") for op in self._run.operations
                       if op.key in keys and op.action == "create"
                       and op.key not in self._run.closed
                       and (found := self._look_up(op)) is not None]
        self._commit(completions)

    # -- one wave -----------------------------------------------------------------------
    def _send_wave(self, pool: ThreadPoolExecutor, wave: list[Operation]) -> None:
        queue: deque[list[Operation]] = deque(chunks(wave))
        in_flight: dict[Future[list[BatchResult] | BaseException], list[Operation]] = {}
        while queue or in_flight:
            while queue and len(in_flight) < self.workers and self._may_send():
                chunk = [op for op in queue.popleft() if op.key not in self._run.closed]
                if chunk:
                    self.store.mark_sending([self._run.job_id(op) for op in chunk])
                    in_flight[pool.submit(self._send_chunk, chunk)] = chunk
            if not in_flight:
                return
            done, _ = wait(in_flight, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = in_flight.pop(future)
                self._handle(chunk, future.result())
            if self._run.again and not queue:  # sent again together, in full batches
                queue.extend(chunks(self._run.again))
                self._run.again = []

    def _may_send(self) -> bool:
        return not (self.cancel.cancelled or self._run.summary.stopped)

    def _send_chunk(self, chunk: list[Operation]) -> list[BatchResult] | BaseException:
        """On a worker thread: the request, nothing else (no database here)."""
        try:
            request_ids = [self._run.jobs[op.idempotency_key].request_id for op in chunk]
            return self.sender.send(chunk, request_ids, self.ledger, self._run.overrides)
        except (QboError, Cancelled) as exc:
            return exc
        except Exception as exc:  # a bug must not hang the run: reported as a failure
            log.exception("sending %s failed unexpectedly", [op.key for op in chunk])
            return exc

    # -- answers ------------------------------------------------------------------------
    def _handle(self, chunk: list[Operation], answer: list[BatchResult] | BaseException
                ) -> None:
        if isinstance(answer, BaseException):
            self._handle_request_error(chunk, answer)
            return
        completions: list[Completion] = []
        for operation, result in zip(chunk, answer, strict=True):
            if result.ok:
                completions.append(self._completion(operation, result.entity or {}, "posted"))
            else:
                assert result.error is not None
                self._handle_item_error(operation, result.error, completions)
        self._commit(completions)

    def _handle_item_error(self, operation: Operation, error: QboError,
                           completions: list[Completion]) -> None:
        tries = self._run.tries
        if isinstance(error, StaleObjectError) and tries.get(operation.key, 0) \
                < MAX_STALE_RETRIES:
            tries[operation.key] = tries.get(operation.key, 0) + 1
            job = self._run.jobs[operation.idempotency_key]
            self._run.jobs[operation.idempotency_key] = JobRef(
                job.id, self.store.renew_request_id(job.id, operation))
            self._run.again.append(operation)  # the next send reads the SyncToken again
            return
        if isinstance(error, EditedInQuickBooks):
            self._hold_edited(operation, error)
            return
        if isinstance(error, DuplicateError) and operation.action == "create":
            found = self._look_up(operation)
            if found is not None:  # ours, from an earlier write whose answer was lost
                completions.append(self._completion(operation, found, "adopted"))
                return
        if error.retryable:
            self._unknown(operation, completions, error)
            return
        self._fail(operation, error)

    def _handle_request_error(self, chunk: list[Operation], error: BaseException) -> None:
        if isinstance(error, Cancelled):
            if error.may_have_landed:  # left 'sending': the next run looks them up first
                self._run.summary.in_doubt += len(chunk)
            else:  # cut short before the write went out: not sent, settled as cancelled
                self.store.requeue([self._run.job_id(op) for op in chunk])
            return
        if isinstance(error, AuthError):
            self.store.requeue([self._run.job_id(op) for op in chunk])
            self._run.summary.stopped = f"{error} {error.suggested_fix}".strip()
            return
        if isinstance(error, QboError) and _may_have_applied(error):
            completions: list[Completion] = []
            for operation in chunk:
                self._unknown(operation, completions, error)
            self._commit(completions)
            return
        if not isinstance(error, QboError):  # a fault of ours: the request may have gone
            for operation in chunk:
                self._fail(operation, error, kind=IN_DOUBT, why=f"an unexpected error "
                           f"({type(error).__name__}) after the request may have gone out")
            return
        for operation in chunk:
            self._fail(operation, error)

    def _unknown(self, operation: Operation, completions: list[Completion],
                 error: BaseException) -> None:
        """The write may have landed: adopt it if QuickBooks has it, else send it again.

        A look-up that fails says nothing: sending again could write the record twice,
        so it stays in doubt for the next post's recovery to look up.
        """
        try:
            found = self._find(operation)
        except DeletedInQuickBooks as gone:
            self._fail(operation, gone)
            return
        except QboError as exc:
            log.warning("could not look %s up in QuickBooks: %s", operation.key, exc)
            self._fail(operation, exc, kind=IN_DOUBT, why="QuickBooks did not answer whether "
                       "it was written and looking it up failed")
            return
        if found is not None:
            completions.append(self._completion(operation, found, "adopted"))
            return
        tries = self._run.unknown
        tries[operation.key] = tries.get(operation.key, 0) + 1
        if tries[operation.key] < MAX_UNKNOWN_OUTCOMES:
            self.store.requeue([self._run.job_id(operation)])
            self._run.again.append(operation)
            return
        self._fail(operation, error, kind=IN_DOUBT)

    def _find(self, operation: Operation) -> dict[str, Any] | None:
        return find_existing(self.sender.client, self.ledger, operation,
                             self._run.overrides.get(operation.key, {}))

    def _look_up(self, operation: Operation) -> dict[str, Any] | None:
        try:
            return self._find(operation)
        except QboError as exc:
            log.warning("could not look %s up in QuickBooks: %s", operation.key, exc)
            return None

    # -- bookkeeping ----------------------------------------------------------------------
    def _completion(self, operation: Operation, saved: Mapping[str, Any],
                    result: str) -> Completion:
        before = self.ledger.get(operation.key)
        after = record_after(operation, saved, before)
        self.ledger.put(operation.key, after)
        self._run.closed[operation.key] = result
        if result == "adopted":
            self._run.summary.adopted += 1
        else:
            self._run.summary.posted += 1
        return Completion(self._run.job_id(operation), operation, before, after, result)

    def _commit(self, completions: list[Completion]) -> None:
        if completions:
            self.store.complete(self._run.run_id, completions)
            self._report(completions[-1].operation)

    def _fail(self, operation: Operation, error: BaseException, *, kind: str | None = None,
              why: str = f"no answer from QuickBooks after {MAX_UNKNOWN_OUTCOMES} tries") -> None:
        run = self._run
        code = error.code if isinstance(error, QboError) else None
        kind = kind or (error.kind if isinstance(error, QboError) else "error")
        message = str(error) or type(error).__name__
        run.closed[operation.key] = "failed"
        if kind == IN_DOUBT:
            run.summary.in_doubt += 1
            message = f"{why}; the next post looks it up before sending it again ({message})"
        else:
            run.summary.failed += 1
        run.summary.failures.append((operation.key, message))
        self.store.settle(run.run_id, [Outcome(run.job_id(operation), "failed", message,
                                               code=code, kind=kind)])
        self._block_dependants(operation.key, f"{operation.summary} failed: {message}")
        self._report(operation)

    def _hold_edited(self, operation: Operation, error: EditedInQuickBooks) -> None:
        run = self._run
        run.closed[operation.key] = "held"
        run.summary.held += 1
        run.summary.failures.append((operation.key, str(error)))
        self.store.settle(run.run_id, [Outcome(run.job_id(operation), "held", str(error),
                                               kind="edited")])
        self._block_dependants(operation.key, "held: changed in QuickBooks")
        self._report(operation)

    def _block_dependants(self, key: str, reason: str) -> None:
        run = self._run
        keys = blocked_keys(run.operations, {key}) - {key} - set(run.closed)
        outcomes = [Outcome(run.job_id(op), "blocked", f"waits for {key} — {reason}",
                            blocked_by=key) for op in run.operations if op.key in keys]
        for op in run.operations:
            if op.key in keys:
                run.closed[op.key] = "blocked"
        run.summary.blocked += len(outcomes)
        self.store.settle(run.run_id, outcomes)

    def _settle_unsent(self) -> None:
        """Cancelled or stopped: what was never sent is recorded as not sent, to resume."""
        run = self._run
        unsent = [op for op in run.operations if op.key not in run.closed]
        if not unsent:
            return
        why = "not sent: the run was cancelled" if self.cancel.cancelled else \
            f"not sent: the run stopped ({run.summary.stopped})"
        in_doubt = {job.id for job in self.store.in_doubt()}
        outcomes = [Outcome(run.job_id(op), "cancelled", why + "; the next post sends it")
                    for op in unsent if run.job_id(op) not in in_doubt]
        run.summary.cancelled += len(outcomes)
        run.summary.was_cancelled = self.cancel.cancelled
        self.store.settle(run.run_id, outcomes)

    def _report_start(self) -> None:
        """The total, and what was held or skipped already, before the first request: the
        bar starts when the sending does, not when the first batch has answered."""
        run = self._run
        if self._progress is None or not run.operations:
            return
        first = next((op for op in run.operations if op.key not in run.closed),
                     run.operations[-1])
        self._progress(PostProgress(len(run.closed), run.summary.total, first.summary, 0.0,
                                    None, run.summary.failed))

    def _report(self, operation: Operation) -> None:
        if self._progress is None:
            return
        run = self._run
        done = len(run.closed)
        elapsed = max(self._clock() - run.started, 1e-6)
        rate = done / elapsed * 60
        left = (run.summary.total - done) / (done / elapsed) if done else None
        self._progress(PostProgress(done, run.summary.total, operation.summary, rate, left,
                                    run.summary.failed))


@dataclass
class _RunState:
    run_id: int
    operations: list[Operation]
    jobs: dict[str, JobRef]  # by idempotency key
    overrides: dict[str, Mapping[str, Any]]
    summary: PostSummary
    started: float
    closed: dict[str, str] = field(default_factory=dict)  # ledger key -> how it ended
    tries: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    again: list[Operation] = field(default_factory=list)  # to send again in this wave

    def job_id(self, operation: Operation) -> int:
        return self.jobs[operation.idempotency_key].id


def _may_have_applied(error: QboError) -> bool:
    if error.after_unknown_outcome or isinstance(error, ServerError):
        return True
    return isinstance(error, NetworkError) and error.outcome_unknown


__all__ = ["DEFAULT_WORKERS", "BatchOperation", "PostSummary", "Poster"]
