"""QboClient against the simulator: CRUD, void, query paging and quoting, batch, errors."""

from __future__ import annotations

import time
from typing import Any

import pytest

from app.sync.batch import BatchOperation
from app.sync.client import Lookup
from app.sync.errors import (
    DuplicateError,
    NetworkError,
    NotFoundError,
    ServerError,
    StaleObjectError,
    ValidationError,
)
from app.sync.query import select_where
from app.sync.retry import RetryPolicy
from tests.sync.simulator_helpers import invoice_body, item_id, set_faults, stats


def test_create_read_sparse_update_delete(connect: Any) -> None:
    client = connect()
    created = client.create("Customer", {"DisplayName": "Amy's Bird Sanctuary"},
                            request_id="crud-1")
    read = client.read("Customer", created["Id"])
    assert read["DisplayName"] == "Amy's Bird Sanctuary"
    updated = client.update("Customer", {"Id": read["Id"], "SyncToken": read["SyncToken"],
                                         "Notes": "sparse"}, request_id="crud-2")
    assert updated["Notes"] == "sparse" and updated["DisplayName"] == "Amy's Bird Sanctuary"
    with pytest.raises(StaleObjectError):
        client.update("Customer", {"Id": read["Id"], "SyncToken": read["SyncToken"],
                                   "Notes": "late"}, request_id="crud-3")


def test_query_quotes_apostrophes(connect: Any) -> None:
    client = connect()
    client.create("Customer", {"DisplayName": "O'Brien"}, request_id="q-1")
    client.create("Customer", {"DisplayName": "OBrien"}, request_id="q-2")
    rows = client.query(select_where("Customer", DisplayName="O'Brien"))
    assert [r["DisplayName"] for r in rows] == ["O'Brien"]


def test_invoice_void_and_delete(connect: Any) -> None:
    client = connect()
    customer = client.create("Customer", {"DisplayName": "Voidable"}, request_id="v-0")
    item = item_id(client)
    invoice = client.create("Invoice", invoice_body(customer["Id"], item, "V-1"),
                            request_id="v-1")
    voided = client.void("Invoice", invoice["Id"], invoice["SyncToken"], request_id="v-2")
    assert voided["Id"] == invoice["Id"] and str(voided.get("TotalAmt")) in ("0", "0.00", "0.0")
    other = client.create("Invoice", invoice_body(customer["Id"], item, "V-2"),
                          request_id="v-3")
    client.delete("Invoice", other["Id"], other["SyncToken"], request_id="v-4")
    with pytest.raises(NotFoundError):
        client.read("Invoice", other["Id"])


def test_payment_void_uses_update_include_void(connect: Any) -> None:
    client = connect()
    customer = client.create("Customer", {"DisplayName": "Payer"}, request_id="p-0")
    payment = client.create("Payment", {"CustomerRef": {"value": customer["Id"]},
                                        "TotalAmt": "25.00"}, request_id="p-1")
    voided = client.void("Payment", payment["Id"], payment["SyncToken"], request_id="p-2")
    assert voided["Id"] == payment["Id"]
    assert voided["SyncToken"] != payment["SyncToken"]


def test_query_pages_past_one_thousand(connect: Any) -> None:
    client = connect()
    operations = [BatchOperation("create", {"DisplayName": f"Page {n:04d}"}, entity="Customer")
                  for n in range(1030)]
    results = client.batch(operations, request_id="paging-seed")
    assert all(r.ok for r in results) and len(results) == 1030
    rows = client.query("SELECT * FROM Customer WHERE DisplayName LIKE 'Page %'")
    assert len(rows) == 1030 and len({r["Id"] for r in rows}) == 1030
    assert client.count("SELECT COUNT(*) FROM Customer WHERE DisplayName LIKE 'Page %'") == 1030
    first_page = client.query("SELECT * FROM Customer WHERE DisplayName LIKE 'Page %' "
                              "STARTPOSITION 1 MAXRESULTS 10")
    assert len(first_page) == 10  # a statement that pages itself is sent as it is


def test_batch_reports_item_faults_in_order(connect: Any) -> None:
    client = connect()
    client.create("Customer", {"DisplayName": "Taken"}, request_id="b-0")
    results = client.batch([
        BatchOperation("create", {"DisplayName": "Fresh"}, entity="Customer"),
        BatchOperation("create", {"DisplayName": "Taken"}, entity="Customer"),
        BatchOperation("query", "SELECT * FROM Customer WHERE DisplayName = 'Fresh'"),
    ], request_id="b-1")
    assert results[0].ok and results[0].entity["DisplayName"] == "Fresh"  # type: ignore[index]
    assert isinstance(results[1].error, DuplicateError)
    assert results[2].ok


def test_validation_errors_are_not_retried(connect: Any) -> None:
    client = connect()
    before = stats(_info(client))
    with pytest.raises(ValidationError) as caught:
        client.create("Invoice", {"Line": []}, request_id="bad-1")
    after = stats(_info(client))
    assert caught.value.code and caught.value.explanation and caught.value.suggested_fix
    assert _posts(after) - _posts(before) == 1


def test_duplicate_name_is_typed(connect: Any) -> None:
    client = connect()
    client.create("Customer", {"DisplayName": "Twice"}, request_id="d-1")
    with pytest.raises(DuplicateError) as caught:
        client.create("Customer", {"DisplayName": "Twice"}, request_id="d-2")
    assert caught.value.code == "6240"


def test_report_trial_balance(connect: Any) -> None:
    client = connect()
    report = client.report("TrialBalance", start_date="2020-01-01", end_date="2030-12-31")
    assert "Header" in report or "Rows" in report


def test_requestid_replay_returns_the_original(connect: Any) -> None:
    client = connect()
    first = client.create("Customer", {"DisplayName": "Replayed"}, request_id="same-id")
    second = client.create("Customer", {"DisplayName": "Replayed"}, request_id="same-id")
    assert first["Id"] == second["Id"]


def test_lookup_adopts_after_a_drop_when_requestid_is_not_honoured(connect: Any,
                                                                   simulator: Any) -> None:
    client = connect()
    customer = client.create("Customer", {"DisplayName": "Lookup"}, request_id="l-0")
    item = item_id(client)
    set_faults(simulator, drop_after_write=1.0, requestid_not_honoured=1.0, seed=1)
    body = invoice_body(customer["Id"], item, "LK-1")
    invoice = client.create("Invoice", body, request_id="l-1",
                            lookup=Lookup("DocNumber", "LK-1"))
    set_faults(simulator)
    assert invoice["DocNumber"] == "LK-1"
    assert len(client.query("SELECT * FROM Invoice WHERE DocNumber = 'LK-1'")) == 1


def test_lookup_by_private_note_within_a_narrowing_filter(connect: Any, simulator: Any) -> None:
    client = connect()
    customer = client.create("Customer", {"DisplayName": "Noted"}, request_id="n-0")
    item = item_id(client)
    set_faults(simulator, drop_after_write=1.0, requestid_not_honoured=1.0, seed=2)
    body = invoice_body(customer["Id"], item, "PN-1")
    lookup = Lookup("PrivateNote", "ledgerbridge:PN-1",
                    where=f"CustomerRef = '{customer['Id']}'")
    invoice = client.create("Invoice", body, request_id="n-1", lookup=lookup)
    set_faults(simulator)
    assert invoice["PrivateNote"] == "ledgerbridge:PN-1"
    rows = client.query(f"SELECT * FROM Invoice WHERE CustomerRef = '{customer['Id']}'")
    assert len(rows) == 1


def test_retries_are_bounded(connect: Any, simulator: Any) -> None:
    client = connect(retry=RetryPolicy(max_attempts=3, base_delay=0.01))
    set_faults(simulator, http_503=1.0, seed=3)
    with pytest.raises(ServerError):
        client.create("Customer", {"DisplayName": "Never"}, request_id="never-1")
    set_faults(simulator)
    assert stats(simulator.info)["by_status"].get("503") == 3


def _info(client: Any) -> dict[str, Any]:
    return {"base_url": client.connection.environment.api_base_url}


def _posts(snapshot: dict[str, Any]) -> int:
    return int(snapshot.get("by_method", {}).get("POST", 0))


def test_update_and_delete_survive_a_drop_without_replay(connect: Any, simulator: Any) -> None:
    client = connect()
    customer = client.create("Customer", {"DisplayName": "Dropped Update"}, request_id="u-0")
    set_faults(simulator, drop_after_write=1.0, requestid_not_honoured=1.0, seed=4)
    updated = client.update("Customer", {"Id": customer["Id"],
                                         "SyncToken": customer["SyncToken"],
                                         "Notes": "applied once"}, request_id="u-1")
    set_faults(simulator)
    assert updated["Notes"] == "applied once"
    invoice = client.create("Invoice", invoice_body(customer["Id"], item_id(client), "DD-1"),
                            request_id="u-2")
    set_faults(simulator, drop_after_write=1.0, requestid_not_honoured=1.0, seed=5)
    client.delete("Invoice", invoice["Id"], invoice["SyncToken"], request_id="u-3")
    set_faults(simulator)
    with pytest.raises(NotFoundError):
        client.read("Invoice", invoice["Id"])


def test_timeout_is_retried_after_the_server_had_time_to_finish(
    connect: Any, simulator: Any
) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    client = connect(timeout=0.3, retry=RetryPolicy(max_attempts=3, base_delay=0.01),
                     sleep=sleep)
    set_faults(simulator, delay=1.0, delay_seconds=0.5, seed=6)
    with pytest.raises(NetworkError) as caught:
        client.read("CompanyInfo", client.connection.realm_id)
    assert caught.value.timed_out and caught.value.retryable
    assert len(waits) == 2 and min(waits) >= 0.3  # as long again as the timeout
    set_faults(simulator, delay=0.5, delay_seconds=0.5, seed=8)
    created = client.create("Customer", {"DisplayName": "Slow"}, request_id="slow-1")
    set_faults(simulator)
    rows = client.query("SELECT * FROM Customer WHERE DisplayName = 'Slow'")
    assert [r["Id"] for r in rows] == [created["Id"]]


def test_a_token_call_that_fails_on_the_network_is_retried(connect: Any) -> None:
    client = connect()
    real = client.connection.access_token
    failures = [NetworkError("token endpoint unreachable", outcome_unknown=False)]

    def flaky() -> str:
        if failures:
            raise failures.pop()
        return real()

    client.connection.access_token = flaky  # type: ignore[method-assign]
    created = client.create("Customer", {"DisplayName": "After a token hiccup"},
                            request_id="tok-1")
    assert created["DisplayName"] == "After a token hiccup" and not failures


def test_amounts_come_back_as_exact_decimals(connect: Any) -> None:
    from decimal import Decimal

    client = connect()
    customer = client.create("Customer", {"DisplayName": "Exact Amounts"}, request_id="d-0")
    invoice = client.create("Invoice", invoice_body(customer["Id"], item_id(client), "D-1"),
                            request_id="d-1")
    total = client.read("Invoice", invoice["Id"])["TotalAmt"]
    assert isinstance(total, Decimal | int) and not isinstance(total, float)
    assert all(not isinstance(line["Amount"], float) for line in invoice["Line"])
