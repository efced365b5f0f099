"""``undo RUN``: preview the undo, then run it like a post (lock, recovery, poster, run).

The plan comes from ``app/undo.py``; sending goes through the same poster as a post, so
an undo is crash-safe, resumable and recorded with its own manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.accounting.preview import Preview, build_preview
from app.company_data import mapping_version
from app.models.database import Database
from app.plan.plan import Plan
from app.posting import ClientOpener, PostOptions, PostReport
from app.sync.poster import PostSummary
from app.sync.qbo_books import read_chart
from app.sync.run_execution import execute_run
from app.undo import UndoPlan, plan_undo
from app.write_session import write_session


@dataclass
class UndoReport(PostReport):
    undone_run: int = 0
    notes: list[str] = field(default_factory=list)


def undo_run(database: Database, company_id: int, company_name: str, open_client: ClientOpener,
             run_id: int, options: PostOptions,
             confirm: Callable[[Preview, UndoPlan], bool] | None = None) -> UndoReport:
    report = UndoReport(None, undone_run=run_id)
    with write_session(database, company_id, company_name, open_client) as session:
        store, client, ledger = session.store, session.client, session.ledger
        report.recovery = session.recovery
        undo = plan_undo(database, company_id, client, ledger, run_id, read_chart(client))
        report.notes = undo.notes
        operations = tuple(undo.operations)
        report.preview = build_preview(Plan(operations))
        if not operations:
            report.summary, report.run_status = PostSummary(), "nothing to undo"
            return report
        if confirm is not None and not confirm(report.preview, undo):
            report.declined = True
            return report
        report.decision = session.closed_period_decision(operations, "hold")
        report.run_id = store.start_run(
            "undo", None, undoes_run_id=run_id,
            mapping_version=mapping_version(database, company_id))
        refs = store.enqueue(report.run_id, operations)
        outcome = execute_run(store, client, ledger, report.run_id, operations, refs,
                              report.decision, options.sending)
    report.summary, report.run_status = outcome.summary, outcome.status
    report.counts, report.duplicates = outcome.counts, outcome.duplicates
    return report
