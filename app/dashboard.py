"""What the Home screen, the status bar and the banner say about one company.

Plain Python over the database, tested without Qt: the window only renders these
objects. Two reads: ``load_dashboard`` (counts and the latest import and run, a few
quick queries) and ``monthly_totals`` (the chart: money received per month posted, by
tender or by program, worked out from the source records with the deposit-split report
the reconciliation uses, so the chart and the proof of the books agree).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from app.accounting.deposit_split import deposit_split
from app.companies import ENVIRONMENT_LABELS, CompanyEntry, entry_of
from app.domain.dataset import Dataset
from app.domain.money import ZERO
from app.importers.store import load_dataset
from app.mapping.config import MappingConfig
from app.mapping.store import load_mapping
from app.models import ImportBatch, Job, SourceRecord
from app.models.company import Company
from app.models.database import Database
from app.plan.plan import Period
from app.sync.runs import RunRow, list_runs

POSTING_RUN_KINDS = ("post", "retry")
POSTED_STATUSES = ("finished", "finished_with_errors")
CHART_MONTHS = 12
STYLE_TEXT = {
    "summary": "Summary: journal entries of payments by tender, revenue and tax",
    "detailed": "Detailed: invoices, payments and refunds per registrant",
}


@dataclass(frozen=True)
class Banner:
    """A message across the top of the window, with the action that resolves it."""

    text: str
    action: str  # the button's label
    severity: str  # "warning" | "info"


@dataclass(frozen=True)
class ImportInfo:
    when: datetime
    status: str
    records: int  # new + changed in that import
    files: tuple[str, ...]

    @property
    def text(self) -> str:
        files = ", ".join(self.files[:3]) + (" …" if len(self.files) > 3 else "")
        what = (f"{self.records} new or changed record(s)" if self.status == "imported"
                else "rejected (errors: nothing stored)")
        return f"{self.when:%Y-%m-%d %H:%M} UTC: {what}" + (f" from {files}" if files else "")


@dataclass(frozen=True)
class Dashboard:
    company: CompanyEntry
    mapped: bool
    go_live: date | None
    records: int
    jobs: dict[str, int] = field(default_factory=dict)
    last_import: ImportInfo | None = None
    last_run: RunRow | None = None

    @property
    def failed_jobs(self) -> int:
        return self.jobs.get("failed", 0)

    @property
    def connection(self) -> str:
        return connection_text(self.company)

    @property
    def posting_style(self) -> str:
        style = self.company.posting_style
        if style is None:
            return "Not chosen yet (the setup wizard's Posting style page)"
        go_live = f"; go-live {self.go_live:%d %B %Y}" if self.go_live else ""
        return STYLE_TEXT.get(style, style) + go_live

    @property
    def last_run_text(self) -> str:
        return run_text(self.last_run) if self.last_run else "No run yet"

    @property
    def banner(self) -> Banner | None:
        return banner_for(self.company)

    @property
    def ready(self) -> bool:
        """Connected, fed and mapped: what the setup wizard leaves behind."""
        return (self.company.connection_state == "connected" and self.records > 0
                and self.mapped)


def connection_text(company: CompanyEntry) -> str:
    """The connection's health in a few words (the status bar and Home)."""
    where = ENVIRONMENT_LABELS.get(company.environment, company.environment)
    if company.simulator:
        where = ("the built-in simulator" if company.api_base_url is None
                 else f"the simulator at {company.api_base_url}")
    state = company.connection_state
    if company.realm_id is None:
        return "Not connected to QuickBooks yet"
    if state == "connected":
        return f"Connected to {where}"
    if state == "reauthorisation_needed":
        return f"Sign-in expired ({where}): reconnect to post"
    return f"Disconnected from {where}"


def health(company: CompanyEntry) -> str:
    """"ok", "warning" or "error": the colour of the status bar's connection light."""
    if company.connection_state == "connected":
        return "ok"
    return "error" if company.connection_state == "reauthorisation_needed" else "warning"


def banner_for(company: CompanyEntry) -> Banner | None:
    if company.connection_state == "reauthorisation_needed":
        return Banner(f"QuickBooks needs you to sign in again to {company.label}: nothing "
                      "can be posted until you reconnect. Nothing was lost.", "Reconnect",
                      "warning")
    if company.connection_state == "disconnected" and company.realm_id is not None:
        return Banner(f"{company.label} is disconnected from QuickBooks (its data here is "
                      "kept).", "Reconnect", "info")
    return None


def run_text(run: RunRow) -> str:
    period = (f"{run.period_from:%d %b %Y} to {run.period_to:%d %b %Y}"
              if run.period_from and run.period_to else "no period")
    counts = ", ".join(f"{v} {k}" for k, v in sorted(run.counts.items()) if v) or "nothing"
    when = run.finished_at or run.started_at
    return (f"Run {run.id} ({run.kind_text}, {period}): {run.status_text}, "
            f"{counts}; {when:%Y-%m-%d %H:%M} UTC")


def load_dashboard(database: Database, company_id: int) -> Dashboard:
    with database.session() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise LookupError(f"there is no company {company_id}")
        records = session.scalar(select(func.count()).select_from(SourceRecord)
                                 .where(SourceRecord.company_id == company_id)) or 0
        jobs = dict(session.execute(select(Job.status, func.count())
                                    .where(Job.company_id == company_id)
                                    .group_by(Job.status)).all())
        batch = session.scalars(select(ImportBatch).where(ImportBatch.company_id == company_id)
                                .order_by(ImportBatch.id.desc()).limit(1)).first()
        mapped = load_mapping(session, company_id) is not None
        last_import = _import_info(batch) if batch is not None else None
        entry = entry_of(company)
        go_live = company.go_live
    runs = list_runs(database, company_id)
    return Dashboard(entry, mapped, go_live, int(records),
                     {str(k): int(v) for k, v in jobs.items()},
                     last_import, runs[-1] if runs else None)


def _import_info(batch: ImportBatch) -> ImportInfo:
    changed = sum(int(c.get("new", 0)) + int(c.get("changed", 0))
                  for c in (batch.counts or {}).values())
    files = tuple(str(f.get("path") or f.get("file") or "").replace("\\", "/").rsplit("/", 1)[-1]
                  for f in (batch.files or []))
    return ImportInfo(batch.finished_at or batch.started_at, batch.status, changed,
                      tuple(f for f in files if f))


# -- the chart -------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Decimal, ...]  # one per month, net of refunds


@dataclass(frozen=True)
class MonthlyTotals:
    """Money received per month posted, split by tender or by program."""

    by: str  # "tender" | "program"
    months: tuple[date, ...]  # first day of each month, oldest first
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return not self.months

    def total(self, month_index: int) -> Decimal:
        return sum((s.values[month_index] for s in self.series), ZERO)


def posted_months(runs: Iterable[RunRow]) -> list[date]:
    """The months covered by finished posts and retries that QuickBooks still holds (first
    days, oldest first): a run undone since left nothing there, so its months are not
    posted, until a later post sends them again."""
    months: set[date] = set()
    for run in runs:
        if run.kind not in POSTING_RUN_KINDS or run.status not in POSTED_STATUSES \
                or run.undone_by is not None:
            continue
        if run.period_from is None or run.period_to is None:
            continue
        month = run.period_from.replace(day=1)
        while month <= run.period_to:
            months.add(month)
            month = _next_month(month)
    return sorted(months)


def monthly_totals(dataset: Dataset, months: list[date], by: str,
                   mapping: MappingConfig | None = None) -> MonthlyTotals:
    """Per month: received by tender, or revenue before tax by program category (net of refunds)."""
    if by not in ("tender", "program"):
        raise ValueError("by is 'tender' or 'program'")
    shown = months[-CHART_MONTHS:]
    per_label: dict[str, list[Decimal]] = {}
    for index, month in enumerate(shown):
        end = month.replace(day=monthrange(month.year, month.month)[1])
        report = deposit_split(dataset, Period(month, end), mapping)
        rows = report.payments_by_tender if by == "tender" else report.revenue_by_program
        for row in rows:
            label = _tender_label(row.label) if by == "tender" else _category(dataset, row.key)
            values = per_label.setdefault(label, [ZERO] * len(shown))
            values[index] += row.net
    series = tuple(Series(label, tuple(values)) for label, values in sorted(per_label.items())
                   if any(values))
    return MonthlyTotals(by, tuple(shown), series)


def load_monthly_totals(database: Database, company_id: int, by: str) -> MonthlyTotals:
    months = posted_months(list_runs(database, company_id))
    if not months:
        return MonthlyTotals(by, (), ())
    with database.session() as session:
        dataset = load_dataset(session, company_id)
        mapping = load_mapping(session, company_id)
    return monthly_totals(dataset, months, by, mapping)


def _tender_label(text: str) -> str:
    return text.removeprefix("custom:").replace("_", " ").capitalize()


def _category(dataset: Dataset, program_id: str) -> str:
    """Programs are shown by category (what maps to an income account): fewer series."""
    program = dataset.program_by_id.get(program_id)
    if program is None:
        return program_id
    return program.income_category


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)
