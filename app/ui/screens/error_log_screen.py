"""Error log: every job that needs attention, what QuickBooks said, and what to do.

The rows are ``app/sync/error_log.py``'s (the ``errors`` command prints the same), in a
virtualised table with a status filter and a search box; the selected job's
explanation and fix show below it. Export writes the CLI's CSV. Retrying from the
window is the next release's (disabled, with the command that does it today).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.models.jobs import JOB_STATUSES
from app.sync.error_log import ErrorLogRow, error_log, write_csv
from app.ui.screens.error_log_model import STATUS_FILTERS, ErrorLogModel
from app.ui.screens.row_table_model import RowFilterProxy
from app.ui.screens.screen import Screen
from app.ui.services import Services
from app.ui.widgets import fit_columns, label_for, push_button, table_view, text_label, title_label


class ErrorLogScreen(Screen):
    title = "Error log"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.model = ErrorLogModel()
        self.proxy = RowFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.status_filter = QComboBox()
        for text, _statuses in STATUS_FILTERS:
            self.status_filter.addItem(text)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Record, message or code")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = table_view("Jobs")
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_details())
        self.count = text_label()
        self.details = QTextBrowser()
        self.details.setAccessibleName("What happened and what to do")
        self.details.setMinimumHeight(120)
        self.export_button = push_button("&Export CSV…", self._on_export_clicked,
                                         tooltip="Write the jobs shown to a CSV file")
        self.retry_button = push_button("&Retry selected", tooltip="…", enabled=False)
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Error log"))
        bar = QHBoxLayout()
        bar.addWidget(label_for(self.status_filter, "&Show:"))
        bar.addWidget(self.status_filter)
        bar.addWidget(label_for(self.search, "F&ind:"))
        bar.addWidget(self.search, 1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.retry_button)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.problem)

    def statuses(self) -> tuple[str, ...]:
        chosen = STATUS_FILTERS[self.status_filter.currentIndex()][1]
        return chosen or tuple(JOB_STATUSES)

    def clear(self) -> None:
        self.model.set_rows([])
        self.details.setText("")
        self.count.setText("…")
        self._explain_retry()

    def reload(self) -> None:
        statuses = self.statuses()
        self.load("Reading the error log",
                  lambda c, _p: error_log(c.database, c.company_id, statuses=statuses),
                  self.show_rows)

    def show_rows(self, rows: list[ErrorLogRow]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table)
        failed = sum(1 for r in rows if r.status == "failed")
        self.count.setText(f"{len(rows)} job(s) shown, {failed} failed." if rows else
                           "Nothing here: no job has this status.")
        if rows:
            self.table.selectRow(0)
        self._show_details()

    def selected_rows(self) -> list[ErrorLogRow]:
        indexes = self.table.selectionModel().selectedRows()
        return [self.model.row_at(self.proxy.mapToSource(i).row()) for i in indexes]

    def _show_details(self) -> None:
        rows = self.selected_rows()
        self._explain_retry()
        if not rows:
            self.details.setText("Select a job to see what happened and what to do.")
            return
        row = rows[0]
        said = (f"QuickBooks said ({row.error_code}): " if row.status == "failed"
                and row.error_code else "")
        parts = [f"<b>Job {row.job_id}: {row.kind}</b> — {_html(row.summary or row.record)}"]
        if row.message:
            parts.append(_html(said + row.message))
        if row.explanation:
            parts.append(f"<b>What it means:</b> {_html(row.explanation)}")
            parts.append(f"<b>What to do:</b> {_html(row.fix)}")
        self.details.setHtml("<br>".join(parts))

    def _explain_retry(self) -> None:
        jobs = [str(r.job_id) for r in self.selected_rows()][:20] or ["JOB"]
        command = self.context.command("retry", *jobs) if self.context else "ledgerbridge retry"
        self.retry_button.setToolTip(
            "Retrying from the window comes with the next release. Until then: " + command)

    def _on_export_clicked(self) -> None:
        rows = [self.model.row_at(self.proxy.mapToSource(self.proxy.index(i, 0)).row())
                for i in range(self.proxy.rowCount())]
        path, _filter = QFileDialog.getSaveFileName(self, "Export the error log",
                                                    "error-log.csv", "CSV files (*.csv)")
        if path:
            self.load("Exporting the error log",
                      lambda _c, _p: write_csv(rows, Path(path)),
                      lambda _r: self.count.setText(f"{len(rows)} job(s) written to {path}."))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
