"""Rules about one row on its own (beyond its cells), run on converted columns.

``report(index, fields, reason)`` marks the row bad and names the column to blame.
Each rule scans only the columns it needs, so the common case costs one pass of C-level
checks (``None in``, ``min``) rather than a Python loop per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from app.importers.schema import ID_FIELD

Report = Callable[[int, tuple[str, ...], str], None]
Columns = dict[str, list[Any] | None]


def row_rules(rtype: str, columns: Columns, rows: Sequence[int], report: Report, *,
              unique_ids: bool = True) -> None:
    """``unique_ids=False``: the rows are lines of records a ledger groups by ID, so the
    rules about a whole record (its ID is unique, its amount's sign) are the ledger's."""
    if unique_ids:
        _duplicate_ids(rtype, columns, rows, report)
    rule = _RULES.get(rtype)
    if rule is not None:
        rule(columns, report, unique_ids)


def _duplicate_ids(rtype: str, columns: Columns, rows: Sequence[int], report: Report) -> None:
    id_field = ID_FIELD.get(rtype)
    ids = columns.get(id_field or "")
    if not id_field or ids is None or len(set(ids)) == len(ids):
        return
    first_row: dict[Any, int] = {}
    for index, key in enumerate(ids):
        if key is None:
            continue
        if key in first_row:
            report(index, (id_field,), f"duplicate {id_field} (first on row {first_row[key]})")
        else:
            first_row[key] = rows[index]


def _payment(columns: Columns, report: Report, whole: bool) -> None:
    customers = columns.get("customer_id")
    participants = columns.get("participant_id")
    if customers is None or None in customers:
        count = len(columns["payment_id"] or ())
        customers = customers or [None] * count
        participants = participants or [None] * count
        for index, (customer, participant) in enumerate(zip(customers, participants,
                                                            strict=True)):
            if customer is None and participant is None:
                report(index, ("customer_id", "participant_id"),
                       "a payment needs customer_id or participant_id (who paid)")
    if whole:
        _negative(columns, "amount", report,
                  "a payment cannot be negative: record money paid back as a refund")


def _refund(columns: Columns, report: Report, whole: bool) -> None:
    if not whole:
        return
    amounts = columns.get("amount") or []
    present = [a for a in amounts if a is not None]
    if present and min(present) > 0:
        return
    for index, amount in enumerate(amounts):
        if amount is not None and amount <= 0:
            report(index, ("amount",), "a refund is the money paid back: above zero")


def _negative(columns: Columns, name: str, report: Report, reason: str) -> None:
    values = columns.get(name) or []
    present = [v for v in values if v is not None]
    if not present or min(present) >= Decimal(0):
        return
    for index, value in enumerate(values):
        if value is not None and value < 0:
            report(index, (name,), reason)


_RULES: dict[str, Callable[[Columns, Report, bool], None]] = {
    "payment": _payment,
    "refund": _refund,
}
