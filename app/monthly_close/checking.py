"""The close's Pre-flight and Preview: the period planned against the live company.

The same pre-flight and plan as ``ledgerbridge preview`` (``app/close_outlook.py``) and
the poster: the mapping re-validated against QuickBooks, the company's preferences
checked, the period planned from the stored records. Kept apart: the problems that
stop a post (the company or the mapping is wrong, QuickBooks could not be asked) from
those that hold back only their records, and the books' closing date, for the
hold / re-date / export choice. The preview is grouped for the tree in the worker too,
so the window only ever indexes lists.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from app.accounting.planner import plan
from app.accounting.preview import Preview, build_preview
from app.company_data import load_company_data
from app.company_session import company_client
from app.importers.pipeline import collector_paused
from app.models.database import Database
from app.monthly_close.fixes import NOT_CHECKED, Problem, problems
from app.monthly_close.preview_tree import PreviewTree, group_preview
from app.plan.plan import Issue, Period
from app.progress import CancelToken
from app.sync.closed_period import closing_date
from app.sync.preflight import preflight
from app.yielding import release_records

NOT_STOPPING = frozenset({"closed_period"})  # the hold / re-date / export choice's business


@dataclass(frozen=True)
class PeriodCheck:
    period: Period
    preview: Preview
    tree: PreviewTree
    problems: tuple[Problem, ...]
    stopping: tuple[Issue, ...]
    closed_through: date | None  # QuickBooks' closing date, when one is set
    closed_keys: tuple[str, ...]  # records of the plan dated on or before it

    @property
    def first_open_day(self) -> date | None:
        return self.closed_through + timedelta(days=1) if self.closed_through else None

    @property
    def headline(self) -> str:
        count = len(self.preview.operations)
        if self.stopping:
            return (f"{len(self.stopping)} problem(s) stop the post: fix them, then Check "
                    "again. Nothing is sent until they are fixed.")
        held = sum(p.held for p in self.problems if p.issue.code != "closed_period")
        parts = [f"{count} operation(s) ready to preview"]
        if held:
            parts.append(f"{held} record(s) held back until their problem is fixed")
        if self.closed_keys:
            parts.append(f"{len(self.closed_keys)} dated in QuickBooks' closed period")
        if not self.problems:
            return f"No problems found against QuickBooks: {parts[0]}."
        return "; ".join(parts) + "."


def check_period(database: Database, company_id: int, data_dir: Path, period: Period,
                 cancel: CancelToken | None = None) -> PeriodCheck:
    with collector_paused():  # a year's records and plan: no collector pauses meanwhile
        return _check_period(database, company_id, data_dir, period, cancel)


def _check_period(database: Database, company_id: int, data_dir: Path, period: Period,
                  cancel: CancelToken | None) -> PeriodCheck:
    data = load_company_data(database, company_id=company_id)
    assert data.mapping is not None  # load_company_data insists on one
    if cancel is not None:
        cancel.check()
    row = data.company
    checked = preflight(lambda: company_client(row, database, data_dir),
                        data.mapping, data.dataset)
    if cancel is not None:
        cancel.check()
    planned = plan(data.dataset, checked.mapping, data.ledger, period, data.locked)
    company = checked.issues_for(planned, data.ledger)
    preview = build_preview(replace(planned, issues=company + planned.issues))
    stopping = tuple(i for i in company if i.code not in NOT_STOPPING
                     and (i.severity == "error" or i.code == NOT_CHECKED))
    closed = closing_date(checked.preferences)
    closed_keys = tuple(o.key for o in planned.operations
                        if closed is not None and o.txn_date is not None and o.txn_date <= closed)
    tree = group_preview(preview, data.ledger)  # the names its references need, too
    holders = [data.dataset, dict(data.ledger)]
    del data
    release_records(holders)  # in slices, not in one go at return (app/yielding.py)
    return PeriodCheck(period, preview, tree,
                       problems(preview.issues, stopping, checked.mapping), stopping,
                       closed, closed_keys)
