"""What the ledger says was sent: lookups the detailed planner needs, built once.

Posted payloads are read back in the form the planner wrote them (``$ref`` keys) or, if
the poster stored them resolved, by QBO id; both lead to the same ledger key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any

from app.accounting.ledger_view import LedgerView, PostedRecord
from app.domain.money import ZERO, MoneyError, money
from app.plan.operations import REF, _canonical

LIVE_STATES = ("posted",)  # voided records stay in QBO but count for nothing
_SERVER_FIELDS = ("Id", "SyncToken", "sparse", "MetaData", "domain")


def canonical_json(payload: Mapping[str, Any]) -> str:
    body = {k: v for k, v in payload.items() if k not in _SERVER_FIELDS}
    return json.dumps(_canonical(body), separators=(",", ":"), sort_keys=True)


def _same(a: Any, b: Any, identity: Any = None, field: str = "") -> bool:
    """Equal as QBO content: amounts compare as numbers ("12.50" == Decimal("12.5")).

    ``identity(field, value)`` names the account or class a reference points to, so
    ``{"$ref": "account:Dance"}`` (planned before the account existed) equals
    ``{"value": "23", "name": "Dance"}`` (planned once it does).
    """
    if identity is not None and isinstance(a, Mapping) and isinstance(b, Mapping):
        mine, theirs = identity(field, a), identity(field, b)
        if mine is not None and theirs is not None:
            return bool(mine == theirs)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k], identity, k) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(
            _same(x, y, identity, field) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return money(a) == money(b)
        except MoneyError:  # not an amount (or a float, which is never money)
            return False
    return a == b


def _same_body(posted: Mapping[str, Any], planned: Mapping[str, Any],
               identity: Any = None) -> bool:
    keys = {k for k in posted if k not in _SERVER_FIELDS}
    if keys != {k for k in planned if k not in _SERVER_FIELDS}:
        return False
    return all(_same(posted[k], planned[k], identity, k) for k in keys)


class LedgerIndex:
    def __init__(self, ledger: LedgerView, class_names: Mapping[str, str] | None = None,
                 account_names: Mapping[str, str] | None = None) -> None:
        self.ledger = ledger
        # QBO id -> fully-qualified name, to read class and account references back
        self.class_names = dict(class_names or {})
        self.account_names = dict(account_names or {})

    def account_name(self, reference: Any) -> str:
        """The fully-qualified account name a payload's AccountRef points to."""
        reference = reference or {}
        if REF in reference:
            return str(reference[REF]).split(":", 1)[1]
        value = str(reference.get("value"))
        return self.account_names.get(value) or str(reference.get("name") or value)

    def class_name(self, reference: Any) -> str | None:
        if not reference:
            return None
        if REF in reference:
            return str(reference[REF]).split(":", 1)[1]
        value = str(reference.get("value"))
        return self.class_names.get(value) or str(reference.get("name") or value)

    def target_identity(self, field: str, reference: Mapping[str, Any]) -> str | None:
        """``account:<FQN>`` / ``class:<FQN>`` for an account or class reference, else None."""
        if field.endswith("AccountRef"):
            return f"account:{self.account_name(reference)}"
        if field == "ClassRef":
            return f"class:{self.class_name(reference)}"
        return None

    def get(self, key: str) -> PostedRecord | None:
        return self.ledger.get(key)

    def exists(self, key: str) -> bool:
        """Created in QBO and not voided (in-doubt writes are resolved before planning)."""
        record = self.ledger.get(key)
        return record is not None and record.state in LIVE_STATES

    def is_posted(self, key: str) -> bool:
        record = self.ledger.get(key)
        return record is not None and record.state == "posted" and record.qbo_id is not None

    def payload(self, key: str) -> Mapping[str, Any]:
        record = self.ledger.get(key)
        return (record.payload or {}) if record is not None else {}

    def same_content(self, key: str, payload: Mapping[str, Any]) -> bool:
        """Whether the record already carries exactly ``payload``'s content."""
        record = self.ledger.get(key)
        if record is None:
            return False
        if record.payload is not None:
            return _same_body(record.payload, payload, self.target_identity)
        from app.plan.operations import content_hash

        return record.content_hash in (
            content_hash(record.entity, "create", payload),
            content_hash(record.entity, "update", payload),
        )

    @cached_property
    def _key_by_id(self) -> dict[tuple[str, str], str]:
        return {
            (r.entity, r.qbo_id): r.key for r in self.ledger.values() if r.qbo_id is not None
        }

    def key_of(self, reference: Any, entity: str) -> str | None:
        """The ledger key a payload reference points to (``$ref`` or QBO id)."""
        if isinstance(reference, Mapping):
            if REF in reference:
                return str(reference[REF])
            reference = reference.get("value")
        if reference is None:
            return None
        return self._key_by_id.get((entity, str(reference)))

    def applications(self, payment_key: str) -> dict[str, Decimal]:
        """Invoice key -> amount a posted payment applies to it."""
        result: dict[str, Decimal] = {}
        for line in self.payload(payment_key).get("Line", ()):
            for linked in line.get("LinkedTxn", ()):
                if linked.get("TxnType") != "Invoice":
                    continue
                txn = linked.get("TxnId")
                key = self.key_of(txn if isinstance(txn, Mapping) else {"value": txn}, "Invoice")
                if key is not None:
                    result[key] = result.get(key, ZERO) + money(line["Amount"])
        return result

    def applied_by(self, invoice_key: str, payment_keys: Iterable[str]) -> Decimal:
        """What the live posted payments among ``payment_keys`` apply to one invoice.

        The planner applies a payment only to its own order's invoices, so asking the
        order's payments reads back a handful of payloads instead of every payment ever
        posted (planning must not grow with the history already posted).
        """
        return sum((self.applications(key).get(invoice_key, ZERO) for key in payment_keys
                    if self.exists(key)), ZERO)

    @cached_property
    def _by_entity(self) -> dict[str, list[PostedRecord]]:
        grouped: dict[str, list[PostedRecord]] = {}
        for record in self.ledger.values():
            if record.state in LIVE_STATES:
                grouped.setdefault(record.entity, []).append(record)
        return grouped

    def entities(self, entity: str) -> list[PostedRecord]:
        return self._by_entity.get(entity, [])


__all__ = ["LIVE_STATES", "LedgerIndex", "canonical_json"]
