"""The demo company on the built-in simulator: connected headlessly at each start.

Its credentials protect nothing (the simulator prints them), so its tokens stay in
memory and no keyring is needed: every start authorises again against the running
simulator, whose authorisation endpoint approves at once. Its simulator gets a new port
at every start, so the link it returns stores no address: a local company without one
is the built-in demo (``company_link.is_builtin_demo``). A simulator someone else runs
is connected like a hosted company instead (``local_simulator``, ``connect --base-url``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from app.sync.authorise import AuthorisationFlow, approve_headless, run_flow
from app.sync.client import QboClient
from app.sync.company_link import CompanyConnection, finish_connect
from app.sync.connection import Connection
from app.sync.environments import local_environment
from app.sync.tokens import MemoryTokenStore, TokenStore


def connect_local(
    info: Mapping[str, object], store: TokenStore | None = None, **client_options: object
) -> tuple[QboClient, CompanyConnection]:
    """Authorise against the simulator described by ``info``; a ready client and its link.

    The link is the demo company's: no stored address (``api_base_url`` None).
    """
    environment = local_environment(info)
    flow = AuthorisationFlow(environment, str(info["client_id"]), str(info["client_secret"]))
    authorisation = run_flow(flow, approve_headless, timeout=30.0)

    def make_client(connection: Connection) -> QboClient:
        return QboClient(connection, **client_options)  # type: ignore[arg-type]

    connection, link = finish_connect(
        environment, flow.oauth, authorisation, store or MemoryTokenStore(),
        client_factory=make_client,
    )
    return make_client(connection), replace(link, api_base_url=None)
