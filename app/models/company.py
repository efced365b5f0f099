"""A QBO company Ledgerbridge posts to, and how it is connected (never the tokens)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin


class Company(TimestampMixin, Base):
    """One QBO company (realm). Tokens live in the OS keyring, keyed by ``id``."""

    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # "production" | "sandbox" (Intuit developer sandbox) | "local" (the built-in simulator)
    environment: Mapped[str] = mapped_column(String(20), default="local")
    realm_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    api_base_url: Mapped[str | None] = mapped_column(String(300))
    # The Intuit app client id is public; its secret is in the keyring.
    client_id: Mapped[str | None] = mapped_column(String(200))
    redirect_uri: Mapped[str | None] = mapped_column(String(300))
    # "disconnected" | "connected" | "reauthorisation_needed"
    connection_state: Mapped[str] = mapped_column(String(30), default="disconnected")
    qbo_company_name: Mapped[str | None] = mapped_column(String(200))
    # "detailed" | "summary"; None until the setup wizard chose one
    posting_style: Mapped[str | None] = mapped_column(String(20))
    go_live: Mapped[date | None] = mapped_column(Date)
    sync_schedule: Mapped[str] = mapped_column(String(20), default="manual")  # "daily" | "manual"
    mapping_version: Mapped[int] = mapped_column(Integer, default=0)


class AmbiguousCompany(Exception):
    """The folder holds several companies: the caller must say which one."""


def active_company(session, *, create: bool = False) -> Company | None:  # type: ignore[no-untyped-def]
    """The company of a folder that has only one (scripts, tests, the demo's own folder).

    The app never relies on this: commands and the window name their company explicitly
    (``app/companies.py``). With several companies it refuses rather than guess, so a
    caller left behind can never work on the wrong client's books. With ``create``, an
    empty folder gets an unconnected company so imports can be stored before connecting.
    """
    from sqlalchemy import select

    companies = list(session.scalars(select(Company).order_by(Company.id).limit(2)))
    if len(companies) > 1:
        raise AmbiguousCompany("this folder holds several companies: choose one "
                               "(--company NAME_OR_REALM)")
    company = companies[0] if companies else None
    if company is None and create:
        company = Company(name="My organisation", environment="local")
        session.add(company)
        session.flush()
    return company
