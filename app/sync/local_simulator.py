"""A Ledgerbridge simulator already running at a URL, as the client sees it: over HTTP.

A company connected with ``connect --environment local --base-url URL`` is talked to
at that URL like a hosted company, with tokens in the keyring. What the URLs cannot
say (the OAuth endpoints, the client credentials, the clock's time scale) the
simulator publishes at ``<origin>/__sandbox/info``; it is read when a client is
opened, because the simulator may have been restarted with another scale since.
Nothing here imports the simulator: it is the other side of the wire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from app.sync.environments import Environment, is_loopback_url, local_environment
from app.sync.errors import QboError
from app.sync.governor import RateLimits, governor_for
from app.sync.retry import RetryPolicy

INFO_PATH = "/__sandbox/info"
INFO_TIMEOUT_SECONDS = 10.0
_PUBLISHED = ("base_url", "realm_id", "client_id", "client_secret", "authorization_url",
              "token_url", "revoke_url")


class SimulatorUnavailable(QboError):
    """The simulator a local company is connected to does not answer as one (or changed)."""

    kind = "simulator"

    def __init__(self, message: str, *, fix: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.fix = fix

    @property
    def suggested_fix(self) -> str:
        return self.fix


def api_base(url: str) -> str:
    """The v3 API base of a simulator given by its origin or its API base."""
    return f"{simulator_origin(url)}/v3"


def simulator_origin(url: str) -> str:
    """The origin, ``http://`` assumed when only ``host:port`` was typed (as people do)."""
    origin = url.strip().rstrip("/").removesuffix("/v3")
    if origin and "://" not in origin:
        origin = f"http://{origin}"
    return origin


@dataclass(frozen=True)
class RunningSimulator:
    """What a running simulator published about itself, reached at ``api_base_url``."""

    api_base_url: str  # as the user gave it (normalised to …/v3); the API is called here
    info: dict[str, Any]

    @property
    def environment(self) -> Environment:
        return local_environment(self.info).with_api_base(self.api_base_url)

    @property
    def realm_id(self) -> str:
        return str(self.info["realm_id"])

    @property
    def client_id(self) -> str:
        return str(self.info["client_id"])

    @property
    def client_secret(self) -> str:
        return str(self.info["client_secret"])

    @property
    def time_scale(self) -> float:
        return float(self.info.get("time_scale") or 1.0)

    def client_options(self) -> dict[str, Any]:
        """QBO's limits and backoff on the simulator's clock (1 s is 1/scale of its second)."""
        key = f"{self.environment.name}:{self.realm_id}"
        return {
            "governor": governor_for(key, RateLimits.qbo(self.time_scale)),
            "retry": RetryPolicy().scaled(self.time_scale),
        }

    def check_realm(self, realm_id: str | None) -> None:
        """Refuse a simulator that now holds another company than the one connected."""
        if realm_id and realm_id != self.realm_id:
            raise SimulatorUnavailable(
                f"The simulator at {self.api_base_url} now holds another company "
                f"(realm {self.realm_id}, not {realm_id})",
                fix="Start the simulator again with the data file it was connected with "
                "(`ledgerbridge sandbox serve --data FILE`), or connect to this one with "
                f"`ledgerbridge connect --environment local --base-url {self.api_base_url}`.",
            )


def running_simulator(url: str, *, timeout: float = INFO_TIMEOUT_SECONDS) -> RunningSimulator:
    """Ask the simulator at ``url`` what it is; SimulatorUnavailable when nothing answers."""
    base = api_base(url)
    if not is_loopback_url(base):
        raise SimulatorUnavailable(
            f"{base} is not on this computer, and a simulator is only ever reached on it",
            fix="Give the address `ledgerbridge sandbox serve` printed, "
            "http://127.0.0.1:PORT/v3 (127.0.0.1 or localhost, plain http).",
        )
    info_url = simulator_origin(url) + INFO_PATH
    try:
        response = requests.get(info_url, timeout=timeout)
        info = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        info = None
    if not isinstance(info, dict) or any(key not in info for key in _PUBLISHED):
        raise SimulatorUnavailable(f"No Ledgerbridge simulator answers at {info_url}",
                                   fix=_start_again(base))
    return RunningSimulator(base, info)


def _start_again(base: str) -> str:
    port = urlsplit(base).port or "PORT"
    return (
        f"Start it again at that address (`ledgerbridge sandbox serve --port {port} "
        "--data FILE`, with the data file it was connected with), or connect to another "
        "with `ledgerbridge connect --environment local --base-url URL`; "
        "`ledgerbridge connect --environment local` alone opens the built-in demo company."
    )
