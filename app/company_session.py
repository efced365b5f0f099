"""A live client for a stored company, for the length of one piece of work.

The built-in demo company's simulator is started from its file in the data folder for
the length of the command; every other company (hosted, or a simulator running at a
URL) uses its stored authorisation from the keyring and is talked to at its stored
address. This sits above ``app/sync`` because starting the built-in simulator is the
composition root's business, not the client's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.models.company import Company
from app.models.database import Database
from app.sync.client import QboClient
from app.sync.company_link import (
    CONNECTED,
    DISCONNECTED,
    REAUTHORISATION_NEEDED,
    is_builtin_demo,
    open_stored_client,
)
from app.sync.local_demo import connect_local
from app.sync.tokens import KeyringTokenStore

# Why a company cannot be used, in words (its ``connection_state`` names a state).
NOT_CONNECTED_WORDS = {
    REAUTHORISATION_NEEDED: "QuickBooks needs you to sign in again to this company",
    DISCONNECTED: "the company is not connected to QuickBooks (not yet, or disconnected)",
}


@contextmanager
def company_client(company: Company, database: Database, data_dir: Path) -> Iterator[QboClient]:
    """A client for ``company``; raises ValueError when it is not connected.

    A local company connected at a URL raises ``SimulatorUnavailable`` (a ``QboError``,
    naming the URL and the fix) when that simulator does not answer.
    """
    if company.connection_state != CONNECTED:
        why = NOT_CONNECTED_WORDS.get(company.connection_state, "the company is not connected")
        raise ValueError(f"{why}: reconnect it (in the app: Reconnect; on the command line: "
                         "`ledgerbridge connect`); nothing was lost")
    if is_builtin_demo(company):
        from app.demo_company import demo_simulator

        with demo_simulator(data_dir) as simulator:
            client, _link = connect_local(simulator.info)
            yield client
        return
    yield open_stored_client(company, database, KeyringTokenStore())
