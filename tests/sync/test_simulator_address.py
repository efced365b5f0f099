"""A simulator address is taken as people type it, and a wrong one is named plainly."""

from __future__ import annotations

import pytest

from app.simulator import SandboxServer
from app.sync.local_simulator import SimulatorUnavailable, api_base, running_simulator


def test_host_and_port_alone_mean_plain_http():
    assert api_base("127.0.0.1:18765/v3") == "http://127.0.0.1:18765/v3"
    assert api_base(" localhost:9 ") == "http://localhost:9/v3"
    assert api_base("http://127.0.0.1:5/v3/") == "http://127.0.0.1:5/v3"


def test_a_simulator_typed_without_http_is_found():
    with SandboxServer() as simulator:
        address = simulator.info["base_url"].removeprefix("http://")
        assert running_simulator(address).realm_id == simulator.info["realm_id"]


def test_an_address_off_this_computer_is_refused_with_what_to_type():
    with pytest.raises(SimulatorUnavailable) as raised:
        running_simulator("example.com:8080")
    assert "not on this computer" in str(raised.value)
    assert "--base-url" not in raised.value.suggested_fix  # the window has no flags
    assert "http://127.0.0.1:PORT/v3" in raised.value.suggested_fix
