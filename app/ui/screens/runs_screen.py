"""Runs: every post, retry, undo and resync, the manifest of the run selected, and Undo.

The runs come from ``app/sync/runs.py`` (``ledgerbridge runs``); the manifest is the
document an accountant files, exported as the CLI's CSV. "Undo this run…" first shows
``undo_run``'s own preview (``ledgerbridge undo RUN`` before it asks) in a window-modal
dialog — or why the undo is refused —, then sends the very undo previewed with progress
like a post; the runs list refreshes after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from app.company_actions import preview_undo, undo_as_previewed
from app.error_view import report_text
from app.sync.runs import Manifest, RunRow, list_runs, load_manifest
from app.ui.quickbooks_work import QuickBooksJob
from app.ui.screens.row_table_model import RowFilterProxy
from app.ui.screens.runs_model import ManifestModel, RunsModel
from app.ui.screens.screen import Screen
from app.ui.screens.undo_dialog import UndoPreviewDialog
from app.ui.services import Services
from app.ui.widgets import (
    arrow_when_clicked,
    choose_file,
    fit_columns,
    push_button,
    table_view,
    text_label,
    title_label,
)
from app.ui.work_panel import WorkPanel
from app.undo_view import Refusal, UndoPreviewView, refusal_of, why_not_undo
from app.undoing import UndoReport
from app.work_problems import work_problem


class RunsScreen(Screen):
    title = "Runs"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.runs_model = RunsModel()
        self.runs_proxy = RowFilterProxy()
        self.runs_proxy.setSourceModel(self.runs_model)
        self.runs_table = table_view("Runs", sortable=True)
        self.runs_table.setSelectionMode(self.runs_table.SelectionMode.SingleSelection)
        self.runs_table.setModel(self.runs_proxy)
        self.runs_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the newest first
        arrow_when_clicked(self.runs_table)
        self.runs_table.selectionModel().selectionChanged.connect(lambda *_: self._on_run_chosen())
        self.manifest_model = ManifestModel()
        self.manifest_proxy = RowFilterProxy()
        self.manifest_proxy.setSourceModel(self.manifest_model)
        self.manifest_table = table_view("Manifest", sortable=True)
        self.manifest_table.setModel(self.manifest_proxy)
        self.manifest_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the run's order
        self.manifest_info = text_label()
        self.manifest: Manifest | None = None
        self.export_button = push_button("&Export manifest CSV…", self._on_export_clicked,
                                         tooltip="Select a run first", enabled=False)
        self.undo_button = push_button("&Undo this run…", self._on_undo_clicked,
                                       tooltip="Select a run first", enabled=False)
        self.progress = WorkPanel(services.quickbooks)
        services.quickbooks.started.connect(lambda _label: self._explain_undo())
        services.quickbooks.idle.connect(self._explain_undo)
        self.outcome = text_label()
        self.outcome.setObjectName("outcome")
        self.empty = text_label()
        self.dialog: UndoPreviewDialog | None = None
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Runs"))
        layout.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.runs_table)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.manifest_info, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.undo_button)
        lower_layout.addLayout(top)
        lower_layout.addWidget(self.manifest_table, 1)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        layout.addWidget(self.problem)
        self.setTabOrder(self.runs_table, self.export_button)
        self.setTabOrder(self.export_button, self.undo_button)
        self.setTabOrder(self.undo_button, self.manifest_table)

    def clear(self) -> None:
        self.runs_model.set_rows([])
        self.manifest_model.set_rows([])
        self.manifest = None
        self.manifest_info.setText("")
        self.export_button.setEnabled(False)
        self.export_button.setToolTip("Select a run first")
        self.empty.setText("…")
        self._explain_undo()

    def reload(self) -> None:
        self.load("Reading the runs", lambda c, _p: list_runs(c.database, c.company_id),
                  self.show_runs)

    def show_runs(self, runs: list[RunRow]) -> None:
        self.runs_model.set_rows(runs)
        fit_columns(self.runs_table)
        self.empty.setText(f"{len(runs)} run(s). Select one to see its manifest." if runs else
                           "No runs yet: each post, retry, undo and resync is listed here "
                           "with its manifest.")
        if runs:
            self.runs_table.selectRow(0)
        self._explain_undo()

    def selected_run(self) -> RunRow | None:
        rows = self.runs_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.runs_model.row_at(self.runs_proxy.mapToSource(rows[0]).row())

    def update_connection(self, state: str) -> None:
        super().update_connection(state)
        self._explain_undo()

    def _on_run_chosen(self) -> None:
        run = self.selected_run()
        self._explain_undo()
        if run is None:
            return
        self.load(f"Reading run {run.id}'s manifest",
                  lambda c, _p: load_manifest(c.database, c.company_id, run.id),
                  self.show_manifest)

    def show_manifest(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.manifest_model.set_rows(manifest.lines)
        fit_columns(self.manifest_table)
        files = ", ".join(str(s.get("file")) for s in manifest.source_files[:4]) or "none"
        more = " …" if len(manifest.source_files) > 4 else ""
        self.manifest_info.setText(
            f"Run {manifest.run.id}: {len(manifest.lines)} operation(s), mapping version "
            f"{manifest.mapping_version}; source files (SHA-256 in the CSV): {files}{more}")
        self.export_button.setEnabled(True)
        self.export_button.setToolTip("Write this run's manifest as CSV (for the accountant)")

    def _explain_undo(self) -> None:
        run = self.selected_run()
        work = self.services.quickbooks
        why = ("Select a run first" if run is None else
               why_not_undo(run, self.runs_model.rows(), self.connection_state,
                            work.label if work.running else ""))
        self.undo_button.setEnabled(not why)
        if not why and run is not None:
            why = f"See what undoing run {run.id} would do in QuickBooks, then decide"
        self.undo_button.setToolTip(why)

    # -- Undo this run ----------------------------------------------------------------------
    def _on_undo_clicked(self) -> None:
        run, context = self.selected_run(), self.context
        if run is None or context is None or not self.undo_button.isEnabled():
            return
        run_id = run.id
        self.outcome.setText("")
        self._start(f"Preparing the undo of run {run_id} of {context.label}",
                    lambda report, cancel: preview_undo(
                        context.database, context.company_id, context.data_dir, run_id, cancel),
                    lambda view: self._ask(run_id, view, None),
                    lambda error: self._on_preview_failed(run_id, error))

    def _on_preview_failed(self, run_id: int, error: BaseException) -> None:
        if isinstance(error, (ValueError, LookupError)):
            self._ask(run_id, None, refusal_of(run_id, error))
        else:
            self.outcome.setText(work_problem("Preparing the undo", error))

    def _ask(self, run_id: int, view: UndoPreviewView | None,
             refusal: Refusal | None) -> None:
        dialog = UndoPreviewDialog(self.window(), run_id, view, refusal)
        if view is not None and refusal is None:
            dialog.confirmed.connect(lambda: self._undo(run_id, view))
        dialog.finished.connect(lambda _result: self._forget(dialog))
        self.dialog = dialog
        dialog.open()

    def _forget(self, dialog: UndoPreviewDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None  # closed (and deleted)

    def _undo(self, run_id: int, view: UndoPreviewView) -> None:
        context = self.context
        if context is None:
            return
        self._start(f"Undoing run {run_id} of {context.label}",
                    lambda report, cancel: undo_as_previewed(
                        context.database, context.company_id, context.data_dir, run_id,
                        view.keys, report, cancel),
                    self._on_undone, lambda error: self._done(work_problem("Undo", error)))

    def _on_undone(self, report: UndoReport) -> None:
        if report.declined:
            self._done("QuickBooks changed since the preview, so nothing was sent. Ask again "
                       "to see the undo as it stands now.")
        elif report.run_status == "nothing to undo":
            self._done(f"Nothing to undo: run {report.undone_run}'s records are already gone "
                       "or restored.")
        else:
            self._done(report_text(report, f"undo of run {report.undone_run}"))

    def _start(self, label: str, job: QuickBooksJob, on_finished: Callable[[Any], None],
               on_failed: Callable[[BaseException], None]) -> None:
        if not self.progress.start(label, job, on_finished=on_finished, on_failed=on_failed,
                                   kind="undo",
                                   on_cancelled=lambda: self._done(
                                       "Cancelled: what was not sent stays for later.")):
            self.outcome.setText(f"Not started: \"{self.services.quickbooks.label}\" is still "
                                 "running (one write to QuickBooks at a time).")

    def _done(self, text: str) -> None:
        self.outcome.setText(text)
        self.reload()

    def _on_export_clicked(self) -> None:
        manifest = self.manifest
        if manifest is None:
            return

        def chosen(path: Path) -> None:
            self.load("Exporting the manifest", lambda _c, _p: manifest.write_csv(path),
                      lambda _r: self.manifest_info.setText(f"Manifest written to {path}."))

        self.file_dialog = choose_file(self, "Export the manifest", "CSV files (*.csv)", chosen,
                                       save_as=f"run-{manifest.run.id}-manifest.csv")
