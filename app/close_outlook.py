"""Where the monthly close stands: the next month to close, and its preview.

The Monthly close screen shows ``close_outlook`` (the month after the last one posted,
what was imported for it, the last run) and runs ``preview_period`` in the background:
the same pre-flight and plan as ``ledgerbridge preview`` and the poster, so what the
window shows is exactly what a post would send. Plain Python, tested without Qt.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from app.accounting.planner import plan
from app.accounting.preview import Preview, build_preview
from app.company_data import load_company_data
from app.company_session import company_client
from app.dashboard import posted_months
from app.domain.dataset import Dataset
from app.importers.store import load_dataset
from app.mapping.store import load_mapping
from app.models.company import Company
from app.models.database import Database
from app.plan.plan import Period
from app.progress import CancelToken
from app.sync.preflight import preflight
from app.sync.runs import RunRow, list_runs
from app.yielding import release_records


@dataclass(frozen=True)
class CloseOutlook:
    period: Period | None  # the next month to close; None when there is no data yet
    last_posted: date | None  # first day of the last month posted
    payments: int  # in the period
    refunds: int
    charges: int
    later_months: int  # months of imported data after the period
    last_run: RunRow | None
    mapped: bool
    connected: bool
    # Records imported per month (its first day): payments, refunds, charges.
    months: tuple[tuple[date, int, int, int], ...] = ()
    posted: tuple[date, ...] = ()  # first days of the months posted
    # Run -> the finished undo that took its records out again (list_runs' undone_by), so
    # a close showing that run's result knows it no longer stands.
    undone: tuple[tuple[int, int], ...] = ()

    def undone_by(self, run_id: int | None) -> int | None:
        """The undo run that undid ``run_id``, if one did."""
        return next((undo for run, undo in self.undone if run == run_id), None)

    @property
    def month_text(self) -> str:
        return f"{self.period.start:%B %Y}" if self.period else "nothing to close yet"


def month_of(day: date) -> Period:
    return Period(day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1]))


def close_outlook(database: Database, company_id: int) -> CloseOutlook:
    with database.session() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise LookupError(f"there is no company {company_id}")
        connected = company.connection_state == "connected"
        go_live = company.go_live
        mapped = load_mapping(session, company_id) is not None
        dataset = load_dataset(session, company_id)
    runs = list_runs(database, company_id)
    posted = posted_months(runs)
    days = [p.date for p in dataset.payments] + [c.date for c in dataset.charges] \
        + [r.date for r in dataset.refunds]  # not sorted: a C-level sort holds the GIL
    first_day = min((day for day in days), default=None)  # a generator lets the GIL go
    period = None
    if posted:
        last = posted[-1]
        period = month_of(date(last.year + last.month // 12, last.month % 12 + 1, 1))
    elif go_live or first_day:
        period = month_of(go_live or first_day)  # type: ignore[arg-type]  # one is set
    later = {(d.year, d.month) for d in days if period and d > period.end}

    def inside(day: date) -> bool:
        return period is not None and period.start <= day <= period.end

    outlook = CloseOutlook(
        period, posted[-1] if posted else None,
        sum(1 for p in dataset.payments if inside(p.date)),
        sum(1 for r in dataset.refunds if inside(r.date)),
        sum(1 for c in dataset.charges if inside(c.date)),
        len(later), runs[-1] if runs else None, mapped, connected,
        _per_month(dataset), tuple(posted),
        tuple((r.id, r.undone_by) for r in runs if r.undone_by is not None))
    holders = [dataset]
    del dataset
    release_records(holders)  # in slices (app/yielding.py): a worker lets the window run
    return outlook


def _per_month(dataset: Dataset) -> tuple[tuple[date, int, int, int], ...]:
    """Payments, refunds and charges imported per month, oldest first."""
    counts: dict[date, list[int]] = {}
    days = ([p.date for p in dataset.payments], [r.date for r in dataset.refunds],
            [c.date for c in dataset.charges])
    for index, dates in enumerate(days):
        for day in dates:
            counts.setdefault(day.replace(day=1), [0, 0, 0])[index] += 1
    return tuple((month, v[0], v[1], v[2]) for month, v in sorted(counts.items()))


def preview_period(database: Database, company_id: int, data_dir: Path, period: Period,
                   cancel: CancelToken | None = None) -> Preview:
    """What a post of ``period`` would send, checked against the live company first."""
    data = load_company_data(database, company_id=company_id)
    assert data.mapping is not None  # load_company_data insists on one
    if cancel is not None:
        cancel.check()
    checked = preflight(lambda: company_client(data.company, database, data_dir),
                        data.mapping, data.dataset)
    if cancel is not None:
        cancel.check()
    planned = plan(data.dataset, checked.mapping, data.ledger, period, data.locked)
    planned = replace(planned, issues=checked.issues_for(planned, data.ledger) + planned.issues)
    return build_preview(planned)
