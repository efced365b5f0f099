"""CLI and company wiring: keyring policy, hosted client composition, disconnect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail

from app.cli import main
from app.config import resolve_paths
from app.models.company import Company, active_company
from app.models.database import Database
from app.sync.authorise import AuthorisationFlow, approve_headless, run_flow
from app.sync.company_link import open_stored_client
from app.sync.environments import local_environment
from app.sync.oauth import OAuthClient
from app.sync.tokens import SERVICE, KeyringTokenStore, save_client_secret, token_key


def test_connect_production_without_keyring_explains_the_fix(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(keyring.backends.fail.Keyring())
    code = main(["--home", str(tmp_path), "connect", "--environment", "production",
                 "--client-id", "ABC", "--no-browser"])
    assert code == 2
    assert "keyring" in capsys.readouterr().err


def test_demo_company_needs_no_keyring(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(keyring.backends.fail.Keyring())
    code = main(["--home", str(tmp_path), "connect", "--environment", "local"])
    assert code == 0 and "Connected" in capsys.readouterr().out


def test_a_simulator_at_a_url_needs_the_keyring_like_a_hosted_company(
    simulator: Any, tmp_path: Path, capsys  # type: ignore[no-untyped-def]
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    code = main(["--home", str(tmp_path), "connect", "--environment", "local",
                 "--base-url", simulator.info["base_url"]])
    assert code == 2 and "keyring" in capsys.readouterr().err


def _hosted_company(simulator: Any, tmp_path: Path) -> tuple[Database, int, str]:
    """A 'sandbox' company whose API base is the simulator, tokens from a real flow."""
    info = simulator.info
    flow = AuthorisationFlow(local_environment(info), info["client_id"], info["client_secret"])
    authorisation = run_flow(flow, approve_headless)
    KeyringTokenStore().save(token_key("sandbox", authorisation.realm_id), authorisation.tokens)
    save_client_secret(info["client_id"], info["client_secret"])
    database = Database.open(resolve_paths(tmp_path))
    with database.session() as session:
        company = active_company(session, create=True)
        assert company is not None
        company.environment, company.realm_id = "sandbox", authorisation.realm_id
        company.api_base_url, company.client_id = info["base_url"], info["client_id"]
        company.connection_state = "connected"
        company_id = company.id
    return database, company_id, authorisation.tokens.refresh_token


def test_open_stored_client_uses_the_stored_company(simulator: Any, tmp_path: Path) -> None:
    database, company_id, _ = _hosted_company(simulator, tmp_path)
    with database.session() as session:
        client = open_stored_client(session.get(Company, company_id), database,  # type: ignore[arg-type]
                                    KeyringTokenStore())
    assert client.company_url.startswith(simulator.info["base_url"])
    assert client.company_info()["CompanyName"]
    database.close()


def test_disconnect_revokes_forgets_and_keeps_the_company(
    simulator: Any, tmp_path: Path, monkeypatch, memory_keyring  # type: ignore[no-untyped-def]
) -> None:
    database, company_id, refresh_token = _hosted_company(simulator, tmp_path)
    database.close()
    revoked: list[str] = []
    monkeypatch.setattr(OAuthClient, "revoke", lambda self, token: revoked.append(token))
    assert main(["--home", str(tmp_path), "disconnect"]) == 0
    assert revoked == [refresh_token]  # no request to Intuit from a test: recorded instead
    assert not [k for k in memory_keyring.store if k[1].startswith("tokens:")]
    assert (SERVICE, f"client-secret:{simulator.info['client_id']}") in memory_keyring.store
    database = Database.open(resolve_paths(tmp_path))
    with database.session() as session:
        company = session.get(Company, company_id)
        assert company is not None and company.connection_state == "disconnected"
        assert company.realm_id  # kept, so reconnecting resumes
    database.close()


def test_cli_connect_hosted_flow_with_browser_and_keyring(
    simulator: Any, tmp_path: Path, monkeypatch, memory_keyring, capsys  # type: ignore[no-untyped-def]
) -> None:
    """The production/sandbox path, with the simulator standing in for Intuit's URLs."""
    from dataclasses import replace

    from app.cli.commands import connect as connect_command

    info = simulator.info
    standing_in = replace(local_environment(info), name="sandbox")
    monkeypatch.setattr(connect_command, "hosted_environment", lambda name, base: standing_in)
    opened: list[str] = []

    def browser(url: str) -> bool:
        opened.append(url)
        approve_headless(url)
        return True

    monkeypatch.setattr(connect_command.webbrowser, "open", browser)
    monkeypatch.setattr(connect_command.getpass, "getpass", lambda prompt: info["client_secret"])
    code = main(["--home", str(tmp_path), "connect", "--environment", "sandbox",
                 "--client-id", info["client_id"], "--json"])
    assert code == 0 and len(opened) == 1 and "state=" in opened[0]
    assert memory_keyring.store[(SERVICE, f"client-secret:{info['client_id']}")] == (
        info["client_secret"])
    assert (SERVICE, f"tokens:sandbox:{info['realm_id']}") in memory_keyring.store
    database = Database.open(resolve_paths(tmp_path))
    with database.session() as session:
        company = active_company(session)
        assert company is not None and company.environment == "sandbox"
        assert company.connection_state == "connected" and company.client_id == info["client_id"]
        assert company.redirect_uri is None  # the loopback address was single-use
    database.close()
    db_bytes = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("*.db*"))
    assert info["client_secret"].encode() not in db_bytes
