"""The Connect step: the demo company, Intuit (production or its sandbox), or a simulator
someone runs at an address — authorised, and the chart of accounts read once.

Nothing is saved here. The tokens of a new connection are held in a
``MemoryTokenStore`` until Finish, when they go to the keyring as ``ledgerbridge
connect`` puts them there (``NewConnection.save_secrets``); cancelling the wizard leaves
no trace. The hosted flow is the CLI's: ``AuthorisationFlow`` (loopback listener, state
checked, the paste fallback), then ``finish_connect`` (tokens, then CompanyInfo).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.models.company import Company
from app.models.database import Database
from app.progress import Cancelled, Progress
from app.sync.authorise import DEFAULT_TIMEOUT_SECONDS, AuthorisationCancelled, AuthorisationFlow
from app.sync.client import QboClient
from app.sync.company_link import CompanyConnection, finish_connect
from app.sync.connection import Connection
from app.sync.environments import LOCAL, Environment
from app.sync.local_demo import connect_local
from app.sync.local_simulator import running_simulator
from app.sync.preflight import ChartSnapshot, fetch_chart
from app.sync.tokens import (
    MemoryTokenStore,
    TokenStore,
    load_client_secret,
    save_client_secret,
    token_key,
)

from .services import SetupServices

DEMO, PRODUCTION, SANDBOX, SIMULATOR = "demo", "production", "sandbox", "simulator"
KINDS = (DEMO, PRODUCTION, SANDBOX, SIMULATOR)


class ConnectProblem(Exception):
    """Something the bookkeeper must change before connecting (the message says what)."""


@dataclass(frozen=True)
class ConnectRequest:
    """The Connect page's answers."""

    kind: str
    client_id: str = ""
    client_secret: str = field(default="", repr=False)  # empty: the keyring's
    redirect_uri: str = ""  # a registered HTTPS relay page (production keys)
    simulator_url: str = ""


@dataclass
class NewConnection:
    """A connection made in this wizard; its secrets are saved at Finish."""

    link: CompanyConnection
    tokens: MemoryTokenStore
    client_secret: str | None = field(default=None, repr=False)

    @property
    def is_demo(self) -> bool:
        return self.link.environment == LOCAL and not self.link.api_base_url

    @property
    def token_key(self) -> str:
        return token_key(self.link.environment, self.link.realm_id)

    def save_secrets(self, store: TokenStore) -> None:
        """The client secret and tokens to the keyring (nothing for the demo company)."""
        if self.is_demo:
            return
        if self.client_secret:
            save_client_secret(self.link.client_id, self.client_secret)
        tokens = self.tokens.load(self.token_key)
        if tokens is None:
            raise ConnectProblem("the connection's tokens are gone; connect again")
        store.save(self.token_key, tokens)


@dataclass(frozen=True)
class Connected:
    connection: NewConnection
    chart: ChartSnapshot


def knows_client_secret(client_id: str) -> bool:
    """Whether the keyring already holds this Intuit app's secret (asked only once)."""
    return bool(client_id.strip()) and load_client_secret(client_id.strip()) is not None


def connect_demo(services: SetupServices, progress: Progress) -> Connected:
    """The built-in demo company: its simulator started from the data folder, approved
    at once, its chart read while it runs (its tokens live only in memory)."""
    from app.demo_company import demo_simulator

    progress.report(0, 2, "Starting the demo company (QuickBooks simulator)…")
    with demo_simulator(services.paths.data_dir) as simulator:
        client, link = connect_local(simulator.info)
        progress.report(1, 2, "Reading the chart of accounts…")
        chart = fetch_chart(client)
    return Connected(NewConnection(link, MemoryTokenStore()), chart)


class Authorising:
    """One attempt at a hosted connection: open from ``begin`` until ``finish`` returns.

    ``url`` is what the browser opens (and the page shows, to copy); ``offer_pasted``
    takes the address the browser ended on when it cannot reach this computer;
    ``cancel`` stops the wait at once.
    """

    def __init__(self, environment: Environment, client_id: str, secret: str,
                 redirect_uri: str | None, client_options: dict[str, Any],
                 keep_secret: bool) -> None:
        self.environment = environment
        self._secret = secret
        self._keep_secret = keep_secret
        self._client_options = client_options
        self.flow = AuthorisationFlow(environment, client_id, secret, redirect_uri=redirect_uri)

    @property
    def url(self) -> str:
        return self.flow.url

    def offer_pasted(self, text: str) -> bool:
        return self.flow.offer_pasted(text)

    def cancel(self) -> None:
        self.flow.cancel()

    def finish(self, progress: Progress, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Connected:
        """Wait for the redirect, exchange the code, read the company and its chart."""
        progress.report(0, 3, "Waiting for QuickBooks in your browser…")
        try:
            with self.flow:
                authorisation = self.flow.wait(timeout)
        except AuthorisationCancelled:
            raise Cancelled() from None
        progress.report(1, 3, "Connected: reading the company…")
        tokens = MemoryTokenStore()

        def make_client(connection: Connection) -> QboClient:
            return QboClient(connection, **self._client_options)

        connection, link = finish_connect(self.environment, self.flow.oauth, authorisation,
                                          tokens, client_factory=make_client)
        progress.report(2, 3, "Reading the chart of accounts…")
        chart = fetch_chart(make_client(connection))
        secret = self._secret if self._keep_secret else None
        return Connected(NewConnection(link, tokens, secret), chart)


def begin(request: ConnectRequest, services: SetupServices) -> Authorising:
    """Start a hosted attempt (checks the keyring first; reads a simulator's address)."""
    services.token_store()  # KeyringUnavailable now, before the user signs in
    if request.kind == SIMULATOR:
        simulator = running_simulator(request.simulator_url)
        return Authorising(simulator.environment, simulator.client_id, simulator.client_secret,
                           None, simulator.client_options(), keep_secret=True)
    if request.kind not in (PRODUCTION, SANDBOX):
        raise ValueError(f"not a hosted connection: {request.kind!r}")
    client_id = request.client_id.strip()
    if not client_id:
        raise ConnectProblem("Enter your Intuit app's client ID (developer.intuit.com).")
    typed = request.client_secret.strip()
    secret = typed or load_client_secret(client_id)
    if not secret:
        raise ConnectProblem("Enter the client secret once; it is kept in the system keyring.")
    environment = services.environment_for(request.kind)
    redirect = request.redirect_uri.strip() or None
    return Authorising(environment, client_id, secret, redirect, {}, keep_secret=bool(typed))


def realm_owner(database: Database, realm_id: str) -> tuple[int, str] | None:
    """The company already connected to ``realm_id`` here, if any (id, name)."""
    with database.session() as session:
        company = session.scalars(select(Company).where(Company.realm_id == realm_id)).first()
        return None if company is None else (company.id, company.qbo_company_name or company.name)

