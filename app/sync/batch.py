"""QBO batch requests: building items, splitting into chunks, reading item results.

QBO takes at most 30 operations per batch request and, when a requestid is sent, bIds
of at most 10 characters; a batch requestid may be at most 36 characters. A long
list becomes several requests, each with a requestid derived from the caller's so a
retried chunk replays instead of applying twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.sync.errors import QboError, error_for_fault, fault_from_json

MAX_BATCH_ITEMS = 30
MAX_BATCH_REQUEST_ID = 36
BATCH_OPERATIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class BatchOperation:
    """One item: ``operation`` on ``entity`` with ``body``; or a query when entity is None."""

    operation: str  # "create" | "update" | "delete" | "query"
    body: dict[str, Any] | str
    entity: str | None = None

    def __post_init__(self) -> None:
        if self.operation == "query":
            if not isinstance(self.body, str):
                raise ValueError("a batch query takes a statement")
        elif self.operation not in BATCH_OPERATIONS or not self.entity:
            raise ValueError(f"bad batch operation {self.operation!r} on {self.entity!r}")


@dataclass(frozen=True)
class BatchResult:
    operation: BatchOperation
    entity: dict[str, Any] | None = None
    query_response: dict[str, Any] | None = None
    error: QboError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def chunks(
    operations: Sequence[BatchOperation], size: int = MAX_BATCH_ITEMS
) -> Iterator[Sequence[BatchOperation]]:
    for start in range(0, len(operations), size):
        yield operations[start : start + size]


def chunk_request_id(request_id: str, index: int, chunk_count: int) -> str:
    """The caller's id for a single chunk; a stable derived id per chunk otherwise."""
    if chunk_count == 1 and len(request_id) <= MAX_BATCH_REQUEST_ID:
        return request_id
    return hashlib.sha256(f"{request_id}#{index}".encode()).hexdigest()[:32]


def request_body(operations: Sequence[BatchOperation]) -> dict[str, Any]:
    items = []
    for index, operation in enumerate(operations):
        item: dict[str, Any] = {"bId": str(index)}
        if operation.operation == "query":
            item["Query"] = operation.body
        else:
            item["operation"] = operation.operation
            item[operation.entity] = operation.body  # type: ignore[index]
        items.append(item)
    return {"BatchItemRequest": items}


def read_results(
    operations: Sequence[BatchOperation], response: dict[str, Any]
) -> list[BatchResult]:
    """Results in the order of ``operations`` (QBO may answer items in any order)."""
    by_bid = {str(item.get("bId")): item for item in response.get("BatchItemResponse", [])}
    results = []
    for index, operation in enumerate(operations):
        item = by_bid.get(str(index))
        results.append(_result(operation, item))
    return results


def _result(operation: BatchOperation, item: dict[str, Any] | None) -> BatchResult:
    if item is None:
        missing = QboError("QuickBooks returned no result for this batch item")
        return BatchResult(operation, error=missing)
    fault = fault_from_json(item)
    if fault is not None:
        return BatchResult(operation, error=error_for_fault(fault))
    if operation.operation == "query":
        return BatchResult(operation, query_response=item.get("QueryResponse", {}))
    entity = next(
        (v for k, v in item.items() if k.lower() == (operation.entity or "").lower()), None
    )
    return BatchResult(operation, entity=entity)
