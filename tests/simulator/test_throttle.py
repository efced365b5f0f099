"""Throttling: 500 requests/min/realm, 10 concurrent, 40 batches/min -> 429 with XML body."""

from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET

import requests

from app.simulator import Limits, SandboxServer
from tests.simulator.conftest import Qbo

NS = "{http://schema.intuit.com/finance/v3}"


def _assert_throttle_body(reply):
    assert reply.status_code == 429
    assert reply.headers["Content-Type"].startswith("application/xml")
    error = ET.fromstring(reply.text).find(f"{NS}Fault/{NS}Error")
    assert error is not None and error.get("code") == "3001"
    assert "ThrottleExceeded" in error.find(f"{NS}Message").text


def test_500_requests_per_minute_then_429_until_the_window_passes(qbo):
    statuses = [qbo.get("companyinfo/1").status_code for _ in range(500)]
    assert statuses == [200] * 500
    _assert_throttle_body(qbo.get("companyinfo/1"))
    qbo.admin("clock", {"advance_seconds": 61})
    assert qbo.get("companyinfo/1").status_code == 200


def test_40_batches_per_minute(qbo):
    body = {"BatchItemRequest": [{"bId": "1", "Query": "select * from Class"}]}
    statuses = [qbo.post("batch", body).status_code for _ in range(41)]
    assert statuses[:40] == [200] * 40
    assert statuses[40] == 429
    assert qbo.get("companyinfo/1").status_code == 200  # other requests still pass


def test_more_than_10_concurrent_requests_get_429(qbo):
    qbo.admin("faults", {"delay": 1.0, "delay_seconds": 1.5})
    results: list[int] = []
    lock = threading.Lock()
    ready = threading.Barrier(14)

    def call():
        ready.wait()
        reply = requests.get(f"{qbo.company}/companyinfo/1", headers=qbo.headers())
        with lock:
            results.append(reply.status_code)

    threads = [threading.Thread(target=call) for _ in range(14)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(200) == 10
    assert results.count(429) == 4


def test_time_scale_shortens_the_window():
    """At 60x one sandbox minute is a wall-clock second: the window clears after it."""
    with SandboxServer(time_scale=60, limits=Limits(per_minute=5)) as fast:
        client = Qbo(fast.info)
        statuses = [client.get("companyinfo/1").status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]
        time.sleep(1.1)
        assert client.get("companyinfo/1").status_code == 200


def test_injected_429_does_not_count_towards_the_limit():
    with SandboxServer(limits=Limits(per_minute=3)) as sandbox:
        client = Qbo(sandbox.info)
        client.admin("faults", {"http_429": 1})
        _assert_throttle_body(client.get("companyinfo/1"))
        client.admin("faults", {})
        assert [client.get("companyinfo/1").status_code for _ in range(4)] == [200] * 3 + [429]


def test_optional_per_second_limit():
    with SandboxServer(limits=Limits(per_second=3)) as sandbox:
        client = Qbo(sandbox.info)
        assert [client.get("companyinfo/1").status_code for _ in range(4)] == [200] * 3 + [429]
        client.admin("clock", {"advance_seconds": 1.5})
        assert client.get("companyinfo/1").status_code == 200
