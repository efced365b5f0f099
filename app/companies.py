"""The companies of a data folder, and which one a command or the window works on.

A bookkeeper serves several clients: each is a ``Company`` row with its own source
records, mapping, ledger and jobs, all keyed by ``company_id``. Nothing picks "the
lowest id" any more: the CLI's ``--company NAME_OR_REALM`` or the window's switcher
names one; without a choice the only company, else the last one used, is taken, and
otherwise the error names the choices. The last company used is remembered in the
config folder (a small JSON file, no secrets), shared by the window and the CLI.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.company import Company
from app.models.database import Database

LAST_COMPANY_FILE = "last-company.json"
NEW_COMPANY_NAME = "My organisation"
ENVIRONMENT_LABELS = {"production": "QuickBooks Online", "sandbox": "Intuit sandbox",
                      "local": "simulator"}


class CompanyChoiceError(Exception):
    """No company, or not one clear company, matches; the message names the choices."""


@dataclass(frozen=True)
class CompanyEntry:
    """What the switcher and ``company list`` show about one company (no secrets)."""

    id: int
    name: str
    qbo_company_name: str | None
    realm_id: str | None
    environment: str
    api_base_url: str | None
    connection_state: str
    posting_style: str | None

    @property
    def simulator(self) -> bool:
        """Connected to a simulator (the built-in one or one at a URL), not to Intuit."""
        return self.environment == "local" and self.realm_id is not None

    @property
    def label(self) -> str:
        """The name as shown everywhere: a simulator company always says so."""
        if self.simulator and "simulator" not in self.name.lower():
            return f"{self.name} (simulator)"
        return self.name

    def describe(self) -> str:
        realm = f"realm {self.realm_id}" if self.realm_id else "not connected"
        return f"{self.label} ({realm})"


def entry_of(company: Company) -> CompanyEntry:
    return CompanyEntry(company.id, company.name, company.qbo_company_name, company.realm_id,
                        company.environment, company.api_base_url, company.connection_state,
                        company.posting_style)


def list_companies(session: Session) -> list[CompanyEntry]:
    """Every company of the database, by name (then id)."""
    rows = session.scalars(select(Company).order_by(Company.name, Company.id))
    return [entry_of(company) for company in rows]


def companies_of(database: Database) -> list[CompanyEntry]:
    """The companies of a data folder's database (one session, plain values out)."""
    with database.session() as session:
        return list_companies(session)


def matching(entries: list[CompanyEntry], choice: str) -> list[CompanyEntry]:
    """Companies whose realm id is ``choice``, else whose name is (case-insensitive)."""
    by_realm = [e for e in entries if e.realm_id and e.realm_id == choice.strip()]
    if by_realm:
        return by_realm
    wanted = choice.strip().casefold()
    return [e for e in entries
            if wanted in {e.name.casefold(), (e.qbo_company_name or "").casefold(),
                          e.label.casefold()}]


def choose_company(entries: list[CompanyEntry], choice: str | None,
                   last_used: int | None) -> CompanyEntry:
    """The company named by ``choice``; without one, the only or the last-used company."""
    if choice is not None:
        found = matching(entries, choice)
        if len(found) == 1:
            return found[0]
        if not found:
            raise CompanyChoiceError(f"no company is called {choice!r} (name or realm id); "
                                     f"{_choices(entries)}; `ledgerbridge company add NAME` "
                                     "adds one")
        raise CompanyChoiceError(f"{choice!r} names several companies; give the realm id "
                                 f"instead: {'; '.join(e.describe() for e in found)}")
    if len(entries) == 1:
        return entries[0]
    remembered = [e for e in entries if e.id == last_used]
    if remembered:
        return remembered[0]
    if not entries:
        raise CompanyChoiceError("there is no company yet: `ledgerbridge connect` or "
                                 "`ledgerbridge import` makes the first")
    raise CompanyChoiceError(f"there are several companies and none was chosen: "
                             f"{_choices(entries)}")


def _choices(entries: list[CompanyEntry]) -> str:
    if not entries:
        return "there is no company yet"
    names = "; ".join(e.describe() for e in entries)
    return (f"the companies are: {names}. Choose one with --company NAME_OR_REALM "
            "(or `ledgerbridge company use NAME_OR_REALM`)")


def add_company(session: Session, name: str) -> CompanyEntry:
    """A new, unconnected company; names are unique (case-insensitive) to stay choosable."""
    name = name.strip()
    if not name:
        raise CompanyChoiceError("a company needs a name")
    if matching(list_companies(session), name):
        raise CompanyChoiceError(f"there is already a company called {name!r}")
    company = Company(name=name, environment="local")
    session.add(company)
    session.flush()
    return entry_of(company)


def rename_company(session: Session, company_id: int, name: str) -> CompanyEntry:
    """Give a company another name, unique (case-insensitive) like ``add_company``."""
    name = name.strip()
    if not name:
        raise CompanyChoiceError("a company needs a name")
    if any(e.id != company_id for e in matching(list_companies(session), name)):
        raise CompanyChoiceError(f"there is already a company called {name!r}")
    company = session.get(Company, company_id)
    if company is None:
        raise CompanyChoiceError(f"there is no company {company_id}")
    company.name = name
    return entry_of(company)


def company_holding_realm(session: Session, realm_id: str,
                          other_than: int | None = None) -> CompanyEntry | None:
    """The company already connected to this QuickBooks realm, if another one is."""
    company = session.scalars(select(Company).where(Company.realm_id == realm_id)).first()
    if company is None or company.id == other_than:
        return None
    return entry_of(company)


@dataclass(frozen=True)
class LastCompany:
    """The company last worked on: a real one by id, and whether the window had the demo."""

    company_id: int | None = None
    demo: bool = False


def read_last_company(config_dir: Path) -> LastCompany:
    try:
        data = json.loads((config_dir / LAST_COMPANY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return LastCompany()
    company_id = data.get("company_id") if isinstance(data, dict) else None
    demo = bool(data.get("demo")) if isinstance(data, dict) else False
    return LastCompany(company_id if isinstance(company_id, int) else None, demo)


def remember_company(config_dir: Path, company_id: int | None = None, *,
                     demo: bool = False) -> None:
    """Record the last company; choosing the demo keeps the last real company for the CLI."""
    previous = read_last_company(config_dir)
    keep = company_id if company_id is not None else previous.company_id
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / LAST_COMPANY_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"company_id": keep, "demo": demo}), encoding="utf-8")
    os.replace(temporary, path)


def stored_company(database: Database, company_id: int) -> Company:
    """The company row, detached (used after its session, as the CLI's commands do)."""
    with database.session() as session:
        company = session.get(Company, company_id)
        if company is None:
            raise LookupError(f"there is no company {company_id}")
        session.expunge(company)
        return company
