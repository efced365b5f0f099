"""Batch building: 30 per request, stable derived requestids, results in order."""

from __future__ import annotations

import pytest

from app.sync.batch import (
    BatchOperation,
    chunk_request_id,
    chunks,
    read_results,
    request_body,
)
from app.sync.errors import DuplicateError


def _ops(n: int) -> list[BatchOperation]:
    return [BatchOperation("create", {"DisplayName": f"C{i}"}, entity="Customer") for i in range(n)]


def test_split_into_thirties() -> None:
    assert [len(c) for c in chunks(_ops(65))] == [30, 30, 5]


def test_chunk_request_ids_are_stable_distinct_and_short() -> None:
    single = chunk_request_id("run-1", 0, 1)
    assert single == "run-1"
    derived = [chunk_request_id("run-1", i, 3) for i in range(3)]
    assert derived == [chunk_request_id("run-1", i, 3) for i in range(3)]
    assert len(set(derived)) == 3 and all(len(d) <= 36 for d in derived)
    assert len(chunk_request_id("x" * 50, 0, 1)) <= 36


def test_body_and_results_in_order_even_when_answered_out_of_order() -> None:
    ops = [*_ops(2), BatchOperation("query", "SELECT * FROM Customer")]
    body = request_body(ops)
    assert [item["bId"] for item in body["BatchItemRequest"]] == ["0", "1", "2"]
    assert body["BatchItemRequest"][0]["operation"] == "create"
    assert body["BatchItemRequest"][2]["Query"] == "SELECT * FROM Customer"
    response = {"BatchItemResponse": [
        {"bId": "2", "QueryResponse": {"Customer": []}},
        {"bId": "1", "Fault": {"type": "ValidationFault", "Error": [
            {"Message": "Duplicate Name Exists Error", "Detail": "d", "code": "6240"}]}},
        {"bId": "0", "Customer": {"Id": "7"}},
    ]}
    results = read_results(ops, response)
    assert results[0].ok and results[0].entity == {"Id": "7"}
    assert isinstance(results[1].error, DuplicateError)
    assert results[2].query_response == {"Customer": []}


def test_missing_item_is_an_error_not_a_silent_success() -> None:
    results = read_results(_ops(1), {"BatchItemResponse": []})
    assert not results[0].ok


def test_bad_operations_are_refused() -> None:
    with pytest.raises(ValueError):
        BatchOperation("void", {}, entity="Invoice")
    with pytest.raises(ValueError):
        BatchOperation("query", {"not": "a statement"})
