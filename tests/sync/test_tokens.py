"""Token store policy: keyring only, refusals that explain the fix, secrets hidden."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import pytest

from app.sync import tokens as tokens_module
from app.sync.tokens import (
    SERVICE,
    KeyringTokenStore,
    KeyringUnavailable,
    MemoryTokenStore,
    Tokens,
    load_client_secret,
    save_client_secret,
    token_key,
)

SAMPLE = Tokens("access-SECRET-aaaa", "refresh-SECRET-bbbb", 2000.0, 9000.0, issued_at=1000.0)


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's PlaintextKeyring (matched by name)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


def test_round_trip_and_one_entry_per_company(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    store = KeyringTokenStore()
    store.save(token_key("production", "123"), SAMPLE)
    assert store.load(token_key("production", "123")) == SAMPLE
    assert list(memory_keyring.store) == [(SERVICE, "tokens:production:123")]
    store.delete(token_key("production", "123"))
    store.delete(token_key("production", "123"))  # forgetting twice is fine
    assert store.load(token_key("production", "123")) is None


def test_repr_hides_secrets() -> None:
    assert "SECRET" not in repr(SAMPLE) and "SECRET" not in str(SAMPLE)


def test_refresh_margin_is_capped_by_the_token_life() -> None:
    assert not SAMPLE.needs_refresh(300, now=1800.0)  # 1000 s life -> 100 s margin
    assert SAMPLE.needs_refresh(300, now=1901.0)
    legacy = Tokens("a", "r", 2000.0)
    assert legacy.needs_refresh(300, now=1750.0)


def test_from_response() -> None:
    made = Tokens.from_response(
        {"access_token": "a", "refresh_token": "r", "expires_in": 3600,
         "x_refresh_token_expires_in": 8726400}, now=100.0)
    assert (made.access_expires_at, made.refresh_expires_at, made.issued_at) == (
        3700.0, 8726500.0, 100.0)


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring, keyring.backends.null.Keyring])
def test_no_backend_is_refused_with_the_fix(backend: type) -> None:
    keyring.set_keyring(backend())
    with pytest.raises(KeyringUnavailable, match="Secret Service"):
        KeyringTokenStore()
    with pytest.raises(KeyringUnavailable):
        save_client_secret("client", "secret")


def test_unencrypted_backend_is_refused_unless_chosen(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(PlaintextKeyring())
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(tokens_module, "keyring_explicitly_configured", lambda: False)
    with pytest.raises(KeyringUnavailable, match="unencrypted"):
        KeyringTokenStore()
    monkeypatch.setattr(tokens_module, "keyring_explicitly_configured", lambda: True)
    KeyringTokenStore()
    assert "does not encrypt" in caplog.text


def test_environment_variable_counts_as_explicit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    assert tokens_module.keyring_explicitly_configured()


def test_client_secret_lives_in_the_keyring(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    save_client_secret("ABC", "s3cret")
    assert load_client_secret("ABC") == "s3cret"
    assert memory_keyring.store[(SERVICE, "client-secret:ABC")] == "s3cret"


def test_memory_store_needs_no_keyring() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = MemoryTokenStore()
    store.save("k", SAMPLE)
    assert store.load("k") == SAMPLE


def test_an_empty_chain_is_no_keyring() -> None:
    from keyring.backends.chainer import ChainerBackend

    class EmptyChain(ChainerBackend):
        backends = ()  # type: ignore[assignment]  # what keyring has when nothing is installed

    keyring.set_keyring(EmptyChain())
    with pytest.raises(KeyringUnavailable):
        KeyringTokenStore()
