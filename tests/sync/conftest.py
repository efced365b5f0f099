"""Fixtures: a running simulator and a client connected to it over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.sync.client import QboClient
from app.sync.local_demo import connect_local
from app.sync.tokens import KeyringTokenStore, TokenStore
from tests.sync.simulator_helpers import fast_client_options


@pytest.fixture
def start_simulator() -> Iterator[Callable[..., Any]]:
    """Start simulators on free ports; all are stopped at the end of the test."""
    from app.simulator import SandboxServer  # only tests that need it import it

    running: list[Any] = []

    def start(**options: Any) -> Any:
        server = SandboxServer(port=0, **options)
        server.__enter__()
        running.append(server)
        return server

    yield start
    for server in reversed(running):
        server.__exit__(None, None, None)


@pytest.fixture
def simulator(start_simulator: Callable[..., Any]) -> Any:
    return start_simulator(time_scale=60.0)


@pytest.fixture
def connect(simulator: Any) -> Callable[..., QboClient]:
    """Connect to ``simulator`` with keyring-stored tokens and a fast governor/backoff."""

    def make(store: TokenStore | None = None, time_scale: float = 60.0,
             **options: Any) -> QboClient:
        client, _link = connect_local(
            simulator.info, store=store or KeyringTokenStore(),
            **{**fast_client_options(time_scale), **options},
        )
        return client

    return make
