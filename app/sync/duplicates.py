"""After a run: does QuickBooks hold two records carrying one Ledgerbridge key?

The key stamped in every record makes a duplicate visible whatever created it (a
requestid QuickBooks failed to honour, another machine, a restored backup). The scan
reads back the kinds of record the run wrote, in the dates it wrote them, and groups
them by stamped key. Names (accounts, classes, items, customers) cannot be duplicated:
QuickBooks refuses a second record with the same name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.sync.client import QboClient
from app.sync.query import quote
from app.sync.stamps import stamped_key

SCANNED = ("Invoice", "Payment", "CreditMemo", "RefundReceipt", "JournalEntry", "SalesReceipt")


@dataclass(frozen=True)
class Duplicate:
    key: str
    entity: str
    ids: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "entity": self.entity, "ids": list(self.ids)}


def scan_for_duplicates(client: QboClient, written: Iterable[tuple[str, date]]
                        ) -> list[Duplicate]:
    """Duplicates among the records of the kinds and dates written (``(entity, date)``)."""
    spans: dict[str, tuple[date, date]] = {}
    for entity, day in written:
        if entity not in SCANNED:
            continue
        low, high = spans.get(entity, (day, day))
        spans[entity] = (min(low, day), max(high, day))
    found: list[Duplicate] = []
    for entity, (low, high) in sorted(spans.items()):
        rows = client.query(f"SELECT * FROM {entity} WHERE TxnDate >= {quote(low.isoformat())} "
                            f"AND TxnDate <= {quote(high.isoformat())}")
        found.extend(_duplicates(entity, rows))
    return found


def _duplicates(entity: str, rows: Iterable[dict[str, Any]]) -> list[Duplicate]:
    by_key: dict[str, list[str]] = {}
    for row in rows:
        key = stamped_key(entity, row)
        if key is not None:
            by_key.setdefault(key, []).append(str(row.get("Id")))
    return [Duplicate(key, entity, tuple(sorted(ids, key=_numeric)))
            for key, ids in sorted(by_key.items()) if len(ids) > 1]


def _numeric(qbo_id: str) -> tuple[int, str]:
    return (int(qbo_id), "") if qbo_id.isdigit() else (0, qbo_id)
