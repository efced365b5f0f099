"""Retry: send again what failed, once the bookkeeper fixed its cause (SPEC §1 error log).

A failed job is sent again as it was planned, with a requestid of its own (QuickBooks
would replay its first refusal otherwise), together with everything that waited for it
(its blocked dependants, in dependency order). What QuickBooks already holds in that
form is not sent again; what was held for a closed period stays held while the books are
still closed there. Like a post: under the company's lock, after recovery, as a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.company_data import mapping_version
from app.models.database import Database
from app.models.jobs import Job
from app.plan.operations import Operation
from app.posting import ClientOpener, PostOptions, PostReport
from app.sync.job_store import JobStore, Outcome, job_operation
from app.sync.ledger_writes import LiveLedger
from app.sync.poster import PostSummary
from app.sync.run_execution import execute_run
from app.write_session import write_session

RETRYABLE = ("failed", "blocked", "held", "cancelled")


@dataclass(frozen=True)
class RetryRequest:
    job_ids: tuple[int, ...] = ()  # empty: every job that needs it (``--all``)


def retry_jobs(database: Database, company_id: int, company_name: str,
               open_client: ClientOpener, request: RetryRequest, options: PostOptions
               ) -> PostReport:
    """Send the requested jobs again; raises ``PostingLocked`` when a post is running."""
    report = PostReport(None)
    with write_session(database, company_id, company_name, open_client) as session:
        store, ledger = session.store, session.ledger
        report.recovery = session.recovery
        jobs = _selected(store, request)
        current = [job for job in jobs if _still_needed(job, ledger)]
        settled = [Outcome(job.id, "skipped", "QuickBooks already holds this record as "
                           "planned") for job in jobs if job not in current]
        operations = ordered([job_operation(job) for job in current])
        if not operations:
            store.settle(None, settled)
            report.summary, report.run_status = PostSummary(), "nothing to send"
            return report
        report.decision = session.closed_period_decision(operations, options.closed_period)
        run_id = store.start_run("retry", None,
                                 mapping_version=mapping_version(database, company_id))
        report.run_id = run_id
        store.settle(run_id, settled)
        refs = store.enqueue(run_id, operations, report.decision.overrides)
        outcome = execute_run(store, session.client, ledger, run_id, operations, refs,
                              report.decision, options.sending)
    report.summary, report.run_status = outcome.summary, outcome.status
    report.counts, report.duplicates = outcome.counts, outcome.duplicates
    return report


def _selected(store: JobStore, request: RetryRequest) -> list[Job]:
    """The jobs asked for (or every one needing it), with what waits for them."""
    with store.database.session() as session:
        candidates = list(session.scalars(select(Job).where(
            Job.company_id == store.company_id, Job.status.in_(RETRYABLE)).order_by(Job.id)))
    if not request.job_ids:
        return candidates
    unknown = set(request.job_ids) - {job.id for job in candidates}
    if unknown:
        raise ValueError(f"no failed, blocked, held or unsent job {sorted(unknown)}: see "
                         "`ledgerbridge errors`")
    chosen = {job.ledger_key for job in candidates if job.id in request.job_ids}
    grew = True
    while grew:  # what waits for a chosen job goes with it
        extra = {job.ledger_key for job in candidates
                 if job.status == "blocked" and job.blocked_by in chosen} - chosen
        chosen |= extra
        grew = bool(extra)
    return [job for job in candidates if job.ledger_key in chosen]


def _still_needed(job: Job, ledger: LiveLedger) -> bool:
    """Whether QuickBooks still lacks what the job would do."""
    record = ledger.get(job.ledger_key)
    if job.operation == "create":
        return record is None
    if record is None:
        return False  # gone from QuickBooks: nothing left to change, void or delete
    if job.operation == "update":
        return record.content_hash != job.content_hash
    if job.operation == "reactivate":
        return record.state == "inactive"
    return job.operation == "delete" or record.state == "posted"  # void, deactivate


def ordered(operations: Sequence[Operation]) -> list[Operation]:
    """Dependencies first, otherwise in the order they were first planned."""
    by_key = {op.key: op for op in operations}
    placed: set[str] = set()
    result: list[Operation] = []

    def place(operation: Operation, trail: frozenset[str]) -> None:
        if operation.key in placed or operation.key in trail:
            return
        for key in operation.depends_on:
            if key in by_key:
                place(by_key[key], trail | {operation.key})
        placed.add(operation.key)
        result.append(operation)

    for operation in operations:
        place(operation, frozenset())
    return result
