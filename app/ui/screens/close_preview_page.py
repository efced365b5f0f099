"""Step 4 of the close: the preview — records by kind with counts and totals, the lines
of the record selected, debits = credits, warnings with their fixes, CSV and Excel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.monthly_close.checking import PeriodCheck
from app.monthly_close.flow import CloseFlow
from app.monthly_close.preview_tree import record_details, record_lines
from app.ui.screens.close_models import LINE_COLUMNS, PROBLEM_SAMPLES, problems_model
from app.ui.screens.close_widgets import wrapped_rows
from app.ui.screens.preview_tree_model import PreviewTreeModel
from app.ui.screens.row_table_model import RowTableModel
from app.ui.widgets import label_for, push_button, table_view, text_label


def lines_fit(view: QTableView) -> None:
    """The record's lines without sideways scrolling: the Line (its description) takes
    the room left, Debit and Credit are as wide as a large amount, names are elided."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    amount = view.fontMetrics().horizontalAdvance("999,999.99") + 16
    for column in (2, 3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, amount)
    header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


class PreviewPage(QWidget):
    export_requested = Signal(str)  # "csv" | "xlsx"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.totals = text_label()
        self.model = PreviewTreeModel()
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)  # only the rows on screen are laid out
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # "Create Other Current … 'Gift Card Holding'": the name at the end stays readable
        # (the whole text is the row's tooltip).
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, sample in ((1, "2025-12-31"), (2, "9,999,999.99")):  # not from the rows
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, self.tree.fontMetrics().horizontalAdvance(sample) + 24)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._selected())
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.lines_model: RowTableModel = RowTableModel(LINE_COLUMNS)
        self.lines = table_view("Lines of the record")
        self.lines.setModel(self.lines_model)
        self.lines.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        lines_fit(self.lines)
        self.issues_model = problems_model()
        self.issues = table_view("Warnings and their fixes")
        self.issues.setModel(self.issues_model)
        self.issues.setMaximumHeight(140)
        wrapped_rows(self.issues, (2, 3), PROBLEM_SAMPLES)
        self.csv_button = push_button("Export &CSV…", lambda: self.export_requested.emit("csv"),
                                      tooltip="Write the preview as CSV (safe in a spreadsheet)")
        self.excel_button = push_button("Export E&xcel…",
                                        lambda: self.export_requested.emit("xlsx"),
                                        tooltip="Write the preview as an Excel workbook")
        self._shown: object = None
        self._build()

    def _build(self) -> None:
        """The tree beside the selected record's details, its lines below them across the
        whole width (so the Line column's descriptions need no sideways scrolling)."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(label_for(self.tree, "&Records by kind:"))
        left_layout.addWidget(self.tree, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(label_for(self.details, "&Selected record:"))
        right_layout.addWidget(self.details, 1)
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)  # the tree's names take most of the width
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(label_for(self.lines, "Its &lines (debits and credits):"))
        below_layout.addWidget(self.lines, 1)
        rows = QSplitter(Qt.Orientation.Vertical)
        rows.setChildrenCollapsible(False)
        rows.addWidget(self.splitter)
        rows.addWidget(below)
        rows.setStretchFactor(0, 3)
        rows.setStretchFactor(1, 2)
        rows.setSizes([300, 200])
        buttons = QHBoxLayout()
        buttons.addWidget(self.totals, 1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.excel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(rows, 1)
        self.issues_label = label_for(self.issues, "&Warnings and problems, with their fixes:")
        layout.addWidget(self.issues_label)
        layout.addWidget(self.issues)

    def show_flow(self, flow: CloseFlow) -> None:
        check = flow.check
        if check is None:
            self._shown = None
            self.model.set_preview(None, None)
            self.totals.setText("Check the period against QuickBooks first.")
            self.issues_model.set_rows([])
            return
        if check is not self._shown:  # a new preview: the model is reset once
            self._shown = check
            self.model.set_preview(check.preview, check.tree)
            self.show_record(*check.tree.opening)
        preview = check.preview
        verdict = "balanced ✓" if preview.balanced else "NOT BALANCED"
        self.totals.setText(
            f"{len(preview.operations):,} operation(s). Debits {preview.total_debits:,.2f}"
            f" = credits {preview.total_credits:,.2f}: {verdict}.")
        self.issues_model.set_rows(list(check.problems))
        rows = min(len(check.problems), 3)  # as tall as its rows, up to three
        self.issues.setMaximumHeight(self.issues.horizontalHeader().height() + 4 +
                                     rows * self.issues.verticalHeader().defaultSectionSize())
        self.issues.setVisible(bool(check.problems))
        self.issues_label.setVisible(bool(check.problems))
        self.csv_button.setEnabled(True)
        self.excel_button.setEnabled(True)

    def show_record(self, group: int, row: int) -> None:
        """Open group ``group`` and select its record ``row`` (its lines show)."""
        parent = self.model.index(group, 0)
        if not parent.isValid():
            self._selected()
            return
        self.tree.expand(parent)
        self.tree.setCurrentIndex(self.model.index(row, 0, parent))

    def _selected(self) -> None:
        operation = self.model.operation_at(self.tree.currentIndex())
        if operation is None:
            index = self.tree.currentIndex()
            self.details.setPlainText("Select a record to see its lines." if index.isValid()
                                      else "")
            self.lines_model.set_rows([])
            return
        names = self._shown.tree.names if isinstance(self._shown, PeriodCheck) else None
        self.details.setPlainText("\n".join(record_details(operation, names)))
        self.lines_model.set_rows(record_lines(operation, names))
        for column in (0, 1):  # account and class fit their names, up to a share
            self.lines.resizeColumnToContents(column)
            widest = max(90, self.lines.viewport().width() // 4)
            if self.lines.columnWidth(column) > widest:
                self.lines.setColumnWidth(column, widest)
