"""A planned operation as QuickBooks receives it: ids for keys, Id and SyncToken added.

A plan references records Ledgerbridge creates by ledger key (``{"$ref": key}``); QBO
wants ids. The poster resolves them from the ledger once the referenced record exists
(the plan's dependency order guarantees it does), and adds the record's current ``Id``
and ``SyncToken`` to an update, void or delete. Tests build the same bodies through here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.plan.operations import BARE, NAME_STATE_ACTIONS, REF, Operation

IdOf = Callable[[str], str]


class UnresolvedReference(LookupError):
    """A payload names a record that does not exist in QuickBooks (yet)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"{key} has not been created in QuickBooks")
        self.key = key


def resolve_refs(value: Any, id_of: IdOf) -> Any:
    """``{"$ref": k}`` -> ``{"value": id}``; ``{"$ref": k, "$bare": true}`` -> ``id``."""
    if isinstance(value, Mapping):
        if REF in value:
            qbo_id = id_of(str(value[REF]))
            return qbo_id if value.get(BARE) else {"value": qbo_id}
        return {k: resolve_refs(v, id_of) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [resolve_refs(v, id_of) for v in value]
    return value


def wire_body(operation: Operation, id_of: IdOf,
              current: tuple[str, str] | None = None) -> dict[str, Any]:
    """The JSON body for ``operation``; ``current`` is (Id, SyncToken) unless a create."""
    if operation.action in NAME_STATE_ACTIONS:
        if current is None:
            raise ValueError(f"{operation.action} of {operation.key} needs its Id and SyncToken")
        return {"Id": current[0], "SyncToken": current[1], "sparse": True,
                "Active": NAME_STATE_ACTIONS[operation.action]}
    body = resolve_refs(dict(operation.payload), id_of)
    if operation.action != "create":
        if current is None:
            raise ValueError(f"{operation.action} of {operation.key} needs its Id and SyncToken")
        body |= {"Id": current[0], "SyncToken": current[1]}
        voids_by_update = operation.action == "void" and operation.entity != "Invoice"
        if operation.action == "update" or voids_by_update:
            body["sparse"] = True
    return body
