"""Everything a plan is made from, read from the local database in one go.

The preview, the reports (and later the poster and the GUI) plan from the same four
things: the source records, the mapping, the ledger and the locked periods. Reading
them in one place keeps every entry point planning from the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.accounting.ledger_store import load_ledger_view, load_locked_periods
from app.accounting.ledger_view import LedgerView
from app.domain.dataset import Dataset
from app.importers.store import load_dataset
from app.mapping.config import MappingConfig
from app.mapping.store import load_mapping
from app.models.company import Company, active_company
from app.models.database import Database
from app.plan.plan import Period


class NoCompanyData(Exception):
    """Nothing to plan from yet; the message says what to do first."""


@dataclass(frozen=True)
class CompanyData:
    company: Company
    mapping: MappingConfig | None
    dataset: Dataset
    ledger: LedgerView
    locked: tuple[Period, ...]


def load_company_data(database: Database, *, need_mapping: bool = True,
                      company_id: int | None = None, with_ledger: bool = True) -> CompanyData:
    """The company's records, mapping, ledger and locks (the active company by default).

    ``with_ledger=False`` leaves the ledger empty, for a caller that reads it itself (the
    poster keeps its own live copy) or does not need it.
    """
    with database.session() as session:
        company = session.get(Company, company_id) if company_id is not None \
            else active_company(session)
        if company is None:
            raise NoCompanyData("no company yet: import data"
                                + (" and a mapping" if need_mapping else "") + " first")
        mapping = load_mapping(session, company.id)
        if mapping is None and need_mapping:
            raise NoCompanyData(
                "there is no mapping yet: run `ledgerbridge mapping import FILE`")
        return CompanyData(
            company=company,
            mapping=mapping,
            dataset=load_dataset(session, company.id),
            ledger=load_ledger_view(session, company.id) if with_ledger else {},
            locked=load_locked_periods(session, company.id),
        )


def default_period(dataset: Dataset, go_live: date | None, start: date | None = None,
                   end: date | None = None) -> Period:
    """The period asked for; open ends default to go-live / the data's first and last day."""
    days = [c.date for c in dataset.charges] + [p.date for p in dataset.payments]
    days += [r.date for r in dataset.refunds]
    if not days and (start is None or end is None):
        raise NoCompanyData("there is no imported data yet: run `ledgerbridge import` first")
    first = start or go_live or min(days)
    last = end or max(days)
    if last < first:
        raise NoCompanyData(f"--to {last} is before --from {first}")
    return Period(first, last)


def mapping_version(database: Database, company_id: int) -> int:
    """The version of the company's mapping now in force (the manifests record it)."""
    with database.session() as session:
        company = session.get(Company, company_id)
        return company.mapping_version or 0 if company is not None else 0
