"""Every validation error in one table — file, row, column, value, reason — exportable.

The table is a model/view (a file with ten thousand bad cells scrolls, it does not build
ten thousand widgets); Export writes the importer's own CSV (formula injection
neutralised), so the list the bookkeeper sends on is the one the CLI would write.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from app.importers.issues import ImportIssue, write_issues_csv

from .column_mapping_view import _table
from .widgets import button, labelled

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


class IssuePanel(QWidget):
    """The Errors tab: the table, and Export errors… (a CSV for Excel)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = IssueTableModel()
        self.view = _table(self.model)
        for column in range(4):
            self.view.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.export_button = button("E&xport errors…")
        self.export_button.clicked.connect(self._on_export_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(labelled("Every problem found, by file, &row and column:", self.view))
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout.addLayout(row)

    def set_issues(self, issues: list[ImportIssue]) -> None:
        self.model.set_issues(issues)
        self.export_button.setEnabled(bool(issues))

    def _on_export_clicked(self) -> None:
        dialog = QFileDialog(self, "Export the errors", "import-errors.csv",
                             "CSV files (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda name: self.export_issues(Path(name)))
        dialog.open()  # window-modal to the wizard only

    def export_issues(self, path: Path) -> None:
        write_issues_csv(self.model.issues, path)
