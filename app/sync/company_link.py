"""The edge between a connection and the database: Company rows, never secrets.

Builds a live ``QboClient`` for a stored company (tokens from the token store, the
client secret from the keyring), and records what the user should see: connected,
disconnected, or reauthorisation needed.

A stored company is one of three kinds. Hosted (production, Intuit sandbox): reached
at Intuit's URLs. Local at a URL: a simulator someone runs, reached at the stored
``api_base_url`` exactly like a hosted company (keyring, refresh, rotation), with the
OAuth endpoints and time scale it publishes. The built-in demo company: local with no
stored address, because its simulator is started by Ledgerbridge from the data folder
on a new port each time (``app/company_session.py``); its tokens stay in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models.company import Company
from app.models.database import Database
from app.sync.client import QboClient
from app.sync.connection import Connection
from app.sync.environments import LOCAL, Environment, hosted_environment, is_loopback_url
from app.sync.local_simulator import RunningSimulator, running_simulator
from app.sync.oauth import Authorisation, OAuthClient
from app.sync.tokens import TokenStore

log = logging.getLogger(__name__)

CONNECTED = "connected"
DISCONNECTED = "disconnected"
REAUTHORISATION_NEEDED = "reauthorisation_needed"


@dataclass(frozen=True)
class CompanyConnection:
    """What ``connect`` stores on the Company row (everything but secrets)."""

    environment: str
    realm_id: str
    api_base_url: str | None  # None only for the built-in demo company (a new port each start)
    client_id: str
    redirect_uri: str | None  # a configured relay page; None for the (ephemeral) loopback
    qbo_company_name: str


def record_connection(session: Session, company: Company, link: CompanyConnection) -> None:
    company.environment = link.environment
    company.realm_id = link.realm_id
    company.api_base_url = link.api_base_url
    company.client_id = link.client_id
    company.redirect_uri = link.redirect_uri
    company.qbo_company_name = link.qbo_company_name
    company.connection_state = CONNECTED
    if company.name in ("", "My organisation"):
        company.name = link.qbo_company_name


def set_connection_state(database: Database, company_id: int, state: str) -> None:
    with database.session() as session:
        company = session.get(Company, company_id)
        if company is not None:
            company.connection_state = state


def reauthorisation_marker(database: Database, company_id: int) -> Callable[[], None]:
    """The callback a Connection calls when only the user can restore access."""

    def mark() -> None:
        set_connection_state(database, company_id, REAUTHORISATION_NEEDED)

    return mark


def finish_connect(
    environment: Environment,
    oauth: OAuthClient,
    authorisation: Authorisation,
    store: TokenStore,
    *,
    client_factory: Callable[[Connection], QboClient] = QboClient,
) -> tuple[Connection, CompanyConnection]:
    """Save the fresh tokens, then read CompanyInfo to name the company."""
    connection = Connection(
        environment=environment, realm_id=authorisation.realm_id, oauth=oauth, store=store
    )
    connection.save_authorisation(authorisation.tokens)
    info = client_factory(connection).company_info()
    link = CompanyConnection(
        environment=environment.name,
        realm_id=authorisation.realm_id,
        api_base_url=environment.api_base_url,
        client_id=oauth.client_id,
        redirect_uri=None if is_loopback_url(oauth.redirect_uri) else oauth.redirect_uri,
        qbo_company_name=str(info.get("CompanyName") or info.get("LegalName") or ""),
    )
    return connection, link


def is_builtin_demo(company: Company) -> bool:
    """The demo company whose simulator Ledgerbridge starts: local, with no stored address."""
    return company.environment == LOCAL and not company.api_base_url


def simulator_of(company: Company) -> RunningSimulator | None:
    """The running simulator a local company is reached at; None for a hosted company.

    Asked over HTTP each time (it may have restarted with another time scale); raises
    ``SimulatorUnavailable`` with the fix when it does not answer or holds another realm.
    """
    if is_builtin_demo(company):
        raise ValueError("the built-in demo company is reached through the simulator "
                         "Ledgerbridge starts from its data folder")
    if company.environment != LOCAL:
        return None
    simulator = running_simulator(company.api_base_url or "")
    simulator.check_realm(company.realm_id)
    return simulator


def environment_of(company: Company) -> Environment:
    """Where a stored company is reached: Intuit's URLs, or the simulator at its address."""
    simulator = simulator_of(company)
    if simulator is not None:
        return simulator.environment
    return hosted_environment(company.environment, company.api_base_url)


def open_stored_client(
    company: Company, database: Database, store: TokenStore, **client_options: object
) -> QboClient:
    """A client for a connected company whose authorisation is stored (all but the demo).

    A simulator's time scale sets the governor's minute and the backoff, so a simulator
    running a fast clock is posted to at its scaled limits; options given here win.
    """
    from app.sync.tokens import load_client_secret

    if not (company.realm_id and company.client_id):
        raise ValueError("this company has never been connected")
    simulator = simulator_of(company)
    if simulator is not None:
        environment = simulator.environment
        client_options = {**simulator.client_options(), **client_options}
    else:
        environment = hosted_environment(company.environment, company.api_base_url)
    secret = load_client_secret(company.client_id) or ""
    oauth = OAuthClient(environment, company.client_id, secret, company.redirect_uri or "")
    connection = Connection(
        environment=environment,
        realm_id=company.realm_id,
        oauth=oauth,
        store=store,
        on_reauthorisation_needed=reauthorisation_marker(database, company.id),
    )
    return QboClient(connection, **client_options)  # type: ignore[arg-type]
