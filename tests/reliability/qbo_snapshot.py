"""What a QuickBooks company holds, in a form two companies can be compared by.

``snapshot(query)`` reads every record of the kinds Ledgerbridge writes and gives each a
canonical form, keyed by the Ledgerbridge key stamped in it — ``PrivateNote`` of a
transaction, ``Notes`` of a customer ("Ledgerbridge <key>", SPEC §5) — or by its
fully-qualified name for accounts, classes and items (names are their identity in QBO):

* server fields are dropped: ``Id``, ``SyncToken``, ``MetaData``, ``domain``, ``sparse``,
  ``time`` (they differ between two companies holding the same books);
* every reference (``CustomerRef``, ``ItemRef``, ``AccountRef``, ``ParentRef``, a line's
  ``Entity``, a ``LinkedTxn``…) has its QBO id replaced by the referenced record's key;
  ``LinkedTxn`` lists are sorted (the order payments reached an invoice is not content).

Two companies posted from the same source hold the same books exactly when their
snapshots are equal. Seeded records (the default chart of accounts, the two default
items) are included: a post must leave them as it found them. ``duplicates`` lists any
key carried by two records; ``unstamped`` holds the canonical forms of customers and
transactions that carry no key (none, on a company only Ledgerbridge wrote to).

``query`` runs one QBO query statement and returns that page's rows: ``QboClient.query``
does (a statement with its own STARTPOSITION is not paged again), and so does
``SimulatorReader.query`` in ``tests/reliability/harness.py``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Query = Callable[[str], list[dict[str, Any]]]

ENTITIES = ("Account", "Class", "Item", "Customer", "Invoice", "Payment", "CreditMemo",
            "RefundReceipt", "JournalEntry")
NAMED = frozenset({"Account", "Class", "Item"})  # keyed by FullyQualifiedName
NAME_LISTS = NAMED | {"Customer"}  # inactive ones are only listed when asked for
SERVER_FIELDS = frozenset({"Id", "SyncToken", "MetaData", "domain", "sparse", "time"})
REF_ENTITY = {
    "CustomerRef": "Customer", "RootCustomerRef": "Customer", "ItemRef": "Item",
    "ClassRef": "Class", "AccountRef": "Account", "IncomeAccountRef": "Account",
    "ExpenseAccountRef": "Account", "AssetAccountRef": "Account",
    "DepositToAccountRef": "Account", "ARAccountRef": "Account", "ItemAccountRef": "Account",
}
_STAMP = re.compile(r"(?:^|\s)Ledgerbridge\s+(\S+)")
PAGE = 1000


@dataclass(frozen=True)
class Snapshot:
    records: dict[str, Any]  # "<Entity> <key>" -> canonical record
    duplicates: dict[str, int]  # key -> how many records carry it, where more than one
    unstamped: tuple[str, ...]  # canonical JSON of customers/transactions without a key

    def differences(self, other: Snapshot, limit: int = 10) -> list[str]:
        """Readable differences from ``other`` (empty when equal), at most ``limit``."""
        found: list[str] = []
        for key in sorted(self.records.keys() | other.records.keys()):
            mine, theirs = self.records.get(key), other.records.get(key)
            if mine != theirs:
                found.append(f"{key}: {_short(mine)} != {_short(theirs)}")
        if self.duplicates != other.duplicates:
            found.append(f"duplicates {self.duplicates} != {other.duplicates}")
        if self.unstamped != other.unstamped:
            found.append(f"unstamped {len(self.unstamped)} != {len(other.unstamped)}")
        return found[:limit] + ([f"... {len(found) - limit} more"] if len(found) > limit
                                else [])

    def count(self, entity: str) -> int:
        return sum(1 for key in self.records if key.split(" ", 1)[0] == entity)


def snapshot(query: Query) -> Snapshot:
    """Read the company through ``query`` and return its canonical snapshot."""
    rows = {entity: list(read_all(query, entity)) for entity in ENTITIES}
    keys = {(entity, str(row["Id"])): key_of(entity, row)
            for entity, found in rows.items() for row in found}
    records: dict[str, Any] = {}
    carried: Counter[str] = Counter()
    unstamped: list[str] = []
    for entity, found in rows.items():
        for row in found:
            key = keys[(entity, str(row["Id"]))]
            form = canonical(entity, row, keys)
            if key is None:
                unstamped.append(json.dumps({entity: form}, sort_keys=True))
                continue
            carried[key] += 1
            records[f"{entity} {key}"] = form
    duplicates = {key: n for key, n in carried.items() if n > 1}
    return Snapshot(records, duplicates, tuple(sorted(unstamped)))


def read_all(query: Query, entity: str) -> Iterator[dict[str, Any]]:
    """Every record of ``entity``, inactive name-list records included, page by page."""
    where = " WHERE Active IN (true, false)" if entity in NAME_LISTS else ""
    start = 1
    while True:
        page = query(f"SELECT * FROM {entity}{where} ORDERBY Id STARTPOSITION {start} "
                     f"MAXRESULTS {PAGE}")
        yield from page
        if len(page) < PAGE:
            return
        start += PAGE


def key_of(entity: str, row: dict[str, Any]) -> str | None:
    """The record's identity: its stamped Ledgerbridge key, or its name for named lists."""
    if entity in NAMED:
        return f"{entity}:{row.get('FullyQualifiedName') or row.get('Name')}"
    text = row.get("Notes" if entity == "Customer" else "PrivateNote")
    match = _STAMP.search(text) if isinstance(text, str) else None
    return match.group(1) if match else None


def canonical(entity: str, row: dict[str, Any], keys: dict[tuple[str, str], str | None]
              ) -> Any:
    """``row`` without server fields, its references by key (see the module docstring)."""

    def ref(target: str, value: Any) -> Any:
        key = keys.get((target, str(value)))
        return f"<{target} {key}>" if key else f"<{target} id {value} unknown>"

    def walk(value: Any, *, top: bool = False, ref_entity: str | None = None) -> Any:
        if isinstance(value, list):
            return [walk(v) for v in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for name, inner in value.items():
            if top and name in SERVER_FIELDS:
                continue
            target = entity if name == "ParentRef" else REF_ENTITY.get(name)
            if name == "EntityRef":
                target = str(value.get("Type") or "Customer")
            if target and isinstance(inner, dict) and "value" in inner:
                out[name] = {**inner, "value": ref(target, inner["value"])}
            elif name == "LinkedTxn" and isinstance(inner, list):
                linked = [{**link, "TxnId": ref(str(link.get("TxnType")), link.get("TxnId"))}
                          for link in inner]
                out[name] = sorted(linked, key=lambda link: json.dumps(link, sort_keys=True))
            else:
                out[name] = walk(inner)
        return out

    return walk(row, top=True)


def _short(value: Any, width: int = 300) -> str:
    text = "absent" if value is None else json.dumps(value, sort_keys=True)
    return text if len(text) <= width else text[:width] + "…"
