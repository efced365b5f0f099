"""Every validation error in one table — file, row, column, value, reason — exportable.

The table is a model/view (a file with ten thousand bad cells scrolls, it does not build
ten thousand widgets); Export writes the importer's own CSV (formula injection
neutralised), so the list the bookkeeper sends on is the one the CLI would write.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.importers.issues import ImportIssue

Index = QModelIndex | QPersistentModelIndex


class IssueTableModel(QAbstractTableModel):
    headers = ("File", "Row", "Column", "Value", "Reason")

    def __init__(self) -> None:
        super().__init__()
        self.issues: list[ImportIssue] = []

    def set_issues(self, issues: list[ImportIssue]) -> None:
        self.beginResetModel()
        self.issues = list(issues)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.issues)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        issue = self.issues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            row = str(issue.row) if issue.row else "whole file"
            return (issue.file, row, issue.column, issue.value, issue.reason)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return issue.reason
        return None
