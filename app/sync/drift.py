"""Was a record Ledgerbridge posted changed in QuickBooks since? In the bookkeeper's words.

Compared on what matters to the books and to the family: the date, the customer, the
deposit account, the total and the lines (amount, item or account, class, debit or
credit). QuickBooks moves a record's SyncToken by itself (applying a payment to an
invoice bumps the invoice's), so a new SyncToken alone is not an edit; the content is.
Reconciliation lists these changes; the poster will not overwrite such a record unless
the bookkeeper says so (``post --overwrite-edited KEY``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.domain.money import ZERO, money
from app.sync.recovery import is_voided

LINE_DETAILS = ("SalesItemLineDetail", "JournalEntryLineDetail")


def changes(entity: str, current: Mapping[str, Any], intended: Mapping[str, Any],
            *, intended_voided: bool = False, dates: bool = True) -> list[str]:
    """What differs between the record in QuickBooks and what Ledgerbridge posted.

    ``dates=False`` leaves the date out (a record re-dated into an open period carries
    its planned date in the ledger, the sent one in QuickBooks).
    """
    if is_voided(current) and not intended_voided:
        return ["voided in QuickBooks"]
    if intended_voided:
        return [] if is_voided(current) else ["no longer void in QuickBooks"]
    found: list[str] = []
    for field, label in (("TxnDate", "date"), ("CustomerRef", "customer"),
                         ("DepositToAccountRef", "deposit account")):
        if field == "TxnDate" and not dates:
            continue
        if field in intended and _plain(current.get(field)) != _plain(intended.get(field)):
            found.append(f"{label} {_shown(intended.get(field))} → {_shown(current.get(field))}")
    planned_total = _total(entity, intended)
    held_total = _amount(current.get("TotalAmt")) if "TotalAmt" in current else \
        _total(entity, current)
    if planned_total is not None and held_total is not None and planned_total != held_total:
        found.append(f"total {planned_total} → {held_total}")
    if "Line" in intended and _lines(current) != _lines(intended):
        found.append("lines changed (amounts, items, accounts or classes)")
    if entity == "Payment" and "Line" in intended \
            and _applications(current) != _applications(intended):
        found.append("applied to other invoices or credits")
    return found


def name_changes(current: Mapping[str, Any], intended: Mapping[str, Any]) -> list[str]:
    """A customer's or an item's planned fields changed in QuickBooks (a rename, another
    income account, a price): reported by field, in the bookkeeper's words."""
    from app.sync.projection import agrees

    return [f"{field} {_shown(intended[field])} → {_shown(current.get(field))}"
            for field in sorted(intended) if field not in ("Notes", "sparse")
            and not agrees(intended[field], current.get(field), field)]


def _applications(record: Mapping[str, Any]) -> Counter[tuple[Any, ...]]:
    found: Counter[tuple[Any, ...]] = Counter()
    for line in record.get("Line") or ():
        for link in line.get("LinkedTxn") or ():
            found[(_amount(line.get("Amount")), link.get("TxnType"),
                   str(link.get("TxnId")))] += 1
    return found


def _lines(record: Mapping[str, Any]) -> Counter[tuple[Any, ...]]:
    lines: Counter[tuple[Any, ...]] = Counter()
    for line in record.get("Line") or ():
        kind = line.get("DetailType")
        detail = line.get(kind) if kind in LINE_DETAILS else None
        if not isinstance(detail, Mapping):
            continue
        target = detail.get("ItemRef") or detail.get("AccountRef")
        lines[(kind, _amount(line.get("Amount")), _plain(target),
               _plain(detail.get("ClassRef")), detail.get("PostingType"))] += 1
    return lines


def _total(entity: str, record: Mapping[str, Any]) -> Decimal | None:
    if "TotalAmt" in record:
        return _amount(record["TotalAmt"])
    if entity == "JournalEntry" or "Line" not in record:
        return None
    return sum((_amount(line.get("Amount")) for line in record["Line"]
                if line.get("DetailType") == "SalesItemLineDetail"), ZERO)


def _plain(value: Any) -> Any:
    """A reference as its id; anything else as it is."""
    if isinstance(value, Mapping):
        return str(value.get("value")) if "value" in value else None
    return value


def _shown(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("value") or "?")
    return str(value) if value is not None else "none"


def _amount(value: Any) -> Decimal:
    return ZERO if value in (None, "") else money(value)
