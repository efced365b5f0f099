"""The preview grouped by kind for the tree, and the lines of one record.

Groups in the order the poster sends them (SPEC §3a): accounts, classes, items,
customers, invoices, payments, refund receipts, credit memos, journal entries, then
changes to records already in QuickBooks (updates) and voids. Each group holds indexes
into ``Preview.operations`` with its count and total, computed once in the worker: the
tree model only indexes lists, however many records there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.accounting.preview import Preview, line_notes, postings_of
from app.domain.money import ZERO, money, money_str
from app.monthly_close.start import day_text
from app.plan.operations import Operation

CREATED = (("Account", "Accounts"), ("Class", "Classes"), ("Item", "Items"),
           ("Customer", "Customers"), ("Invoice", "Invoices"), ("Payment", "Payments"),
           ("RefundReceipt", "Refund receipts"), ("CreditMemo", "Credit memos"),
           ("JournalEntry", "Journal entries"))
UPDATES, VOIDS, OTHER = "Updates", "Voids and deletions", "Other records"
CHANGE_ACTIONS = frozenset({"update", "reactivate", "deactivate"})
VOID_ACTIONS = frozenset({"void", "delete"})
GROUP_ORDER = (*(label for _, label in CREATED), UPDATES, VOIDS, OTHER)


@dataclass(frozen=True)
class PreviewGroup:
    label: str
    rows: tuple[int, ...]  # indexes into Preview.operations
    total: Decimal

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class PreviewTree:
    groups: tuple[PreviewGroup, ...]
    opening: tuple[int, int] = (0, 0)  # (group, row) of the first record with lines

    def count(self, label: str) -> int:
        return next((g.count for g in self.groups if g.label == label), 0)


@dataclass(frozen=True)
class RecordLine:
    account: str
    class_name: str
    debit: Decimal
    credit: Decimal
    note: str = ""


def group_of(operation: Operation) -> str:
    if operation.action in CHANGE_ACTIONS:
        return UPDATES
    if operation.action in VOID_ACTIONS:
        return VOIDS
    return dict(CREATED).get(operation.entity, OTHER)


def group_preview(preview: Preview) -> PreviewTree:
    rows: dict[str, list[int]] = {}
    totals: dict[str, Decimal] = {}
    for index, operation in enumerate(preview.operations):
        label = group_of(operation)
        rows.setdefault(label, []).append(index)
        totals[label] = totals.get(label, ZERO) + (operation.amount or ZERO)
    tree = PreviewTree(tuple(PreviewGroup(label, tuple(rows[label]), totals[label])
                             for label in GROUP_ORDER if label in rows))
    return PreviewTree(tree.groups, first_with_lines(preview, tree))


def first_with_lines(preview: Preview, tree: PreviewTree) -> tuple[int, int]:
    """(group, row) of the first record that posts lines (what the preview opens on)."""
    for number, group in enumerate(tree.groups):
        for row, index in enumerate(group.rows):
            if postings_of(preview.operations[index]):
                return number, row
    return 0, 0


def record_lines(operation: Operation) -> tuple[RecordLine, ...]:
    """What the record does to the books, line by line (journal lines with their notes)."""
    notes = line_notes(operation)
    return tuple(RecordLine(p.account, p.class_name or "", p.debit, p.credit,
                            notes[i] if i < len(notes) else "")
                 for i, p in enumerate(postings_of(operation)))


def record_details(operation: Operation) -> list[str]:
    """The record in words: what it is, its date and amount, and the lines it carries."""
    payload = operation.payload
    details = [operation.summary, f"Key: {operation.key}"]
    if operation.txn_date is not None:
        details.append(f"Date: {day_text(operation.txn_date)}")
    if operation.amount is not None:
        details.append(f"Amount: {money_str(operation.amount)}")
    for name, label in (("DocNumber", "Number"), ("CustomerRef", "Customer"),
                        ("DisplayName", "Name"), ("Name", "Name")):
        value = _text(payload.get(name))
        if value:
            details.append(f"{label}: {value}")
    if operation.entity != "JournalEntry":
        for line in payload.get("Line", ()) or ():
            if isinstance(line, Mapping) and line.get("Amount") is not None:
                what = line.get("Description") or _detail_ref(line) or line.get("DetailType")
                details.append(f"  {what}: {money_str(money(line['Amount']))}")
    return details


def _detail_ref(line: Mapping[str, Any]) -> str:
    for detail in line.values():
        if isinstance(detail, Mapping):
            for key in ("ItemRef", "AccountRef"):
                if key in detail:
                    return _text(detail[key])
    return ""


def _text(value: Any) -> str:
    if isinstance(value, Mapping):  # a reference: its name, else the key or id it holds
        return str(value.get("name") or value.get("$ref") or value.get("value") or "")
    return "" if value is None else str(value)
