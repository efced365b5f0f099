"""A live client for the active company, and a snapshot of its chart for pre-flight.

The preview re-validates the mapping against the company itself (SPEC §5 "Mapping by
QBO id", "Pre-flight"): the accounts and classes that exist, by id and fully-qualified
name, active or not. The demo company's simulator is started from its file for the
length of the command; a hosted company uses the stored authorisation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.models.company import Company
from app.models.database import Database
from app.sync.client import QboClient
from app.sync.company_link import CONNECTED, open_hosted_client
from app.sync.environments import LOCAL
from app.sync.local_demo import connect_local, demo_simulator
from app.sync.tokens import KeyringTokenStore


@dataclass(frozen=True)
class ChartSnapshot:
    """Accounts and classes as QBO returned them (plain dicts), active and inactive."""

    accounts: tuple[dict[str, Any], ...]
    classes: tuple[dict[str, Any], ...]


def fetch_chart(client: QboClient) -> ChartSnapshot:
    """Every account and class; QBO leaves inactive ones out unless asked for them."""

    def every(entity: str) -> tuple[dict[str, Any], ...]:
        active = client.query(f"SELECT * FROM {entity}")
        inactive = client.query(f"SELECT * FROM {entity} WHERE Active = false")
        return tuple(active) + tuple(inactive)

    return ChartSnapshot(every("Account"), every("Class"))


@contextmanager
def company_client(company: Company, database: Database, data_dir: Path) -> Iterator[QboClient]:
    """A client for ``company``; raises ValueError when it is not connected."""
    if company.connection_state != CONNECTED:
        raise ValueError(f"the company is {company.connection_state.replace('_', ' ')}")
    if company.environment == LOCAL:
        with demo_simulator(data_dir) as simulator:
            client, _link = connect_local(simulator.info)
            yield client
        return
    yield open_hosted_client(company, database, KeyringTokenStore())
