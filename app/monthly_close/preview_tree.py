"""The preview grouped by kind for the tree, and the lines of one record.

Groups in the order the poster sends them (SPEC §3a): accounts, classes, items,
customers, invoices, payments, refund receipts, credit memos, journal entries, then
changes to records already in QuickBooks (updates) and voids. Each group holds indexes
into ``Preview.operations`` with its count and total, computed once in the worker: the
tree model only indexes lists, however many records there are. The names of the
records they refer to (a payment's customer and invoice) are looked up there too, from
the preview and the ledger, so the details pane never shows an internal key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.accounting.ledger_view import LedgerView
from app.accounting.preview import (
    Preview,
    line_notes,
    line_text,
    postings_of,
    reference_text,
)
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
    total: Decimal | None  # None for kinds without amounts (accounts, classes)

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class PreviewTree:
    groups: tuple[PreviewGroup, ...]
    opening: tuple[int, int] = (0, 0)  # (group, row) of the first record with lines
    # key -> the name a bookkeeper knows ("Smith, Fatima", "ORD-0000008"), for references
    names: Mapping[str, str] = field(default_factory=dict)

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


def group_preview(preview: Preview, ledger: LedgerView | None = None) -> PreviewTree:
    rows: dict[str, list[int]] = {}
    totals: dict[str, Decimal] = {}
    for index, operation in enumerate(preview.operations):
        label = group_of(operation)
        rows.setdefault(label, []).append(index)
        if operation.amount is not None:
            totals[label] = totals.get(label, ZERO) + operation.amount
    tree = PreviewTree(tuple(PreviewGroup(label, tuple(rows[label]), totals.get(label))
                             for label in GROUP_ORDER if label in rows))
    return PreviewTree(tree.groups, first_with_lines(preview, tree),
                       reference_names(preview, ledger or {}))


NAME_FIELDS = ("DisplayName", "DocNumber", "Name")


def reference_names(preview: Preview, ledger: LedgerView) -> dict[str, str]:
    """The name of each record the preview refers to: created by this preview, else as
    last sent to QuickBooks (the ledger); keys without one are left out."""
    created = {o.key: o.payload for o in preview.operations}
    names: dict[str, str] = {}
    for operation in preview.operations:
        for key in _references(operation.payload):
            if key in names:
                continue
            posted = ledger.get(key)
            payload = created.get(key) or (posted.payload if posted is not None else None)
            name = next((str(payload[f]) for f in NAME_FIELDS if payload and payload.get(f)),
                        "")
            if name:
                names[key] = name
    return names


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        if isinstance(value.get("$ref"), str):
            yield value["$ref"]
        for inner in value.values():
            yield from _references(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _references(inner)


def first_with_lines(preview: Preview, tree: PreviewTree) -> tuple[int, int]:
    """(group, row) of the first record that posts lines (what the preview opens on)."""
    for number, group in enumerate(tree.groups):
        for row, index in enumerate(group.rows):
            if postings_of(preview.operations[index]):
                return number, row
    return 0, 0


def record_lines(operation: Operation, names: Mapping[str, str] | None = None
                 ) -> tuple[RecordLine, ...]:
    """What the record does to the books, line by line, each with its note (the words
    the details pane gives its line)."""
    notes = line_notes(operation, names)
    return tuple(RecordLine(p.account, p.class_name or "", p.debit, p.credit,
                            notes[i] if i < len(notes) else "")
                 for i, p in enumerate(postings_of(operation)))


def record_details(operation: Operation, names: Mapping[str, str] | None = None) -> list[str]:
    """The record in words: what it is, its date and amount, whom it concerns, and the lines
    it carries (a payment's: the invoice each part pays), by name rather than by key."""
    payload, names = operation.payload, names or {}
    details = [operation.summary]
    if operation.txn_date is not None:
        details.append(f"Date: {day_text(operation.txn_date)}")
    if operation.amount is not None:
        details.append(f"Amount: {money_str(operation.amount)}")
    for name, label in (("DocNumber", "Number"), ("CustomerRef", "Customer"),
                        ("DisplayName", "Name"), ("Name", "Name"),
                        ("DepositToAccountRef", "Deposited to")):
        value = reference_text(payload.get(name), names)
        if value:
            details.append(f"{label}: {value}")
    if operation.entity != "JournalEntry":
        for line in payload.get("Line", ()) or ():
            if isinstance(line, Mapping) and line.get("Amount") is not None:
                what = line_text(line, names) or line.get("DetailType") or "Line"
                details.append(f"  {what}: {money_str(money(line['Amount']))}")
    details.append(f"Ledgerbridge key: {operation.key}")  # for support; last, not first
    return details
