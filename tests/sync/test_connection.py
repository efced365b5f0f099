"""Token refresh: proactive, once for many threads, persisted before use, clean failure."""

from __future__ import annotations

import threading
import time

import pytest

from app.sync.connection import Connection
from app.sync.environments import PRODUCTION_ENVIRONMENT
from app.sync.errors import ReauthorisationNeeded
from app.sync.tokens import MemoryTokenStore, Tokens


class RecordingStore(MemoryTokenStore):
    def __init__(self) -> None:
        super().__init__()
        self.saved: list[str] = []

    def save(self, key: str, tokens: Tokens) -> None:
        self.saved.append(tokens.refresh_token)
        super().save(key, tokens)


class FakeOAuth:
    """Rotates the refresh token on every refresh, like Intuit does once a day."""

    client_id = "client"

    def __init__(self, store: RecordingStore, *, dead: bool = False) -> None:
        self.store = store
        self.dead = dead
        self.calls = 0
        self.saved_before_return: list[bool] = []

    def refresh(self, refresh_token: str) -> Tokens:
        self.calls += 1
        if self.dead:
            raise ReauthorisationNeeded("expired", code="invalid_grant")
        time.sleep(0.01)  # widen the race window for the threads
        return Tokens(f"access-{self.calls}", f"refresh-{self.calls}", time.time() + 3600,
                      issued_at=time.time())


def _connection(store: RecordingStore, oauth: FakeOAuth, **kwargs) -> Connection:  # type: ignore[no-untyped-def]
    return Connection(environment=PRODUCTION_ENVIRONMENT, realm_id="r1", oauth=oauth,  # type: ignore[arg-type]
                      store=store, **kwargs)


def _expiring() -> Tokens:
    return Tokens("access-0", "refresh-0", time.time() + 1, issued_at=time.time() - 3599)


def test_proactive_refresh_happens_once_for_eight_threads() -> None:
    store = RecordingStore()
    oauth = FakeOAuth(store)
    connection = _connection(store, oauth)
    connection.save_authorisation(_expiring())
    seen: list[str] = []
    threads = [threading.Thread(target=lambda: seen.append(connection.access_token()))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert oauth.calls == 1
    assert set(seen) == {"access-1"}
    assert store.saved == ["refresh-0", "refresh-1"]  # the rotated token was stored


def test_fresh_token_is_used_without_refresh() -> None:
    store = RecordingStore()
    oauth = FakeOAuth(store)
    connection = _connection(store, oauth)
    connection.save_authorisation(Tokens("a", "r", time.time() + 3600, issued_at=time.time()))
    assert connection.access_token() == "a"
    assert oauth.calls == 0


def test_401_refreshes_once_even_when_many_threads_saw_it() -> None:
    store = RecordingStore()
    oauth = FakeOAuth(store)
    connection = _connection(store, oauth)
    connection.save_authorisation(Tokens("a", "r", time.time() + 3600, issued_at=time.time()))
    results = [connection.refresh_after_unauthorised("a") for _ in range(5)]
    assert results == ["access-1"] * 5 and oauth.calls == 1


def test_rotated_token_is_stored_before_it_is_returned() -> None:
    store = RecordingStore()
    oauth = FakeOAuth(store)
    connection = _connection(store, oauth)
    connection.save_authorisation(_expiring())
    token = connection.access_token()
    assert store.load(connection.key).access_token == token  # type: ignore[union-attr]


def test_dead_refresh_token_asks_for_reauthorisation_and_keeps_tokens() -> None:
    store = RecordingStore()
    flagged: list[bool] = []
    connection = _connection(store, FakeOAuth(store, dead=True),
                             on_reauthorisation_needed=lambda: flagged.append(True))
    connection.save_authorisation(_expiring())
    with pytest.raises(ReauthorisationNeeded):
        connection.access_token()
    assert flagged == [True]
    assert store.load(connection.key) is not None  # nothing deleted behind the user's back


def test_no_stored_tokens_means_reauthorisation_here_only() -> None:
    """No sign-in in this computer's keyring (a scheduled task that cannot reach it,
    another machine) stops this process, but does not mark the company disconnected for
    the window that holds valid tokens: only Intuit's refusal does that."""
    store = RecordingStore()
    flagged: list[bool] = []
    with pytest.raises(ReauthorisationNeeded, match="on this computer"):
        _connection(store, FakeOAuth(store),
                    on_reauthorisation_needed=lambda: flagged.append(True)).access_token()
    assert flagged == []
