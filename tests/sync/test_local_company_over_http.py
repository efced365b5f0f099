"""A company connected to a simulator running at a URL is used as connected (issue 9).

The production path end to end against the simulator: ``connect --no-browser`` prints
the authorisation URL and waits on the loopback listener (or a pasted address); the
tokens and the published client secret go to the (test) keyring; every later command
talks to that simulator, at its time scale; no simulator is started from the data folder.
"""

from __future__ import annotations

import json
import queue
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from app.cli import main
from app.company_session import company_client
from app.config import resolve_paths
from app.demo_company import SIMULATOR_FILE
from app.models.company import Company, active_company
from app.models.database import Database
from app.sync.company_link import is_builtin_demo
from app.sync.governor import RateLimits
from app.sync.local_simulator import SimulatorUnavailable, running_simulator
from app.sync.tokens import SERVICE, Tokens, token_key
from tests.sync.simulator_helpers import advance_clock, stats

MAPPING = """
style = "summary"
go_live = 2025-01-01
sync = "daily"
organisation_class = "Riverside Swim"

[options]
create_missing = true
"""


@pytest.fixture(autouse=True)
def no_demo_simulator(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Starting the demo company's simulator from the data folder fails these tests."""
    import app.demo_company

    def refuse(data_dir: Path) -> Any:
        raise AssertionError(f"the demo simulator was started from {data_dir}")

    real = app.demo_company.demo_simulator
    monkeypatch.setattr(app.demo_company, "demo_simulator", refuse)
    return real


def _in_thread(args: list[str]) -> tuple[threading.Thread, dict[str, int]]:
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(code=main(args)), daemon=True)
    thread.start()
    return thread, result


def _printed_url(capsys: pytest.CaptureFixture[str], prefix: str) -> str:
    """The authorisation URL the command printed on stderr (waits up to 10 s)."""
    seen = ""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        seen += capsys.readouterr().err
        urls = [line.strip() for line in seen.splitlines() if line.startswith(prefix)]
        if urls:
            return urls[0]
        time.sleep(0.02)
    raise AssertionError(f"no authorisation URL was printed: {seen!r}")


def _company(home: Path) -> Company:
    database = Database.open(resolve_paths(home))
    try:
        with database.session() as session:
            company = active_company(session)
            assert company is not None
            session.expunge(company)
            return company
    finally:
        database.close()


def _prepare_books(home: Path, tmp_path: Path) -> None:
    """Demo exports imported and a mapping, so ``preview`` has something to check."""
    folder = tmp_path / "exports"
    assert main(["--home", str(home), "demo-data", "--out", str(folder), "--families", "6",
                 "--months", "1"]) == 0
    assert main(["--home", str(home), "import", str(folder)]) == 0
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    assert main(["--home", str(home), "mapping", "import", str(tmp_path / "m.toml")]) == 0


def _connect_at(home: Path, base_url: str) -> None:
    assert main(["--home", str(home), "connect", "--environment", "local",
                 "--base-url", base_url]) == 0


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_no_browser_connect_runs_the_real_flow_and_later_commands_reach_that_simulator(
    simulator: Any, home: Path, tmp_path: Path, memory_keyring: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    info = simulator.info
    _prepare_books(home, tmp_path)
    capsys.readouterr()
    thread, result = _in_thread(["--home", str(home), "connect", "--environment", "local",
                                 "--base-url", info["base_url"], "--no-browser", "--json",
                                 "--timeout", "20"])
    url = _printed_url(capsys, info["authorization_url"])
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in url and "state=" in url
    # The user's browser: the simulator approves and redirects to the loopback listener.
    landed = requests.get(url, timeout=10)
    assert landed.status_code == 200 and "received the QuickBooks authorisation" in landed.text
    thread.join(30)
    assert result == {"code": 0}
    out = json.loads(capsys.readouterr().out)
    assert (out["api_base_url"], out["realm_id"]) == (info["base_url"], info["realm_id"])

    company = _company(home)
    assert (company.environment, company.api_base_url, company.connection_state) == (
        "local", info["base_url"], "connected")
    assert company.client_id == info["client_id"] and not is_builtin_demo(company)
    stored = memory_keyring.store[(SERVICE, token_key("local", info["realm_id"]))]
    assert Tokens.from_json(stored).refresh_token
    assert memory_keyring.store[(SERVICE, f"client-secret:{info['client_id']}")] == (
        info["client_secret"])
    db_bytes = b"".join(p.read_bytes() for p in (home / "data").glob("*.db*"))
    assert info["client_secret"].encode() not in db_bytes
    assert Tokens.from_json(stored).access_token.encode() not in db_bytes

    before = stats(info)["total"]
    assert main(["--home", str(home), "preview", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert "mapping_not_checked" not in {issue["code"] for issue in preview["issues"]}
    assert stats(info)["total"] > before  # the pre-flight asked this simulator
    assert not (home / "data" / SIMULATOR_FILE).exists()
    assert main(["--home", str(home), "status"]) == 0
    assert f"local simulator at {info['base_url']}, connected" in capsys.readouterr().out


def test_a_pasted_redirect_address_completes_the_local_connect(
    simulator: Any, home: Path, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The browser cannot reach the listener (another machine): the user pastes instead."""
    info = simulator.info
    typed: queue.Queue[str] = queue.Queue()

    class Terminal:
        def isatty(self) -> bool:
            return True

        def __iter__(self) -> Iterator[str]:
            while True:
                yield typed.get()

    monkeypatch.setattr(sys, "stdin", Terminal())
    thread, result = _in_thread(["--home", str(home), "connect", "--environment", "local",
                                 "--base-url", info["base_url"], "--no-browser",
                                 "--timeout", "20"])
    url = _printed_url(capsys, info["authorization_url"])
    approved = requests.get(url, allow_redirects=False, timeout=10)
    assert approved.status_code in (302, 303)
    typed.put("http://127.0.0.1:9/callback?code=forged&state=not-ours\n")  # refused
    typed.put(approved.headers["Location"] + "\n")
    thread.join(30)
    assert result == {"code": 0}
    assert "not from this connection attempt" in capsys.readouterr().err
    assert _company(home).connection_state == "connected"
    assert (SERVICE, token_key("local", info["realm_id"])) in memory_keyring.store


def test_the_client_takes_the_time_scale_the_simulator_publishes_when_opened(
    start_simulator: Any, home: Path, tmp_path: Path,
) -> None:
    data_file = str(tmp_path / "sim.sqlite")
    first = start_simulator(time_scale=60.0, data_file=data_file)
    port = urlsplit(first.info["base_url"]).port
    _connect_at(home, first.info["base_url"])
    company = _company(home)
    database = Database.open(resolve_paths(home))
    with company_client(company, database, home / "data") as client:
        assert client.governor.limits == RateLimits.qbo(60.0)  # a 1-second minute
        assert client.retry.time_scale == 60.0
        assert "simulator" in client.company_info()["CompanyName"]
    first.stop()

    from app.simulator import SandboxServer

    # Restarted at the same address with another clock: the next client follows it.
    with SandboxServer(port=port, time_scale=30.0, data_file=data_file), \
            company_client(company, database, home / "data") as client:
        assert client.governor.limits.minute_seconds == pytest.approx(2.0)
        assert client.retry.time_scale == 30.0
        assert client.query("SELECT * FROM Account")  # the stored tokens still work

    with pytest.raises(SimulatorUnavailable) as raised, \
            company_client(company, database, home / "data"):
        pass
    assert f"127.0.0.1:{port}/__sandbox/info" in str(raised.value)
    assert f"sandbox serve --port {port}" in raised.value.suggested_fix
    database.close()
    assert not (home / "data" / SIMULATOR_FILE).exists()


def test_tokens_are_refreshed_and_rotated_in_the_keyring(
    simulator: Any, home: Path, memory_keyring: Any,
) -> None:
    info = simulator.info
    _connect_at(home, info["base_url"])
    key = (SERVICE, token_key("local", info["realm_id"]))
    issued = Tokens.from_json(memory_keyring.store[key])
    advance_clock(info, 25 * 3600)  # access token long dead; the refresh token rotates
    company = _company(home)
    database = Database.open(resolve_paths(home))
    with company_client(company, database, home / "data") as client:
        assert client.query("SELECT * FROM Customer") is not None
        assert client.connection.refresh_count == 1
    rotated = Tokens.from_json(memory_keyring.store[key])
    assert rotated.refresh_token != issued.refresh_token  # stored, the old one is dead
    with company_client(company, database, home / "data") as client:  # a later command
        assert "simulator" in client.company_info()["CompanyName"]
        assert client.connection.refresh_count == 0
    database.close()


def test_reconnect_returns_to_the_stored_address_and_disconnect_revokes_there(
    simulator: Any, home: Path, memory_keyring: Any, capsys: pytest.CaptureFixture[str],
) -> None:
    info = simulator.info
    _connect_at(home, info["base_url"])
    capsys.readouterr()
    assert main(["--home", str(home), "connect", "--json"]) == 0  # no environment, no URL
    assert json.loads(capsys.readouterr().out)["api_base_url"] == info["base_url"]
    assert main(["--home", str(home), "disconnect", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["revoked"] is True
    assert not [k for k in memory_keyring.store if k[1].startswith("tokens:")]
    assert _company(home).connection_state == "disconnected"


def test_connect_to_a_url_where_no_simulator_answers_names_the_url_and_the_fix(
    home: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = main(["--home", str(home), "connect", "--environment", "local",
                 "--base-url", f"http://127.0.0.1:{port}/v3"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"http://127.0.0.1:{port}/__sandbox/info" in err and "sandbox serve" in err


def test_only_loopback_simulators_are_accepted() -> None:
    with pytest.raises(SimulatorUnavailable, match="not on this computer"):
        running_simulator("http://simulator.example.org:8080/v3")  # refused before any request


def test_the_demo_company_stores_no_address(
    simulator: Any, home: Path, monkeypatch: pytest.MonkeyPatch, no_demo_simulator: Any,
) -> None:
    """Connecting the demo after a simulator at a URL makes it the demo company again."""
    import app.demo_company

    _connect_at(home, simulator.info["base_url"])
    assert not is_builtin_demo(_company(home))
    monkeypatch.setattr(app.demo_company, "demo_simulator", no_demo_simulator)  # allowed here
    assert main(["--home", str(home), "connect", "--environment", "local"]) == 0
    company = _company(home)
    assert company.api_base_url is None and is_builtin_demo(company)
    assert (home / "data" / SIMULATOR_FILE).exists()
