"""The one-shot loopback listener and redirect parsing (no QBO needed)."""

from __future__ import annotations

import socket

import pytest
import requests

from app.sync.environments import PRODUCTION_ENVIRONMENT
from app.sync.errors import AuthError
from app.sync.loopback import LoopbackListener
from app.sync.oauth import OAuthClient, OAuthStateMismatch, parse_redirect


def _port_is_closed(uri: str) -> bool:
    port = int(uri.rsplit(":", 1)[1].split("/")[0])
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_listener_binds_loopback_on_a_random_port() -> None:
    with LoopbackListener("s1") as one, LoopbackListener("s2") as two:
        assert one.redirect_uri.startswith("http://127.0.0.1:")
        assert one.redirect_uri.endswith("/callback")
        assert one.redirect_uri != two.redirect_uri


def test_wrong_state_is_refused_and_the_right_one_accepted_once() -> None:
    listener = LoopbackListener("good-state")
    uri = listener.redirect_uri
    bad = requests.get(f"{uri}?code=x&state=forged&realmId=1", timeout=5)
    assert bad.status_code == 400
    good = requests.get(f"{uri}?code=c1&state=good-state&realmId=42", timeout=5)
    assert good.status_code == 200
    received = listener.wait(5)
    assert received is not None and "code=c1" in received and "realmId=42" in received
    assert _port_is_closed(uri)


def test_timeout_returns_none_and_closes() -> None:
    listener = LoopbackListener("s")
    uri = listener.redirect_uri
    assert listener.wait(0.05) is None
    assert _port_is_closed(uri)


def test_cancel_wakes_a_waiting_flow_at_once_and_closes_the_port() -> None:
    import threading
    import time

    from app.sync.authorise import AuthorisationCancelled, AuthorisationFlow

    flow = AuthorisationFlow(PRODUCTION_ENVIRONMENT, "client", "secret")
    uri = flow.listener.redirect_uri
    outcome: list[BaseException] = []

    def wait() -> None:
        try:
            flow.wait(60)
        except AuthError as exc:
            outcome.append(exc)

    waiter = threading.Thread(target=wait)
    waiter.start()
    started = time.monotonic()
    flow.cancel()
    waiter.join(5)
    assert time.monotonic() - started < 5
    assert len(outcome) == 1 and isinstance(outcome[0], AuthorisationCancelled)
    assert _port_is_closed(uri)


def test_listener_is_single_use() -> None:
    listener = LoopbackListener("s")
    uri = listener.redirect_uri
    results: list[int] = []
    for code in ("first", "second"):
        results.append(requests.get(f"{uri}?code={code}&state=s&realmId=1", timeout=5).status_code)
    assert results == [200, 400]
    received = listener.wait(1)
    assert received is not None and "code=first" in received


def test_parse_redirect_accepts_a_pasted_url_or_query() -> None:
    full = parse_redirect("https://relay.example.org/cb?code=C&state=S&realmId=9")
    assert (full.code, full.state, full.realm_id) == ("C", "S", "9")
    assert parse_redirect("?code=C&state=S&realmId=9") == full
    with pytest.raises(AuthError, match="incomplete"):
        parse_redirect("https://x/cb?code=C&state=S")
    with pytest.raises(AuthError, match="did not grant"):
        parse_redirect("https://x/cb?error=access_denied&state=S")


def test_exchange_rejects_a_wrong_state_before_any_request() -> None:
    oauth = OAuthClient(PRODUCTION_ENVIRONMENT, "id", "secret", "http://127.0.0.1:1/callback")
    with pytest.raises(OAuthStateMismatch):
        oauth.exchange("http://127.0.0.1:1/callback?code=C&state=evil&realmId=1", "expected")


def test_authorization_url_carries_state_scope_and_redirect() -> None:
    oauth = OAuthClient(PRODUCTION_ENVIRONMENT, "my-client", "secret", "http://127.0.0.1:5/cb")
    url, state = oauth.authorization_url()
    assert url.startswith("https://appcenter.intuit.com/connect/oauth2?")
    assert f"state={state}" in url and "client_id=my-client" in url
    assert "com.intuit.quickbooks.accounting" in url and "secret" not in url
