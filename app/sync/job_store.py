"""Jobs, runs and manifests in the database: the poster's memory across crashes.

Every state change of a job is committed before the poster moves on: ``sending`` (with
its requestid) before the request, and ``posted`` together with the ledger row and the
manifest line in one transaction after the answer. A process killed at any instant
leaves either a job still ``sending`` (its outcome in doubt: recovery looks it up in
QuickBooks) or a finished job with its ledger row, never one without the other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from app import __version__
from app.models.base import utcnow
from app.models.database import Database
from app.models.jobs import Job, ManifestEntry, PostingRun
from app.plan.operations import Operation
from app.plan.payload_text import from_text
from app.plan.plan import Period
from app.sync.ledger_writes import LedgerRecord, write_record

OPEN_STATUSES = ("pending", "failed", "blocked", "held", "cancelled")
IN_DOUBT = "in_doubt"  # error kind of a job whose write may or may not have landed
_CHUNK = 500  # keys per IN (...) list: well under every database's parameter limit


@dataclass(frozen=True)
class JobRef:
    id: int
    request_id: str


@dataclass(frozen=True)
class Completion:
    """A confirmed write: the job, what was planned, and the ledger before and after."""

    job_id: int
    operation: Operation
    before: LedgerRecord | None
    after: LedgerRecord | None
    result: str = "posted"  # or "adopted": found in QBO after an unknown outcome


@dataclass(frozen=True)
class Outcome:
    """A job that ends this run without a write: failed, blocked, held, cancelled."""

    job_id: int
    status: str
    message: str
    code: str | None = None
    kind: str | None = None
    blocked_by: str | None = None


def job_operation(job: Job) -> Operation:
    """The planned operation a job row carries (amounts back as Decimal, same hash)."""
    return Operation(job.operation, job.entity_type, job.ledger_key, from_text(job.payload),
                     job.summary, tuple(job.depends_on), tuple(job.sources), job.txn_date,
                     job.amount, job.content_hash)


class JobStore:
    def __init__(self, database: Database, company_id: int) -> None:
        self.database = database
        self.company_id = company_id

    # -- runs ---------------------------------------------------------------------------
    def start_run(self, kind: str, period: Period | None, *, mapping_version: int = 0,
                  source_hashes: Sequence[Mapping[str, Any]] = (),
                  undoes_run_id: int | None = None) -> int:
        with self.database.session() as session:
            run = PostingRun(company_id=self.company_id, kind=kind,
                             period_from=period.start if period else None,
                             period_to=period.end if period else None, status="running",
                             mapping_version=mapping_version,
                             source_hashes=[dict(h) for h in source_hashes], counts={},
                             duplicates=[], undoes_run_id=undoes_run_id,
                             app_version=__version__)
            session.add(run)
            session.flush()
            return run.id

    def interrupt_stale_runs(self) -> int:
        """Runs still 'running' when the posting lock is free died with their process."""
        with self.database.session() as session:
            result = session.execute(update(PostingRun).where(
                PostingRun.company_id == self.company_id, PostingRun.status == "running")
                .values(status="interrupted", finished_at=utcnow(),
                        message="the run stopped before it finished (the program was closed "
                                "or killed); the next post resumes it"))
            return int(getattr(result, "rowcount", 0) or 0)

    def finish_run(self, run_id: int, status: str, *, duplicates: Sequence[Mapping[str, Any]]
                   = (), message: str | None = None) -> dict[str, int]:
        counts = self.run_counts(run_id)
        with self.database.session() as session:
            run = session.get(PostingRun, run_id)
            assert run is not None
            run.status, run.finished_at, run.counts = status, utcnow(), counts
            run.duplicates = [dict(d) for d in duplicates]
            run.message = message
        return counts

    def set_inputs_digest(self, run_id: int, digest: str) -> None:
        with self.database.session() as session:
            run = session.get(PostingRun, run_id)
            if run is not None:
                run.inputs_digest = digest

    def refresh_counts(self, run_ids: Iterable[int]) -> None:
        """Counts of earlier runs whose in-doubt jobs were resolved since they ended."""
        for run_id in run_ids:
            counts = self.run_counts(run_id)
            with self.database.session() as session:
                run = session.get(PostingRun, run_id)
                if run is not None and run.status != "running":
                    run.counts = counts

    def run_counts(self, run_id: int) -> dict[str, int]:
        with self.database.session() as session:
            rows = session.execute(select(ManifestEntry.result, func.count())
                                   .where(ManifestEntry.run_id == run_id)
                                   .group_by(ManifestEntry.result)).all()
        return {str(result): int(count) for result, count in rows}

    # -- jobs ---------------------------------------------------------------------------
    def enqueue(self, run_id: int, operations: Sequence[Operation],
                overrides: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, JobRef]:
        """A pending job per operation (reusing the row of the same change), by its key.

        Jobs of the same records from earlier plans that never reached QuickBooks are
        superseded: the source changed since, and the new plan says what to send.
        """
        overrides = overrides or {}
        by_key = {o.idempotency_key: o for o in operations}
        with self.database.session() as session:
            existing = {job.idempotency_key: job for job in self._jobs_where(
                session, Job.idempotency_key, list(by_key))}
            for operation in operations:
                job = existing.get(operation.idempotency_key)
                if job is None:
                    job = Job(company_id=self.company_id, attempts=0,
                              idempotency_key=operation.idempotency_key)
                    session.add(job)
                _fill(job, operation, run_id, overrides.get(operation.key, {}))
            session.flush()
            ids = {job.idempotency_key: JobRef(job.id, job.request_id) for job in self._jobs_where(
                session, Job.idempotency_key, list(by_key))}
            stale = [job for job in self._jobs_where(session, Job.ledger_key,
                                                     sorted({o.key for o in operations}))
                     if job.idempotency_key not in by_key and job.status in OPEN_STATUSES]
            for job in stale:
                job.status, job.finished_at = "skipped", utcnow()
                job.last_error_message = (
                    "replaced by a newer plan of this record (the source, the mapping, or "
                    "the ids of the records it refers to changed since it was planned)")
        return ids

    def held_keys(self, keys: Sequence[str]) -> set[str]:
        """Keys whose job is held (a closed period): the accountant may have entered the
        record by hand since, with the memo the export gave — look them up before sending."""
        with self.database.session() as session:
            return {job.ledger_key for job in self._jobs_where(session, Job.ledger_key,
                                                               sorted(set(keys)))
                    if job.status == "held"}

    def in_doubt(self) -> list[Job]:
        """Jobs whose request went out and whose outcome was never learnt.

        ``sending``: the process died or the run was cancelled mid-request; ``failed`` as
        ``in_doubt``: the run gave up asking after repeated unknown outcomes.
        """
        with self.database.session() as session:
            return list(session.scalars(select(Job).where(
                Job.company_id == self.company_id,
                (Job.status == "sending") | ((Job.status == "failed")
                                             & (Job.error_kind == IN_DOUBT))).order_by(Job.id)))

    def jobs(self, job_ids: Iterable[int]) -> list[Job]:
        with self.database.session() as session:
            return list(self._jobs_where(session, Job.id, list(job_ids)))

    def mark_sending(self, job_ids: Sequence[int]) -> None:
        now = utcnow()
        with self.database.session() as session:
            for chunk in _chunks(list(job_ids)):
                session.execute(update(Job).where(Job.id.in_(chunk)).values(
                    status="sending", attempts=Job.attempts + 1, sent_at=now))

    def renew_request_id(self, job_id: int, operation: Operation) -> str:
        """A new requestid for a job QuickBooks refused and that is sent again changed
        (a stale SyncToken read afresh): the old id would be answered with the refusal."""
        with self.database.session() as session:
            job = session.get(Job, job_id)
            assert job is not None
            job.request_id = retry_request_id(operation, job.attempts)
            return job.request_id

    def requeue(self, job_ids: Sequence[int]) -> None:
        """Back to pending: looked up in QuickBooks and not found, so it must be sent."""
        with self.database.session() as session:
            for chunk in _chunks(list(job_ids)):
                session.execute(update(Job).where(Job.id.in_(chunk)).values(status="pending"))

    def complete(self, run_id: int | None, completions: Sequence[Completion]) -> None:
        """Ledger rows, jobs and manifest lines of confirmed writes, in one transaction."""
        now = utcnow()
        with self.database.session() as session:
            for done in completions:
                write_record(session, self.company_id, done.operation.key, done.after,
                             run_id=run_id, now=now)
                job = session.get(Job, done.job_id)
                assert job is not None
                record = done.after or done.before
                job.status, job.finished_at = "posted", now
                job.qbo_id = record.qbo_id if record else job.qbo_id
                job.error_kind = job.last_error_code = job.last_error_message = None
                job.blocked_by = None
                if run_id is not None:
                    job.run_id = run_id
                    session.add(_manifest(run_id, job, done.result, now, record,
                                          before=done.before))

    def settle(self, run_id: int | None, outcomes: Sequence[Outcome]) -> None:
        """Record jobs that end without a write (failed, blocked, held, cancelled)."""
        now = utcnow()
        with self.database.session() as session:
            for outcome in outcomes:
                job = session.get(Job, outcome.job_id)
                assert job is not None
                job.status, job.finished_at = outcome.status, now
                job.last_error_message = outcome.message
                job.last_error_code, job.error_kind = outcome.code, outcome.kind
                job.blocked_by = outcome.blocked_by
                if run_id is not None:
                    job.run_id = run_id
                    entry = _manifest(run_id, job, outcome.status, now, None)
                    entry.error_code, entry.message = outcome.code, outcome.message
                    session.add(entry)

    def _jobs_where(self, session: Any, column: Any, values: list[Any]) -> Iterator[Job]:
        for chunk in _chunks(values):
            yield from session.scalars(select(Job).where(Job.company_id == self.company_id,
                                                         column.in_(chunk)))


def _fill(job: Job, operation: Operation, run_id: int, overrides: Mapping[str, Any]) -> None:
    job.run_id = run_id
    if not job.request_id:
        job.request_id = operation.request_id
    elif job.status not in ("pending", "sending"):
        # Sent before and answered (refused, or done and since undone), or never sent:
        # QuickBooks answers a requestid it has seen with its first answer, so a job that
        # goes out again gets a requestid of its own. Pending (looked up after a lost
        # answer and not found) keeps its own: that is what the requestid is for.
        job.request_id = retry_request_id(operation, job.attempts)
    job.ledger_key, job.operation, job.entity_type = operation.key, operation.action, \
        operation.entity
    job.content_hash, job.summary, job.amount = operation.hash, operation.summary, \
        operation.amount
    job.payload = dict(operation.payload)
    job.overrides = dict(overrides)
    job.depends_on, job.sources = list(operation.depends_on), list(operation.sources)
    job.txn_date = operation.txn_date
    job.status = "pending"
    job.error_kind = job.last_error_code = job.last_error_message = job.blocked_by = None
    job.finished_at = None


def retry_request_id(operation: Operation, attempts: int) -> str:
    return hashlib.sha256(f"{operation.idempotency_key}#retry{attempts}".encode()).hexdigest()[:32]


def _sent_date(job: Job) -> date | None:
    """The date the record was sent on (a re-dated one carries its new date)."""
    sent = (job.overrides or {}).get("TxnDate")
    return date.fromisoformat(sent) if sent else job.txn_date


def _manifest(run_id: int, job: Job, result: str, now: datetime, record: LedgerRecord | None,
              *, before: LedgerRecord | None = None) -> ManifestEntry:
    return ManifestEntry(run_id=run_id, job_id=job.id, ledger_key=job.ledger_key,
                         entity_type=job.entity_type, action=job.operation, result=result,
                         qbo_id=record.qbo_id if record else job.qbo_id,
                         doc_number=record.doc_number if record else None, amount=job.amount,
                         txn_date=_sent_date(job),
                         before_payload=dict(before.payload) if before and job.operation
                         != "create" else None, at=now)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]
