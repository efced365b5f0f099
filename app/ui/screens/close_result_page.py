"""Step 6 of the close: what the post did (posted / failed / blocked / held), the duplicate
scan, and the reconciliation — source beside QuickBooks per account and class, with the
differences and the records edited in QuickBooks highlighted — exportable with the
run's manifest."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.monthly_close.flow import CloseFlow
from app.monthly_close.outcome import duplicates_text, result_counts, result_headline, result_notes
from app.ui.screens.close_models import changed_model, reconciliation_model
from app.ui.screens.close_widgets import first_column_stretches
from app.ui.widgets import card, fit_columns, label_for, push_button, table_view, text_label


class ResultPage(QWidget):
    export_requested = Signal()
    reconcile_requested = Signal()
    error_log_requested = Signal()
    next_month_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = text_label()
        self.counts = card()
        self.count_grid = QGridLayout(self.counts)
        self.count_labels: list[QLabel] = []
        self.duplicates = text_label()
        self.notes = text_label()
        self.reconcile_status = text_label()
        self.lines_model = reconciliation_model()
        self.lines = table_view("Source beside QuickBooks")
        self.lines.setModel(self.lines_model)
        first_column_stretches(self.lines)
        self.changed_model = changed_model()
        self.changed = table_view("Changed in QuickBooks")
        self.changed.setModel(self.changed_model)
        self.changed.setMaximumHeight(120)
        self.export_button = push_button(
            "&Export result and manifest…", self.export_requested.emit,
            tooltip="The result, the reconciliation and the run's manifest (CSV or Excel)")
        self.error_log_button = push_button("Open the error &log",
                                            self.error_log_requested.emit,
                                            tooltip="Every failed, blocked or held record")
        self.next_button = push_button("Close the ne&xt month", self.next_month_requested.emit,
                                       tooltip="Start again at the Period step")
        self.reconcile_button = push_button(
            "Re&concile again", self.reconcile_requested.emit,
            tooltip="Read QuickBooks again (after a change made there)")
        buttons = QHBoxLayout()
        for button in (self.export_button, self.reconcile_button, self.error_log_button,
                       self.next_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.counts)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.notes)
        layout.addWidget(self.reconcile_status)
        layout.addWidget(label_for(self.lines, "&Reconciliation, per account and class:"))
        layout.addWidget(self.lines, 1)
        self.changed_label = label_for(self.changed, "Records changed in &QuickBooks:")
        layout.addWidget(self.changed_label)
        layout.addWidget(self.changed)
        layout.addLayout(buttons)
        self._report_shown: object = None
        self._reconciliation_shown: object = None

    def show_flow(self, flow: CloseFlow) -> None:
        report = flow.report
        if report is None:
            self.headline.setText(flow.post_error or "Post first: the result follows.")
            return
        self.headline.setText(flow.undone_text() or result_headline(report))
        if report is not self._report_shown:
            self._report_shown = report
            self._counts(result_counts(report))
        self.duplicates.setText(duplicates_text(report))
        notes = result_notes(report)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self._reconciliation(flow)

    def _counts(self, counts: tuple[tuple[str, int], ...]) -> None:
        for label in self.count_labels:
            self.count_grid.removeWidget(label)
            label.deleteLater()
        self.count_labels = []
        for index, (heading, value) in enumerate(counts):
            for column, text in enumerate((heading, f"{value:,}")):
                label = QLabel(text)
                if column:
                    label.setAccessibleName(heading)
                self.count_grid.addWidget(label, index % 4, (index // 4) * 2 + column)
                self.count_labels.append(label)
        self.counts.setVisible(bool(counts))

    def _reconciliation(self, flow: CloseFlow) -> None:
        reconciliation = flow.reconciliation
        if flow.reconcile_error:
            self.reconcile_status.setText(f"The reconciliation could not be made: "
                                          f"{flow.reconcile_error}")
        elif reconciliation is None and flow.report is not None and flow.report.stopping:
            self.reconcile_status.setText("")
        elif reconciliation is None:
            self.reconcile_status.setText("Reconciling with QuickBooks (reading what it holds "
                                          "for the period)…")
        else:
            differences = len(reconciliation.differences)
            verdict = ("Everything agrees." if reconciliation.agrees else
                       f"{differences} line(s) differ and {len(reconciliation.changed)} "
                       "record(s) were changed in QuickBooks (highlighted).")
            self.reconcile_status.setText(
                f"Reconciliation: {reconciliation.records_checked} record(s) of the period "
                "read back from QuickBooks — all it holds from Ledgerbridge for these dates, "
                f"whichever run sent them (not the count of this run). {verdict}")
        if reconciliation is not self._reconciliation_shown or reconciliation is None:
            self._reconciliation_shown = reconciliation  # reset once per reconciliation
            self.lines_model.set_rows(reconciliation.lines if reconciliation else [])
            self.changed_model.set_rows(reconciliation.changed if reconciliation else [])
            fit_columns(self.changed, widest=420)
        self.reconcile_button.setEnabled(reconciliation is not None or
                                         flow.reconcile_error is not None)
        changed = bool(reconciliation and reconciliation.changed)
        self.changed.setVisible(changed)
        self.changed_label.setVisible(changed)
        reconciling = (reconciliation is None and not flow.reconcile_error
                       and flow.report is not None and not flow.report.stopping)
        self.export_button.setEnabled(not reconciling)
        self.export_button.setToolTip(
            "Wait for the reconciliation: the export includes it" if reconciling else
            "The result, the reconciliation and the run's manifest (CSV or Excel)")
