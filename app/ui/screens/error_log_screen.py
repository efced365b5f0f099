"""Error log: every job that needs attention, what QuickBooks said, what to do, and Retry.

The rows are ``app/sync/error_log.py``'s (``ledgerbridge errors`` prints the same) in a
sortable table, narrowed by status, kind, when tried and a search box
(``app/error_view.py`` decides what matches); the selected job's explanation and fix
show below. "Retry selected" sends the selected jobs again through ``retry_jobs`` (as
``ledgerbridge retry JOB…``), with progress and Cancel; the log and the window's failed
badge refresh after. Export writes the CLI's CSV (formulas neutralised).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.company_actions import retry_selected
from app.error_view import (
    ErrorFilter,
    detail_of,
    entities,
    nothing_shown_text,
    report_text,
    retry_choice,
)
from app.posting import PostReport
from app.sync.error_log import ErrorLogRow, error_log, write_csv
from app.ui.screens.error_log_filters import ErrorLogFilters
from app.ui.screens.error_log_model import ErrorLogModel
from app.ui.screens.row_table_model import RowFilterProxy
from app.ui.screens.screen import Screen
from app.ui.services import Services
from app.ui.widgets import (
    choose_file,
    escape,
    fit_columns,
    push_button,
    table_view,
    text_label,
    title_label,
)
from app.ui.work_panel import WorkPanel
from app.work_problems import work_problem


class ErrorLogScreen(Screen):
    title = "Error log"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.model = ErrorLogModel()
        self.proxy = RowFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.filters = ErrorLogFilters()
        self.filters.status_changed.connect(self.reload)
        self.filters.filter_changed.connect(self._on_filter_changed)
        self.table = table_view("Jobs", sortable=True)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.count = text_label()
        self.outcome = text_label()
        self.outcome.setObjectName("outcome")
        self.details = QTextBrowser()
        self.details.setAccessibleName("What happened and what to do")
        self.details.setMinimumHeight(120)
        self.export_button = push_button("&Export CSV…", self._on_export_clicked,
                                         tooltip="Write the jobs shown to a CSV file")
        self.retry_button = push_button("&Retry selected", self._on_retry_clicked,
                                        tooltip="Select the jobs to send again first.",
                                        enabled=False)
        self.progress = WorkPanel(services.quickbooks)
        services.quickbooks.started.connect(lambda _label: self._on_selection())
        services.quickbooks.idle.connect(self._on_selection)
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Error log"))
        layout.addWidget(self.filters)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.retry_button)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problem)
        self.setTabOrder(self.table, self.details)
        self.setTabOrder(self.details, self.export_button)
        self.setTabOrder(self.export_button, self.retry_button)

    def clear(self) -> None:
        self.model.set_rows([])
        self.details.setText("")
        self.count.setText("…")
        self.outcome.setText("")
        self._on_selection()

    def reload(self) -> None:
        statuses = self.filters.statuses()
        self.load("Reading the error log",
                  lambda c, _p: error_log(c.database, c.company_id, statuses=statuses),
                  self.show_rows)

    def show_rows(self, rows: list[ErrorLogRow]) -> None:
        self.model.set_rows(rows)
        self.filters.set_kinds(entities(rows))
        fit_columns(self.table)
        if self.proxy.rowCount():
            self.table.selectRow(0)
        self._on_selection()

    def _on_filter_changed(self, chosen: ErrorFilter) -> None:
        self.proxy.set_row_test(chosen.accepts)
        shown, read = self.proxy.rowCount(), self.model.rowCount()
        failed = sum(1 for r in self.model.rows() if r.status == "failed")
        self.count.setText(f"{shown} of {read} job(s) shown; {failed} failed in all."
                           if shown else nothing_shown_text(self.filters.status.currentText(),
                                                            read))
        self._on_selection()

    def update_connection(self, state: str) -> None:
        super().update_connection(state)
        self._on_selection()

    def selected_rows(self) -> list[ErrorLogRow]:
        indexes = self.table.selectionModel().selectedRows()
        return [self.model.row_at(self.proxy.mapToSource(i).row()) for i in indexes]

    def _on_selection(self) -> None:
        rows = self.selected_rows()
        state = self.connection_state
        work = self.services.quickbooks
        choice = retry_choice(rows, state, work.label if work.running else "")
        self.retry_button.setEnabled(choice.allowed)
        self.retry_button.setToolTip(choice.tooltip)
        self.retry_button.setAccessibleDescription(choice.tooltip)
        self._show_details(rows[0] if rows else None)

    def _show_details(self, row: ErrorLogRow | None) -> None:
        if row is None:
            self.details.setText("Select a job to see what happened and what to do." if
                                 self.proxy.rowCount() else "Nothing to explain: no job is "
                                 "shown.")
            return
        detail = detail_of(row)
        parts = [f"<b>{escape(detail.title)}</b>"]
        if detail.said:
            parts.append(escape(detail.said))
        if detail.explanation:
            parts.append(f"<b>What it means:</b> {escape(detail.explanation)}")
            parts.append(f"<b>What to do:</b> {escape(detail.fix)}")
        facts = "".join(f"<tr><td><i>{escape(k)}</i>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>"
                        for k, v in detail.facts)
        self.details.setHtml("<p>" + "<br>".join(parts) + f"</p><table>{facts}</table>")

    # -- Retry selected -------------------------------------------------------------------
    def _on_retry_clicked(self) -> None:
        context = self.context
        rows = self.selected_rows()
        state = self.connection_state
        choice = retry_choice(rows, state)
        if context is None or not choice.allowed:
            return
        count = len(choice.job_ids)
        label = f"Retrying {count} job{'s' if count != 1 else ''} of {context.label}"
        started = self.progress.start(
            label, lambda report, cancel: retry_selected(
                context.database, context.company_id, context.data_dir, choice.job_ids,
                report, cancel),
            on_finished=self._on_retried, on_failed=self._on_retry_failed, kind="retry",
            on_cancelled=lambda: self._after_retry("Retry cancelled: what was not sent stays "
                                                   "in the log; Retry again to send it."))
        if not started:
            self.outcome.setText(f"Not started: \"{self.services.quickbooks.label}\" is still "
                                 "running (one write to QuickBooks at a time).")

    def _on_retried(self, report: PostReport) -> None:
        self._after_retry("Nothing to retry: QuickBooks already holds what those jobs would "
                          "send." if report.run_status == "nothing to send"
                          else report_text(report, "retry"))

    def _on_retry_failed(self, error: BaseException) -> None:
        self._after_retry(work_problem("Retry", error))

    def _after_retry(self, text: str) -> None:
        self.outcome.setText(text)
        self.reload()

    def _on_export_clicked(self) -> None:
        rows = [self.model.row_at(self.proxy.mapToSource(self.proxy.index(i, 0)).row())
                for i in range(self.proxy.rowCount())]

        def chosen(path: Path) -> None:
            self.load("Exporting the error log", lambda _c, _p: write_csv(rows, path),
                      lambda _r: self.outcome.setText(f"{len(rows)} job(s) written to {path}."))

        self.file_dialog = choose_file(self, "Export the error log", "CSV files (*.csv)", chosen,
                                       save_as="error-log.csv")
