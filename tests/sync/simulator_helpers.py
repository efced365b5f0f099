"""Helpers for tests that drive the client against the simulator over real HTTP."""

from __future__ import annotations

from typing import Any

import requests

from app.sync.client import QboClient
from app.sync.governor import RateGovernor, RateLimits
from app.sync.retry import RetryPolicy


def admin_root(info: dict[str, Any]) -> str:
    return str(info["base_url"]).rstrip("/").removesuffix("/v3")


def set_faults(simulator: Any, **settings: float | int) -> dict[str, Any]:
    """Configure fault injection over the admin endpoint (no arguments: none)."""
    response = requests.post(f"{admin_root(simulator.info)}/__sandbox/faults", json=settings,
                             timeout=10)
    response.raise_for_status()
    return dict(response.json())


def stats(info: dict[str, Any]) -> dict[str, Any]:
    response = requests.get(f"{admin_root(info)}/__sandbox/stats", timeout=10)
    response.raise_for_status()
    return dict(response.json())


def fast_client_options(time_scale: float) -> dict[str, Any]:
    """QBO's limits and backoff on the simulator's faster clock; waits stay short."""
    return {
        "governor": RateGovernor(RateLimits.qbo(time_scale)),
        "retry": RetryPolicy(max_attempts=12, base_delay=0.5, time_scale=time_scale),
        "timeout": 10.0,
    }


def invoice_body(customer_id: str, item_id: str, doc_number: str) -> dict[str, Any]:
    return {
        "CustomerRef": {"value": customer_id},
        "DocNumber": doc_number,
        "PrivateNote": f"ledgerbridge:{doc_number}",
        "Line": [{
            "Amount": "10.00",
            "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": item_id}},
        }],
    }


def item_id(client: QboClient, name: str = "Services") -> str:
    rows = client.query(f"SELECT * FROM Item WHERE Name = '{name}'")
    assert rows, f"the simulator has no item {name!r}"
    return str(rows[0]["Id"])


def advance_clock(info: dict[str, Any], seconds: float) -> None:
    """Move the simulator's clock (its tokens age; ours do not know)."""
    response = requests.post(f"{admin_root(info)}/__sandbox/clock",
                             json={"advance_seconds": seconds}, timeout=10)
    response.raise_for_status()


def expire_access_tokens(info: dict[str, Any]) -> None:
    response = requests.post(f"{admin_root(info)}/__sandbox/expire-tokens", timeout=10)
    response.raise_for_status()


READ_OPERATIONS = frozenset({"query", "read", "report", "cdc"})


def write_requests(info: dict[str, Any]) -> int:
    """Requests that could change the company (creates, updates, voids, deletes, batches)."""
    by_operation = stats(info).get("by_operation", {})
    return sum(n for op, n in by_operation.items() if op not in READ_OPERATIONS)
