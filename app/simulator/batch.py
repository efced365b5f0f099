"""``POST /batch``: up to 30 operations, run one after another, each with its own result.

Notes §3/§10: QBO throttles batches separately and its docs disagree on the item limit
(10 vs 30); the sandbox takes 30, the larger, and answers 1040 above it. Items run in
order and a failing item gets a ``Fault`` in its ``BatchItemResponse`` without stopping
the others. Each ``bId`` must be present and unique.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.simulator import errors, operations
from app.simulator.company import Company
from app.simulator.entities import KINDS
from app.simulator.entities.base import require_dict, require_list

MAX_ITEMS = 30
MAX_BID_WITH_REQUEST_ID = 10

QueryRunner = Callable[[Company, str], dict[str, Any]]


def run(company: Company, body: Any, run_query: QueryRunner, request_id: str | None
        ) -> dict[str, Any]:
    items = require_list(require_dict(body, "IntuitBatchRequest").get("BatchItemRequest"),
                         "BatchItemRequest")
    if not items:
        raise errors.required_missing("BatchItemRequest")
    if len(items) > MAX_ITEMS:
        raise errors.validation("1040", "Batch size exceeds allowed limit",
                                f"The batch has {len(items)} items; the maximum is {MAX_ITEMS}.")
    seen: set[str] = set()
    for item in items:
        bid = str(require_dict(item, "BatchItemRequest").get("bId") or "")
        if not bid:
            raise errors.required_missing("BatchItemRequest.bId")
        if bid in seen:
            raise errors.validation("1050", "Duplicate bId", f"bId {bid} is used twice",
                                    "bId")
        if request_id and len(bid) > MAX_BID_WITH_REQUEST_ID:
            raise errors.length_exceeded("bId", MAX_BID_WITH_REQUEST_ID)
        seen.add(bid)
    return {"BatchItemResponse": [_one(company, item, run_query) for item in items]}


def _one(company: Company, item: dict[str, Any], run_query: QueryRunner) -> dict[str, Any]:
    bid = str(item["bId"])
    try:
        if "Query" in item:
            return {"bId": bid, "QueryResponse": run_query(company, str(item["Query"]))}
        names = [key for key in item if key in KINDS]
        if len(names) != 1:
            raise errors.invalid_property("BatchItemRequest", "Property Name:each batch item "
                                          "needs exactly one entity or a Query")
        name = names[0]
        rules, payload = KINDS[name], item[name]
        operation = str(item.get("operation", "create")).lower()
        options = str(item.get("optionsData", "")).lower()
        if operation == "create":
            result = operations.create(company, rules, payload)
        elif operation == "update" and "void" in options:
            result = operations.void(company, rules, payload)
        elif operation == "update":
            result = operations.update(company, rules, payload)
        elif operation == "delete":
            result = operations.delete(company, rules, payload)
        else:
            raise errors.unsupported(f"Operation {operation} is not supported in a batch.")
        return {"bId": bid, name: result}
    except errors.QboFault as fault:
        return {"bId": bid, "Fault": fault.fault_dict()}
