"""A post, from the lock to the duplicate scan: the one function the CLI and GUI call.

In order: take the company's posting lock (a second poster stops at once); resolve
what an earlier run left in doubt (look it up in QuickBooks, adopt what is there);
pre-flight the live company and plan the period from the stored records, so problems
stop the post before its first write; apply the closed-period choice; ask (the CLI's
prompt, the GUI's button) with the preview in hand; send; scan for duplicates; record
the run. Pure Python: progress and cancel come in as a callback and a token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.accounting.planner import plan as make_plan
from app.accounting.preview import Preview, build_preview
from app.company_data import CompanyData, default_period, load_company_data
from app.mapping.config import MappingConfig
from app.mapping.defaults import with_defaults
from app.mapping.store import record_found_ids
from app.models.database import Database
from app.models.imports import ImportBatch
from app.models.jobs import PostingRun
from app.plan.operations import Operation
from app.plan.plan import Issue, Period, Plan
from app.progress import CancelToken, PostProgress
from app.sync.client import QboClient
from app.sync.closed_period import (
    ClosedPeriodDecision,
    apply_policy,
    closing_date,
    write_held_lines,
)
from app.sync.duplicates import Duplicate
from app.sync.fingerprint import inputs_fingerprint
from app.sync.job_store import JobStore
from app.sync.ledger_writes import LiveLedger, as_posted
from app.sync.poster import DEFAULT_WORKERS, PostSummary
from app.sync.posting_lock import HeldLock
from app.sync.preflight import check_company
from app.sync.recovery import RecoveryReport
from app.sync.run_execution import Sending, execute_run
from app.write_session import ClientOpener, write_session

# Shown the preview and the closed-period decision before anything is sent: True to post.
Confirm = Callable[[Preview, ClosedPeriodDecision], bool]
# Stopping issues found against the live company; a closed period is the policy's business.
NOT_STOPPING = frozenset({"closed_period"})


@dataclass
class PostReport:
    """Everything the CLI prints and the GUI's result pane shows about one post."""

    period: Period | None  # None for a retry, which resends jobs rather than a period
    preview: Preview | None = None
    recovery: RecoveryReport = field(default_factory=RecoveryReport)
    decision: ClosedPeriodDecision = field(default_factory=ClosedPeriodDecision)
    summary: PostSummary | None = None
    run_id: int | None = None
    run_status: str = "not started"
    counts: dict[str, int] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    stopping: tuple[Issue, ...] = ()  # pre-flight problems that stopped the post
    declined: bool = False
    # Records the plan itself held back (an unmapped program, an unbalanced day): the
    # rest was posted, these wait for the bookkeeper's fix.
    held_by_plan: frozenset[str] = frozenset()

    @property
    def exit_code(self) -> int:
        """0 everything posted; 1 something failed, was blocked or held; 2 nothing sent."""
        if self.stopping:
            return 2
        if self.declined or self.summary is None:
            return 0 if self.declined else 2
        if self.summary.clean and not self.held_by_plan and not self.duplicates \
                and not self.recovery.gone:
            return 0
        return 1

    def as_dict(self) -> dict[str, Any]:
        summary = self.summary
        return {
            "period": None if self.period is None else {
                "from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "run_id": self.run_id, "run_status": self.run_status, "counts": self.counts,
            "recovered": self.recovery.as_dict(),
            "held": self.decision.held, "redated": sorted(self.decision.overrides),
            "held_by_plan": sorted(self.held_by_plan),
            "failures": [{"key": k, "message": m} for k, m in summary.failures] if summary
            else [],
            "stopped": summary.stopped if summary else None,
            "duplicates": [d.as_dict() for d in self.duplicates],
            "stopping_issues": [{"code": i.code, "message": i.message, "fix": i.fix}
                                for i in self.stopping],
            "exit_code": self.exit_code,
        }


@dataclass
class PostOptions:
    period: Period | None  # None: from ``start``/``end``, open ends from the data
    start: date | None = None
    end: date | None = None
    closed_period: str = "hold"
    confirm: Confirm | None = None
    progress: Callable[[PostProgress], None] | None = None
    cancel: CancelToken | None = None
    workers: int = DEFAULT_WORKERS
    # Records changed in QuickBooks that the bookkeeper chose to replace with the source.
    overwrite_edited: frozenset[str] = frozenset()
    export_file: Path | None = None  # with closed_period "export": where the lines go
    # The company's posting lock when the caller holds it already (the unattended sync
    # imports and posts under one lock); None: the post takes it, or stops at once.
    held_lock: HeldLock | None = None

    @property
    def sending(self) -> Sending:
        return Sending(self.progress, self.cancel, self.workers, self.overwrite_edited)


def post_period(database: Database, company_id: int, company_name: str,
                open_client: ClientOpener, options: PostOptions) -> PostReport:
    """Post the period of the company; raises ``PostingLocked`` when one is running."""
    report = PostReport(options.period)
    with write_session(database, company_id, company_name, open_client,
                       options.held_lock) as session:
        store, client, ledger = session.store, session.client, session.ledger
        report.recovery = session.recovery
        data = load_company_data(database, company_id=company_id, with_ledger=False)
        # The planners see the ledger the poster keeps (one read, after recovery).
        data = replace(data, ledger={r.key: as_posted(r) for r in ledger})
        options.period = options.period or default_period(
            data.dataset, data.mapping.go_live if data.mapping else None, options.start,
            options.end)
        report.period = options.period
        inactive = frozenset(r.key for r in ledger if r.state == "inactive")
        period = options.period
        checked = _plan_against(client, data, period, inactive, lambda mapping: unchanged(
            database, company_id, period, mapping))
        report.preview = build_preview(replace(checked.plan, issues=checked.issues))
        report.held_by_plan = frozenset(key for issue in checked.plan.blocking_issues
                                        for key in issue.blocks)
        report.stopping = tuple(i for i in checked.company_errors
                                if i.code not in NOT_STOPPING)
        if report.stopping:
            return report
        report.decision = apply_policy(checked.plan.operations,
                                       closing_date(checked.preferences),
                                       options.closed_period)
        if not checked.plan.operations:
            report.summary, report.run_status = PostSummary(), "nothing to send"
            return report  # no run: QuickBooks already has everything
        if options.confirm is not None and not options.confirm(report.preview,
                                                               report.decision):
            report.declined = True
            return report
        if options.closed_period == "export":  # only once the bookkeeper said yes
            _export(checked.plan.operations, report.decision, options.export_file)
        _send(database, store, client, ledger, data, checked, options, report)
    return report


def _export(operations: tuple[Operation, ...], decision: ClosedPeriodDecision,
            path: Path | None) -> None:
    if path is None:
        raise ValueError("--closed-period export needs a file to write the held records to")
    try:
        write_held_lines(path, operations, decision)
    except OSError as exc:
        raise ValueError(f"cannot write {path}: {exc}") from exc


@dataclass(frozen=True)
class _Checked:
    """The plan made against the live company, with what pre-flight found there."""

    plan: Plan
    issues: tuple[Issue, ...]  # the company's and the mapping's, then the plan's own
    mapping: MappingConfig  # with the QBO ids found
    preferences: dict[str, Any]

    @property
    def company_errors(self) -> list[Issue]:
        """Errors about the company or the mapping (not the plan's, which hold records)."""
        own = set(self.plan.issues)
        return [i for i in self.issues if i.severity == "error" and i not in own]


def _send(database: Database, store: JobStore, client: QboClient, ledger: LiveLedger,
          data: CompanyData, checked: _Checked, options: PostOptions, report: PostReport
          ) -> None:
    run_id = store.start_run("post", options.period,
                             mapping_version=data.company.mapping_version or 0,
                             source_hashes=source_hashes(database, data.company.id))
    report.run_id = run_id
    with database.session() as session:
        record_found_ids(session, data.company.id, checked.mapping)
    operations = checked.plan.operations
    held_before = store.held_keys([op.key for op in operations if op.action == "create"])
    jobs = store.enqueue(run_id, operations, report.decision.overrides)
    outcome = execute_run(store, client, ledger, run_id, operations, jobs, report.decision,
                          options.sending, look_up_first=held_before)
    if outcome.status == "finished" and options.period is not None and data.mapping:
        # The mapping as the next post's pre-flight will find it (with the ids of the
        # accounts and classes this run created).
        mapping = check_company(client, with_defaults(data.mapping, data.dataset)).mapping
        store.set_inputs_digest(run_id, inputs_fingerprint(
            database, data.company.id, options.period, mapping))
    report.summary, report.run_status = outcome.summary, outcome.status
    report.counts, report.duplicates = outcome.counts, outcome.duplicates


def reactivating(operations: tuple[Operation, ...], inactive: frozenset[str]
                 ) -> tuple[Operation, ...]:
    """A name an undo made inactive is made active again, never created a second time
    (QuickBooks refuses a second record with the name, even beside an inactive one)."""
    return tuple(Operation("reactivate", op.entity, op.key, {"Active": True},
                           f"Make {op.entity.lower()} {op.key} active again (it was made "
                           "inactive by an undo)", sources=op.sources)
                 if op.action == "create" and op.key in inactive else op
                 for op in operations)


def unchanged(database: Database, company_id: int, period: Period,
              mapping: MappingConfig) -> bool:
    """Whether every input of the plan is as the last run left it, that run a post of
    this very period that posted everything: planning again would send nothing."""
    last = latest_run(database, company_id)
    if last is None or last.kind != "post" or last.status != "finished" \
            or (last.period_from, last.period_to) != (period.start, period.end) \
            or not last.inputs_digest:
        return False
    return last.inputs_digest == inputs_fingerprint(database, company_id, period, mapping)


def _plan_against(client: QboClient, data: CompanyData, period: Period,
                  inactive: frozenset[str] = frozenset(),
                  unchanged_since: Callable[[MappingConfig], bool] = lambda _m: False
                  ) -> _Checked:
    """Pre-flight against the live company, then the plan of the period (none when
    nothing changed since the run that posted it all)."""
    if data.mapping is None:
        raise ValueError("there is no mapping yet: run `ledgerbridge mapping import FILE`")
    checked = check_company(client, with_defaults(data.mapping, data.dataset))
    if unchanged_since(checked.mapping):
        planned = Plan((), (), period)
    else:
        planned = make_plan(data.dataset, checked.mapping, data.ledger, period, data.locked)
        planned = replace(planned, operations=reactivating(planned.operations, inactive))
    issues = tuple(checked.issues_for(planned, data.ledger)) + tuple(planned.issues)
    return _Checked(planned, issues, checked.mapping, dict(checked.preferences))


def source_hashes(database: Database, company_id: int) -> list[dict[str, Any]]:
    """The files the stored records came from, for the run's manifest: a rejected import
    stored nothing, so its files are not among them."""
    with database.session() as session:
        batches = session.scalars(select(ImportBatch).where(
            ImportBatch.company_id == company_id, ImportBatch.status != "rejected")
            .order_by(ImportBatch.id))
        seen: set[tuple[str, str]] = set()
        files = []
        for batch in batches:  # every import the stored records came from, once each
            for entry in batch.files or []:
                name, digest = str(entry.get("path") or ""), str(entry.get("sha256") or "")
                if (name, digest) not in seen:
                    seen.add((name, digest))
                    files.append({"import": batch.id, "file": name, "sha256": digest,
                                  "rows": entry.get("rows")})
        return files


def latest_run(database: Database, company_id: int) -> PostingRun | None:
    with database.session() as session:
        return session.scalars(select(PostingRun).where(PostingRun.company_id == company_id)
                               .order_by(PostingRun.id.desc()).limit(1)).first()
