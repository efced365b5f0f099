"""The plan's unit: one operation on one QBO record, exactly as the poster will send it.

The preview renders these and the poster sends these; nothing is computed twice.

Conventions every planner and the poster share:
- ``key`` is the *ledger key* of the QBO record the operation creates or changes
  (``"customer:C17"``, ``"invoice:order:A17"``, ``"je:summary:2026-03-04"``). It is stable
  across runs and stamped in QBO (PrivateNote, and DocNumber where the entity has one)
  so a lost response can be resolved by looking the record up.
- In ``payload`` a reference to another record Ledgerbridge creates is written
  ``{"$ref": "<ledger key>"}``; the poster swaps it for ``{"value": "<QBO id>"}`` once that
  record exists. References to existing QBO records (mapped accounts) carry their id:
  ``{"value": "35", "name": "Undeposited Funds"}``.
- Where QBO wants a bare id rather than a reference object (``LinkedTxn.TxnId``) the
  payload holds ``ref_id(key)``, ``{"$ref": key, "$bare": true}``: the poster swaps it
  for the id string itself.
- Amounts in ``payload`` are ``Decimal``; dates ISO strings (QBO's wire format).
- For ``update``/``void``/``delete`` the poster adds ``Id`` and ``SyncToken`` from the
  ledger; the payload holds only the fields that change (sparse update).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.plan.postings import Posting

# deactivate / reactivate: a name (customer, item, account, class) made inactive or active
# again — QuickBooks never deletes names (an undo deactivates, a later post reactivates).
ACTIONS = ("create", "update", "void", "delete", "deactivate", "reactivate")
NAME_STATE_ACTIONS = {"deactivate": False, "reactivate": True}
REF = "$ref"
BARE = "$bare"


def ref(key: str) -> dict[str, str]:
    """A payload reference to the QBO record Ledgerbridge keeps under ``key``."""
    return {REF: key}


def ref_id(key: str) -> dict[str, Any]:
    """A reference that becomes the bare QBO id (``LinkedTxn.TxnId``), not ``{"value": id}``."""
    return {REF: key, BARE: True}


def referenced_keys(value: Any) -> set[str]:
    """Every ledger key a payload references with ``$ref`` (its dependencies)."""
    found: set[str] = set()
    _collect_refs(value, found)
    return found


def _collect_refs(value: Any, found: set[str]) -> None:
    if isinstance(value, dict | Mapping):
        if REF in value:
            found.add(str(value[REF]))
            return
        for item in value.values():
            if isinstance(item, dict | list | tuple | Mapping):
                _collect_refs(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect_refs(item, found)


def _canonical(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if kind is Decimal:
        return format(value, "f")
    if kind is dict or isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


def content_hash(entity: str, action: str, payload: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of what is sent: equal content, equal hash.

    The same text as ``json.dumps(_canonical(...))``, produced by the C encoder with
    sorted keys (a large journal entry hashes ten times faster).
    """
    text = json.dumps([entity, action, payload], separators=(",", ":"), sort_keys=True,
                      default=_json_default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Operation:
    action: str
    entity: str
    key: str
    payload: Mapping[str, Any]
    summary: str
    depends_on: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # source record keys, "charge:C1"
    txn_date: date | None = None
    amount: Decimal | None = None  # the record's total, for previews and reconciliation
    hash: str = field(default="")
    # What the operation does to the books (for an update: the change), for the preview.
    # Not part of the hash: it is derived from the payload and the mapping.
    postings: tuple[Posting, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}")
        if not self.hash:
            object.__setattr__(self, "hash", content_hash(self.entity, self.action, self.payload))

    @property
    def idempotency_key(self) -> str:
        """Stable for the same change to the same record; different for a new change."""
        return f"{self.key}#{self.action}#{self.hash[:16]}"

    @property
    def request_id(self) -> str:
        """QBO ``requestid`` (at most 50 characters): a digest of the idempotency key."""
        return hashlib.sha256(self.idempotency_key.encode("utf-8")).hexdigest()[:32]
