"""The preview as a two-level tree: a row per kind (count, total), its records below.

A real ``QAbstractItemModel`` over ``PreviewTree`` (grouped in the worker): a record's
parent is found from its internal id, so the view asks only for the rows it shows and
a month of a hundred thousand records costs no more to open than a month of ten.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from app.accounting.preview import Preview
from app.domain.money import money_str
from app.monthly_close.preview_tree import PreviewTree
from app.plan.operations import Operation

Index = QModelIndex | QPersistentModelIndex
HEADINGS = ("Record", "Date", "Amount")
GROUP = 0  # internal id of a group row; a record's is its group's number + 1


class PreviewTreeModel(QAbstractItemModel):
    def __init__(self) -> None:
        super().__init__()
        self._preview: Preview | None = None
        self._tree = PreviewTree(())

    def set_preview(self, preview: Preview | None, tree: PreviewTree | None) -> None:
        self.beginResetModel()
        self._preview, self._tree = preview, tree or PreviewTree(())
        self.endResetModel()

    def operation_at(self, index: Index) -> Operation | None:
        """The record at ``index`` (None for a group row)."""
        if not index.isValid() or index.internalId() == GROUP or self._preview is None:
            return None
        group = self._tree.groups[index.internalId() - 1]
        return self._preview.operations[group.rows[index.row()]]

    # -- the model ----------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, GROUP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == GROUP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._tree.groups)
        if parent.internalId() == GROUP and parent.column() == 0:
            return self._tree.groups[parent.row()].count
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADINGS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADINGS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                        Qt.ItemDataRole.ToolTipRole):
            return None
        if index.internalId() == GROUP:
            group = self._tree.groups[index.row()]
            total = money_str(group.total) if group.total is not None else ""
            texts = (f"{group.label} ({group.count:,})", "", total)
            return texts[index.column()]
        operation = self.operation_at(index)
        if operation is None:
            return None
        texts = (operation.summary,
                 operation.txn_date.isoformat() if operation.txn_date else "",
                 money_str(operation.amount) if operation.amount is not None else "")
        return texts[index.column()]
