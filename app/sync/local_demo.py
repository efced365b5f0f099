"""The demo company on the built-in simulator: connected headlessly at each start.

Its credentials protect nothing (the simulator prints them), so its tokens stay in
memory and no keyring is needed: every start authorises again against the running
simulator, whose authorisation endpoint approves at once.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.sync.authorise import AuthorisationFlow, approve_headless, run_flow
from app.sync.client import QboClient
from app.sync.company_link import CompanyConnection, finish_connect
from app.sync.connection import Connection
from app.sync.environments import local_environment
from app.sync.tokens import MemoryTokenStore, TokenStore


def connect_local(
    info: Mapping[str, object], store: TokenStore | None = None, **client_options: object
) -> tuple[QboClient, CompanyConnection]:
    """Authorise against the simulator described by ``info``; a ready client and its link."""
    environment = local_environment(info)
    flow = AuthorisationFlow(environment, str(info["client_id"]), str(info["client_secret"]))
    authorisation = run_flow(flow, approve_headless, timeout=30.0)

    def make_client(connection: Connection) -> QboClient:
        return QboClient(connection, **client_options)  # type: ignore[arg-type]

    connection, link = finish_connect(
        environment, flow.oauth, authorisation, store or MemoryTokenStore(),
        client_factory=make_client,
    )
    return make_client(connection), link
