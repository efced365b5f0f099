"""Table models of the Monthly close: import errors and counts, pre-flight problems, a
record's lines, the reconciliation and the records changed in QuickBooks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.money import ZERO, money_str
from app.importers.issues import ImportIssue
from app.monthly_close.fixes import Problem
from app.monthly_close.importing import TypeCounts
from app.monthly_close.preview_tree import RecordLine
from app.reconciliation import AccountLine, ChangedRecord
from app.ui.screens.row_table_model import Column, Index, RowTableModel

HIGHLIGHT = QBrush(QColor("#fde2e1"))  # a difference, an edit in QuickBooks
SEVERITY_WORDS = {"error": "Error", "warning": "Warning", "info": "Note"}


def _amount(value: Any) -> str:
    return money_str(value) if value else ""


ERROR_COLUMNS: tuple[Column[ImportIssue], ...] = (
    Column("File", lambda i: i.file),
    Column("Row", lambda i: str(i.row or ""), lambda i: i.row, align_right=True),
    Column("Column", lambda i: i.column),
    Column("Value", lambda i: i.value, tooltip=lambda i: i.value),
    Column("Reason", lambda i: i.reason, tooltip=lambda i: i.reason),
)

COUNT_COLUMNS: tuple[Column[TypeCounts], ...] = (
    Column("Record type", lambda c: c.record_type.replace("_", " ")),
    Column("New", lambda c: str(c.new), lambda c: c.new, align_right=True),
    Column("Changed", lambda c: str(c.changed), lambda c: c.changed, align_right=True),
    Column("Unchanged", lambda c: str(c.unchanged), lambda c: c.unchanged, align_right=True),
    Column("Missing", lambda c: str(c.missing), lambda c: c.missing, align_right=True),
)

PROBLEM_COLUMNS: tuple[Column[Problem], ...] = (
    Column("Severity", lambda p: SEVERITY_WORDS.get(p.severity, p.severity)),
    Column("Effect", lambda p: p.effect),
    Column("Problem", lambda p: p.issue.message, tooltip=lambda p: p.issue.message),
    Column("Fix", lambda p: p.issue.fix, tooltip=lambda p: p.issue.fix),
)

PROBLEM_SAMPLES = {0: "Warning", 1: "1,000 record(s): your choice below"}  # column widths

LINE_COLUMNS: tuple[Column[RecordLine], ...] = (
    Column("Account", lambda r: r.account, tooltip=lambda r: r.account),
    Column("Class", lambda r: r.class_name, tooltip=lambda r: r.class_name),
    Column("Debit", lambda r: _amount(r.debit), lambda r: r.debit, align_right=True),
    Column("Credit", lambda r: _amount(r.credit), lambda r: r.credit, align_right=True),
    Column("Line", lambda r: r.note, tooltip=lambda r: r.note),
)

RECONCILIATION_COLUMNS: tuple[Column[AccountLine], ...] = (
    Column("Account / class", lambda a: a.account + (f" / {a.class_name}" if a.class_name
                                                     else ""),
           tooltip=lambda a: a.account + (f" / {a.class_name}" if a.class_name else "")),
    Column("Source", lambda a: money_str(a.source), lambda a: a.source, align_right=True),
    Column("QuickBooks", lambda a: money_str(a.quickbooks), lambda a: a.quickbooks,
           align_right=True),
    Column("Difference", lambda a: money_str(a.difference), lambda a: a.difference,
           align_right=True),
)

CHANGED_COLUMNS: tuple[Column[ChangedRecord], ...] = (
    Column("In QuickBooks", lambda c: c.change),
    Column("Record", lambda c: f"{c.entity} {c.doc_number or c.qbo_id or ''}".strip()),
    Column("Key", lambda c: c.key, tooltip=lambda c: c.key),
    Column("What changed", lambda c: "; ".join(c.details),
           tooltip=lambda c: "; ".join(c.details)),
)


class HighlightedModel(RowTableModel[Any]):
    """Rows that need the bookkeeper's eye (a difference, an edit) on a tinted background."""

    def __init__(self, columns: tuple[Column[Any], ...], flagged: Any) -> None:
        super().__init__(columns)
        self._flagged = flagged

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() \
                and self._flagged(self.row_at(index.row())):
            return HIGHLIGHT
        return super().data(index, role)


def reconciliation_model() -> HighlightedModel:
    return HighlightedModel(RECONCILIATION_COLUMNS, lambda a: a.difference != ZERO)


def changed_model() -> HighlightedModel:
    return HighlightedModel(CHANGED_COLUMNS, lambda _c: True)


def problems_model() -> HighlightedModel:
    return HighlightedModel(PROBLEM_COLUMNS, lambda p: p.stops_post)
