"""1,000 creates from 8 threads through injected 429s, 500s and dropped responses.

Each must land exactly once: requestid replay covers the dropped responses, and when
the simulator stops honouring requestid the ``Lookup`` on DocNumber does.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from app.sync.client import Lookup
from tests.sync.simulator_helpers import invoice_body, item_id, set_faults, stats

CREATES = 1000
THREADS = 8
TIME_SCALE = 60.0


@pytest.mark.slow
@pytest.mark.parametrize("honoured", [True, False], ids=["requestid-honoured", "not-honoured"])
def test_thousand_creates_land_exactly_once(
    start_simulator: Any, connect: Any, honoured: bool
) -> None:
    simulator = start_simulator(time_scale=TIME_SCALE)
    client = _connect_to(simulator, connect)
    customer = client.create("Customer", {"DisplayName": "Exactly Once"}, request_id="eo-c")
    item = item_id(client)
    faults = {"http_429": 0.20, "http_500": 0.05, "drop_after_write": 0.03, "seed": 7}
    if not honoured:
        faults["requestid_not_honoured"] = 1.0
    set_faults(simulator, **faults)
    tag = "H" if honoured else "N"

    def create(n: int) -> str:
        doc = f"EO{tag}-{n:04d}"
        lookup = None if honoured else Lookup("DocNumber", doc)
        created = client.create("Invoice", invoice_body(customer["Id"], item, doc),
                                request_id=f"eo-{tag}-{n}", lookup=lookup)
        return str(created["DocNumber"])

    with ThreadPoolExecutor(THREADS) as pool:
        returned = list(pool.map(create, range(CREATES)))
    injected = stats(simulator.info)["faults_injected"]
    set_faults(simulator)
    rows = client.query(f"SELECT * FROM Invoice WHERE CustomerRef = '{customer['Id']}'")
    counts = Counter(r["DocNumber"] for r in rows)
    expected = {f"EO{tag}-{n:04d}" for n in range(CREATES)}
    assert set(returned) == expected
    assert {doc for doc, c in counts.items() if c > 1} == set(), "duplicates"
    assert expected - set(counts) == set(), "missing"
    assert len(rows) == CREATES
    assert injected.get("drop_after_write", 0) > 0 and injected.get("http_429", 0) > 100


def _connect_to(simulator: Any, connect: Any) -> Any:
    from app.sync.local_demo import connect_local
    from app.sync.tokens import KeyringTokenStore
    from tests.sync.simulator_helpers import fast_client_options

    client, _ = connect_local(simulator.info, store=KeyringTokenStore(),
                              **fast_client_options(TIME_SCALE))
    return client
