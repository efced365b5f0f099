"""The whole OAuth flow against the simulator: loopback listener, state, exchange, CLI."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from app.cli import main
from app.config import resolve_paths
from app.models.company import active_company
from app.models.database import Database
from app.sync.authorise import AuthorisationFlow
from app.sync.environments import local_environment
from app.sync.oauth import OAuthStateMismatch


def _redirect_location(url: str) -> str:
    """What the authorisation server tells the browser to open next."""
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303), response.text
    return response.headers["Location"]


def _with_state(url: str, state: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = state
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_full_flow_through_the_loopback_listener(simulator: Any) -> None:
    info = simulator.info
    flow = AuthorisationFlow(local_environment(info), info["client_id"], info["client_secret"])
    with flow:
        assert flow.redirect_uri.startswith("http://127.0.0.1:")
        location = _redirect_location(flow.url)
        assert location.startswith(flow.redirect_uri)
        forged = requests.get(_with_state(location, "forged"), timeout=10)
        assert forged.status_code == 400  # refused; the listener keeps waiting
        assert requests.get(location, timeout=10).status_code == 200
        authorisation = flow.wait(5)
    assert authorisation.realm_id == info["realm_id"]
    assert authorisation.tokens.access_token and authorisation.tokens.refresh_token


def test_wrong_state_is_rejected_at_exchange(simulator: Any) -> None:
    info = simulator.info
    flow = AuthorisationFlow(local_environment(info), info["client_id"], info["client_secret"])
    with flow:
        location = _redirect_location(flow.url)
        with pytest.raises(OAuthStateMismatch):
            flow.oauth.exchange(_with_state(location, "someone-elses"), flow.state)


def test_pasted_redirect_url_is_accepted_only_with_our_state(simulator: Any) -> None:
    info = simulator.info
    flow = AuthorisationFlow(local_environment(info), info["client_id"], info["client_secret"],
                             redirect_uri="https://relay.example.org/qbo")
    with flow:
        assert flow.state.endswith(f".{flow.listener.port}")  # the relay page's hint
        location = _redirect_location(flow.url)
        assert location.startswith("https://relay.example.org/qbo")
        assert not flow.offer_pasted(_with_state(location, "other"))
        assert flow.offer_pasted(location)
        authorisation = flow.wait(5)
    assert authorisation.realm_id == info["realm_id"]


def test_cli_connect_local_and_disconnect(simulator: Any, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    base = simulator.info["base_url"]
    assert main(["--home", str(home), "connect", "--environment", "local",
                 "--base-url", base, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["realm_id"] == simulator.info["realm_id"] and out["state"] == "connected"
    database = Database.open(resolve_paths(home))
    with database.session() as session:
        company = active_company(session)
        assert company is not None
        assert (company.environment, company.realm_id, company.connection_state) == (
            "local", simulator.info["realm_id"], "connected")
        assert company.qbo_company_name == out["company"]
    assert main(["--home", str(home), "disconnect", "--json"]) == 0
    with database.session() as session:
        assert active_company(session).connection_state == "disconnected"  # type: ignore[union-attr]
    database.close()


def test_cli_connect_local_starts_its_own_simulator(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--home", str(tmp_path / "h"), "connect", "--environment", "local"]) == 0
    assert "simulator" in capsys.readouterr().out
