"""What the ledger reader's parts share: a transaction's rows as a group, the link a
refund or void waits for, and the reader's state with its reporting (see ``ledger``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from app.domain.records import Refund
from app.importers.convert import RecordBatch, TableColumns
from app.importers.issues import HEADER_ROW, ImportIssue
from app.importers.layout import Layout, SkippedRow
from app.importers.mapping import Preset, TableMapping
from app.importers.shape import CHARGE, FAILED, PAYMENT, REFUND_KINDS, VOID, split_kind

ZERO = Decimal(0)
# refund.payment_id of a refund or void that names no payment, until links.py finds it
UNLINKED = "\x00unlinked"
_RECORD_OF = {PAYMENT: "payment", FAILED: "payment", **dict.fromkeys(REFUND_KINDS, "refund"),
              VOID: "void", CHARGE: "charge"}
# what a payment has one of, however many item rows it spans
ONE_PER_TRANSACTION = ("date", "tender", "status", "order_id", "reference", "customer_id",
                        "participant_id")



@dataclass
class LinkRequest:
    """A refund or void whose payment is found across the whole import (links.py)."""

    kind: str  # "refund" | "void"
    record: Refund  # a void is read as a refund of the whole payment
    key: str  # the row's transaction ID
    payer: str | None  # the customer (else participant) key on the row
    file: str
    row: int
    batch: RecordBatch | None = None  # refunds: where the record is, to be replaced
    index: int = -1


class Group:
    """The rows of one transaction of one kind: one record."""

    __slots__ = ("key", "kind", "record_id", "rows", "total")

    def __init__(self, key: str, kind: str) -> None:
        self.key = key
        self.kind = kind  # the row kind, by_sign resolved ("payment:coupon", "refund" …)
        self.rows: list[int] = []
        self.total: Decimal = ZERO
        self.record_id = ""

    @property
    def record_type(self) -> str:
        return record_type_of(self.kind)

    @property
    def orientation(self) -> int:
        return -1 if self.total < 0 else 1


class LedgerState:
    """The table being read, its mapping, and what went wrong so far."""

    def __init__(self, layout: Layout, mapping: TableMapping, preset: Preset | None) -> None:
        self.layout = layout
        self.table = layout.table
        self.mapping = mapping
        self.shape = mapping.shape
        self.preset = preset
        self.issues: list[ImportIssue] = []
        self.skipped: list[SkippedRow] = list(layout.skipped)
        self.columns = TableColumns(self.table, self.issues, clean=True)
        self.numbers = self.table.row_numbers
        self.pay = dict(mapping.columns.get("payment", {}))
        self.id_header = self.shape.group_by or self.pay.get("payment_id")
        self.bad: set[int] = set()
        self.uncounted: set[int] = set()  # rows that are not money moved (for totals)
        self.statuses: list[str] | None = None  # a section's status per row, if any
        self.fatal = False

    # --- reporting ----------------------------------------------------------------------
    def _error(self, index: int, header: str, value: str, reason: str) -> None:
        self.bad.add(index)
        self.issues.append(ImportIssue(self.table.name, self.numbers[index], header, value,
                                       reason))

    def _header_error(self, header: str, reason: str) -> None:
        self.fatal = True
        self.issues.append(ImportIssue(self.table.name, HEADER_ROW, header, "", reason))

    def _skip(self, index: int, reason: str) -> None:
        row = self.table.rows[index]
        text = " | ".join(c.strip() for c in row if c.strip())
        self.skipped.append(SkippedRow(self.numbers[index], reason, text[:120]))

    def _column(self, header: str | None, what: str) -> Sequence[str] | None:
        if not header:
            return None
        cells = self.columns.cells(header)
        if cells is None:
            self._header_error(header, f"column not found in the file (mapped to {what})")
        return cells


@cache
def record_type_of(kind: str) -> str:
    return _RECORD_OF[split_kind(kind)[0]]
