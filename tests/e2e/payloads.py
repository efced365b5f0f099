"""Planned payloads as QBO would receive them, for schema checks without a server.

A plan's payload references records by ledger key (``$ref``); QBO sees ids. Here every
reference becomes a placeholder id, and an update, void or delete gets the ``Id`` and
``SyncToken`` the poster adds, so the XSD sees exactly the shape that goes on the wire.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.plan.operations import BARE, REF, Operation

PLACEHOLDER_ID = "9001"


def resolve_refs(value: Any, id_of: Callable[[str], str]) -> Any:
    """``{"$ref": k}`` -> ``{"value": id}``; ``{"$ref": k, "$bare": true}`` -> ``id``."""
    if isinstance(value, Mapping):
        if REF in value:
            qbo_id = id_of(str(value[REF]))
            return qbo_id if value.get(BARE) else {"value": qbo_id}
        return {k: resolve_refs(v, id_of) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [resolve_refs(v, id_of) for v in value]
    return value


def wire_body(operation: Operation, id_of: Callable[[str], str],
              current: tuple[str, str] | None = None) -> dict[str, Any]:
    """The JSON body the poster sends for ``operation`` (``current``: Id, SyncToken)."""
    body = resolve_refs(dict(operation.payload), id_of)
    if operation.action != "create":
        qbo_id, sync_token = current or (PLACEHOLDER_ID, "0")
        body |= {"Id": qbo_id, "SyncToken": sync_token}
        if operation.action == "void" and operation.entity != "Invoice":
            body["sparse"] = True
    return body


def placeholder_body(operation: Operation) -> dict[str, Any]:
    return wire_body(operation, lambda _key: PLACEHOLDER_ID)
