"""Token life over real HTTP: expiry mid-run, rotation persisted, revocation, no leaks."""

from __future__ import annotations

import base64
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from app.config import resolve_paths
from app.logging_setup import LOG_FILE, configure_logging
from app.models.company import Company, active_company
from app.models.database import Database
from app.sync.authorise import AuthorisationFlow, approve_headless, run_flow
from app.sync.client import QboClient
from app.sync.company_link import reauthorisation_marker, record_connection
from app.sync.connection import Connection
from app.sync.environments import local_environment
from app.sync.errors import QboError, ReauthorisationNeeded
from app.sync.local_demo import connect_local
from app.sync.tokens import KeyringTokenStore, Tokens
from tests.sync.simulator_helpers import (
    advance_clock,
    expire_access_tokens,
    fast_client_options,
    stats,
)

DAY = 86400


class RecordingKeyringStore(KeyringTokenStore):
    """The real keyring store, remembering every token it was given (for leak scans)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Tokens] = []
        self.lock = threading.Lock()

    def save(self, key: str, tokens: Tokens) -> None:
        with self.lock:
            self.seen.append(tokens)
        super().save(key, tokens)


def _customer(client: QboClient, name: str) -> dict[str, Any]:
    return client.create("Customer", {"DisplayName": name}, request_id=f"c-{name}")


def test_access_token_expiry_mid_run_refreshes_and_work_continues(
    simulator: Any, connect: Any
) -> None:
    client = connect()
    names = [f"Expiry {n}" for n in range(60)]

    def work(name: str) -> str:
        if name == "Expiry 30":
            expire_access_tokens(simulator.info)  # every token dies mid-run
        return str(_customer(client, name)["Id"])

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(work, names))
    assert len(set(ids)) == 60
    assert client.connection.refresh_count >= 1
    found = client.query("SELECT * FROM Customer WHERE DisplayName LIKE 'Expiry %'")
    assert sorted(r["DisplayName"] for r in found) == sorted(names)


def test_proactive_refresh_on_a_fast_clock(start_simulator: Any) -> None:
    # A one-hour token lives three seconds (a sign-in code half a second).
    simulator = start_simulator(time_scale=1200.0)
    client, _ = connect_local(simulator.info, store=KeyringTokenStore(),
                              **fast_client_options(60.0))
    for n in range(36):
        _customer(client, f"Fast {n}")
        threading.Event().wait(0.1)
    assert client.connection.refresh_count >= 1
    assert stats(simulator.info)["by_status"].get("401", 0) == 0  # refreshed before expiry


def test_rotated_refresh_token_is_persisted(simulator: Any, connect: Any) -> None:
    store = RecordingKeyringStore()
    client = connect(store=store)
    first = store.load(client.connection.key)
    assert first is not None
    advance_clock(simulator.info, DAY + 3600)  # access expired, refresh token due to rotate
    _customer(client, "After rotation")
    stored = store.load(client.connection.key)
    assert stored is not None and stored.refresh_token != first.refresh_token
    # A fresh process (new Connection, same keyring) carries on with the stored token.
    again = QboClient(Connection(environment=client.connection.environment,
                                 realm_id=client.connection.realm_id,
                                 oauth=client.connection.oauth, store=KeyringTokenStore()),
                      **fast_client_options(60.0))
    advance_clock(simulator.info, 3600)
    assert again.company_info()["CompanyName"]


def test_revoked_refresh_token_needs_reauthorisation_and_loses_nothing(
    simulator: Any, tmp_path: Path
) -> None:
    database = Database.open(resolve_paths(tmp_path))
    with database.session() as session:
        company_id = active_company(session, create=True).id  # type: ignore[union-attr]
    store = KeyringTokenStore()
    client, link = connect_local(simulator.info, store=store, **fast_client_options(60.0))
    with database.session() as session:
        record_connection(session, session.get(Company, company_id), link)  # type: ignore[arg-type]
    client.connection._on_reauthorisation_needed = reauthorisation_marker(database, company_id)
    pending = [f"Pending {n}" for n in range(10)]
    _customer(client, pending.pop(0))
    client.connection.oauth.revoke(store.load(client.connection.key).refresh_token)  # type: ignore[union-attr]
    with pytest.raises(ReauthorisationNeeded):
        _customer(client, pending[0])
    with database.session() as session:
        assert session.get(Company, company_id).connection_state == "reauthorisation_needed"  # type: ignore[union-attr]
    # Reconnect: a new authorisation into the same store; the pending work resumes.
    flow = AuthorisationFlow(local_environment(simulator.info), simulator.info["client_id"],
                             simulator.info["client_secret"])
    client.connection.save_authorisation(run_flow(flow, approve_headless).tokens)
    for name in pending:
        _customer(client, name)
    names = [r["DisplayName"] for r in
             client.query("SELECT * FROM Customer WHERE DisplayName LIKE 'Pending %'")]
    assert sorted(names) == sorted(f"Pending {n}" for n in range(10))
    database.close()


@pytest.mark.sqlite_only
def test_tokens_never_reach_the_database_logs_or_exceptions(
    simulator: Any, tmp_path: Path
) -> None:
    paths = resolve_paths(tmp_path).ensure()
    configure_logging(paths.log_dir, stderr_level=None)
    logging.getLogger().setLevel(logging.DEBUG)
    database = Database.open(paths)
    store = RecordingKeyringStore()
    client, link = connect_local(simulator.info, store=store, **fast_client_options(60.0))
    with database.session() as session:
        record_connection(session, active_company(session, create=True), link)  # type: ignore[arg-type]
    messages: list[str] = []

    def attempt(action: Any) -> None:
        try:
            action()
        except QboError as exc:
            messages.extend([str(exc), repr(exc), exc.detail, exc.message, exc.explanation])
            logging.getLogger("test").error("failed: %s", exc)

    _customer(client, "Leak check")
    attempt(lambda: _customer(client, "Leak check"))  # 6240 duplicate name
    attempt(lambda: client.create("Invoice", {"Line": []}, request_id="bad-invoice"))
    expire_access_tokens(simulator.info)
    _customer(client, "After expiry")
    advance_clock(simulator.info, DAY + 3600)
    _customer(client, "After rotation")
    client.connection.oauth.revoke(store.load(client.connection.key).refresh_token)  # type: ignore[union-attr]
    attempt(lambda: _customer(client, "No tokens"))  # 401, refresh refused: reauthorise
    database.close()
    logging.shutdown()
    secrets = {t.access_token for t in store.seen} | {t.refresh_token for t in store.seen}
    info = simulator.info
    basic = base64.b64encode(f"{info['client_id']}:{info['client_secret']}".encode()).decode()
    secrets |= {info["client_secret"], basic}
    assert len(store.seen) >= 3 and len({t.refresh_token for t in store.seen}) >= 2
    assert messages
    haystacks = {"exceptions": "\n".join(messages)}
    for file in [*paths.data_dir.glob("*.db*"), *paths.log_dir.glob(f"{LOG_FILE}*")]:
        haystacks[file.name] = file.read_bytes().decode("utf-8", "replace")
    assert any(name.endswith(".db") for name in haystacks)
    assert LOG_FILE in haystacks and "Refreshed" in haystacks[LOG_FILE]
    for name, text in haystacks.items():
        for secret in secrets:
            assert secret not in text, f"a token leaked into {name}"
            assert secret[:16] not in text, f"part of a token leaked into {name}"


def test_a_fresh_token_refused_again_is_refreshed_again_within_bounds(
    simulator: Any, connect: Any
) -> None:
    """Every request here meets an expired token (the simulator expires all of them):
    each refusal after a good refresh is refreshed again, up to a bound, then reported;
    one expiry among many never stops the work."""
    from app.sync.client import MAX_REFRESHES
    from app.sync.errors import AuthError
    from tests.sync.simulator_helpers import set_faults

    client = connect()
    set_faults(simulator, expired_token=1.0)
    before = client.connection.refresh_count
    with pytest.raises(AuthError):
        client.query("SELECT * FROM Account")
    assert client.connection.refresh_count - before == MAX_REFRESHES
    set_faults(simulator, expired_token=0.5, seed=3)
    names = [f"Twice {n}" for n in range(20)]
    created = [_customer(client, name) for name in names]
    assert len({c["Id"] for c in created}) == 20
    set_faults(simulator)
