"""Reading what the wizard starts from: the company's row, records and mapping, its chart.

Each function is a piece of background work (the GUI runs it through its one helper):
plain values in, plain values out, a session of its own, no ORM object leaves it.
"""

from __future__ import annotations

from sqlalchemy import select

from app.accounting.ledger_store import load_ledger_view, load_locked_periods
from app.accounting.ledger_view import LedgerView
from app.importers.store import known_records, load_dataset
from app.importers.validate import KnownRecords
from app.mapping.store import load_mapping
from app.models.company import Company
from app.plan.plan import Period
from app.progress import Progress
from app.sync.preflight import fetch_chart

from .chart import Chart
from .pages import check_page
from .services import SetupServices
from .state import SetupState, StoredCompany


def load_state(services: SetupServices, company_id: int | None, only_page: str | None,
               progress: Progress | None = None) -> SetupState:
    """A state for adding a company (``company_id`` None) or for one already set up."""
    state = SetupState(only_page=check_page(only_page) if only_page else None)
    with services.database.session() as session:
        state.taken_names = frozenset(
            name.casefold() for company_row_id, name in session.execute(
                select(Company.id, Company.name)) if company_row_id != company_id)
    if company_id is None:
        return state
    if progress:
        progress.report(0, 1, "Reading the company's records and mapping…")
    with services.database.session() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise ValueError(f"there is no company {company_id}")
        state.company = StoredCompany(
            company_id=company.id, name=company.qbo_company_name or company.name,
            environment=company.environment, realm_id=company.realm_id,
            connection_state=company.connection_state,
            api_base_url=company.api_base_url, mapping_version=company.mapping_version or 0,
            own_name=company.name)
        state.stored = load_dataset(session, company.id)
        state.load_mapping(load_mapping(session, company.id))
    return state


def read_chart(services: SetupServices, company_id: int, progress: Progress | None = None
               ) -> Chart:
    """The stored company's accounts and classes, read once (pre-flight's fetch_chart)."""
    if progress:
        progress.report(0, 1, "Reading the chart of accounts from QuickBooks…")
    with services.client_for(company_id) as client:
        return Chart.from_snapshot(fetch_chart(client))


def known_for(services: SetupServices, company_id: int | None) -> KnownRecords:
    """What earlier imports stored, so this import's references to them resolve."""
    if company_id is None:
        return KnownRecords()
    with services.database.session() as session:
        return known_records(session, company_id)


def ledger_for(services: SetupServices, company_id: int | None
               ) -> tuple[LedgerView, tuple[Period, ...]]:
    """The company's ledger and locked periods (nothing for a new company)."""
    if company_id is None:
        return {}, ()
    with services.database.session() as session:
        return load_ledger_view(session, company_id), load_locked_periods(session, company_id)
