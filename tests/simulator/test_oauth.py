"""OAuth 2 as Intuit runs it, and the 401/403 faults of the API gateway."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import requests

from app.simulator import SandboxServer
from tests.simulator.conftest import REDIRECT_URI, Qbo, oauth_tokens

DAY = 86400


def _refresh(info, refresh_token):
    return requests.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                         data={"grant_type": "refresh_token", "refresh_token": refresh_token})


def _authorize(info, **overrides):
    params = {"client_id": info["client_id"], "redirect_uri": REDIRECT_URI,
              "response_type": "code", "scope": "com.intuit.quickbooks.accounting",
              "state": "s1", **overrides}
    return requests.get(info["authorization_url"], params=params, allow_redirects=False)


def test_authorize_redirects_with_code_state_and_realm(sandbox):
    reply = _authorize(sandbox.info)
    assert reply.status_code == 302
    location = urlsplit(reply.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == ["s1"] and query["realmId"] == [sandbox.info["realm_id"]]
    assert query["code"][0]


def test_authorize_refuses_unknown_client_and_foreign_redirect(sandbox):
    assert _authorize(sandbox.info, client_id="nobody").status_code == 400
    assert _authorize(sandbox.info, redirect_uri="http://evil.example/cb").status_code == 400


def test_authorize_without_accounting_scope_redirects_with_error(sandbox):
    reply = _authorize(sandbox.info, scope="openid")
    query = parse_qs(urlsplit(reply.headers["Location"]).query)
    assert reply.status_code == 302 and query["error"] == ["invalid_scope"]


def test_token_response_has_intuit_lifetimes(sandbox):
    tokens = oauth_tokens(sandbox.info)
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["x_refresh_token_expires_in"] == 100 * DAY


def test_code_is_single_use_and_client_must_authenticate(sandbox):
    info = sandbox.info
    query = parse_qs(urlsplit(_authorize(info).headers["Location"]).query)
    form = {"grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": REDIRECT_URI}
    wrong = requests.post(info["token_url"], auth=(info["client_id"], "bad"), data=form)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    first = requests.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                          data=form)
    again = requests.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                          data=form)
    assert first.status_code == 200
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_code_exchange_needs_the_same_redirect_uri(sandbox):
    info = sandbox.info
    query = parse_qs(urlsplit(_authorize(info).headers["Location"]).query)
    reply = requests.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                          data={"grant_type": "authorization_code", "code": query["code"][0],
                                "redirect_uri": "http://127.0.0.1:1/other"})
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_grant"


def test_unsupported_grant_type(sandbox):
    info = sandbox.info
    reply = requests.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                          data={"grant_type": "password"})
    assert reply.status_code == 400 and reply.json()["error"] == "unsupported_grant_type"


def test_refresh_keeps_value_within_a_day_then_rotates_and_kills_the_old_one(qbo, sandbox):
    info, first = sandbox.info, qbo.tokens["refresh_token"]
    same = _refresh(info, first).json()
    assert same["refresh_token"] == first and same["access_token"] != qbo.tokens["access_token"]
    qbo.admin("clock", {"advance_seconds": DAY + 1})
    rotated = _refresh(info, first).json()
    assert rotated["refresh_token"] != first
    stale = _refresh(info, first)
    assert stale.status_code == 400
    assert stale.json() == {"error": "invalid_grant",
                            "error_description": "Incorrect or invalid refresh token"}
    assert _refresh(info, rotated["refresh_token"]).status_code == 200


def test_refresh_token_expires_after_100_days(qbo, sandbox):
    qbo.admin("clock", {"advance_seconds": 100 * DAY + 1})
    reply = _refresh(sandbox.info, qbo.tokens["refresh_token"])
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_grant"


def test_api_call_with_expired_access_token_gets_qbo_401_shape(qbo):
    assert qbo.get("companyinfo/1").status_code == 200
    qbo.admin("clock", {"advance_seconds": 3601})
    reply = qbo.get("companyinfo/1")
    assert reply.status_code == 401
    error = reply.json()["fault"]["error"][0]
    assert error["code"] == "3200"
    assert error["message"] == "message=AuthenticationFailed; errorCode=003200; statusCode=401"
    assert error["detail"].startswith("Token expired")
    assert reply.json()["fault"]["type"] == "AUTHENTICATION"


def test_refreshed_access_token_works_after_expiry(qbo, sandbox):
    qbo.admin("clock", {"advance_seconds": 3601})
    qbo.tokens = _refresh(sandbox.info, qbo.tokens["refresh_token"]).json()
    assert qbo.get("companyinfo/1").status_code == 200


def test_missing_and_malformed_bearer_tokens_are_401(qbo):
    url = f"{qbo.company}/companyinfo/1"
    assert requests.get(url).status_code == 401
    reply = requests.get(url, headers={"Authorization": "Bearer short"})
    assert reply.status_code == 401
    assert "Malformed bearer token" in reply.json()["fault"]["error"][0]["detail"]
    bogus = requests.get(url, headers={"Authorization": "Bearer " + "x" * 80})
    assert bogus.status_code == 401


def test_token_for_another_realm_is_403(qbo, sandbox):
    url = f"{sandbox.info['base_url']}/company/123456/companyinfo/1"
    reply = requests.get(url, headers=qbo.headers())
    assert reply.status_code == 403
    assert reply.json()["fault"]["error"][0]["code"] == "3100"


def test_admin_can_expire_every_access_token(qbo):
    qbo.admin("expire-tokens")
    reply = qbo.get("companyinfo/1")
    assert reply.status_code == 401 and "expired" in reply.json()["fault"]["error"][0]["detail"]


def test_revoke_ends_access_and_refresh(qbo, sandbox):
    info = sandbox.info
    reply = requests.post(info["revoke_url"], auth=(info["client_id"], info["client_secret"]),
                          json={"token": qbo.tokens["refresh_token"]})
    assert reply.status_code == 200
    assert qbo.get("companyinfo/1").status_code == 401
    assert _refresh(info, qbo.tokens["refresh_token"]).status_code == 400


def test_time_scale_shortens_token_lifetime():
    with SandboxServer(time_scale=1800) as fast:
        client = Qbo(fast.info)
        assert client.tokens["expires_in"] == 2  # 3600 s at 1800x is two wall-clock seconds
        assert client.get("companyinfo/1").status_code == 200
        time.sleep(2.1)
        assert client.get("companyinfo/1").status_code == 401


def test_revoke_tokens_ends_every_grant_as_disconnecting_the_app_in_quickbooks(sandbox):
    info = sandbox.info
    first, second = oauth_tokens(info), oauth_tokens(info)
    origin = info["base_url"].removesuffix("/v3")
    reply = requests.post(f"{origin}/__sandbox/revoke-tokens", timeout=10)
    assert reply.status_code == 200 and reply.json() == {"revoked": 2}
    for tokens in (first, second):
        assert _refresh(info, tokens["refresh_token"]).json()["error"] == "invalid_grant"
        query = requests.get(f"{info['base_url']}/company/{info['realm_id']}/companyinfo/"
                             f"{info['realm_id']}",
                             headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert query.status_code == 401
    assert oauth_tokens(info)["access_token"]  # a new authorisation works again
