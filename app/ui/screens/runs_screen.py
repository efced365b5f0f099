"""Runs: every post, retry, undo and resync, and the manifest of the run selected.

The runs come from ``app/sync/runs.py`` (``ledgerbridge runs``); the manifest is the
document an accountant files (source files by hash, mapping version, every operation),
and "Export manifest CSV…" writes the CLI's CSV of it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from app.sync.runs import Manifest, RunRow, list_runs, load_manifest
from app.ui.screens.row_table_model import RowFilterProxy
from app.ui.screens.runs_model import ManifestModel, RunsModel
from app.ui.screens.screen import Screen
from app.ui.services import Services
from app.ui.widgets import fit_columns, push_button, table_view, text_label, title_label


class RunsScreen(Screen):
    title = "Runs"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.runs_model = RunsModel()
        self.runs_proxy = RowFilterProxy()
        self.runs_proxy.setSourceModel(self.runs_model)
        self.runs_table = table_view("Runs")
        self.runs_table.setSelectionMode(self.runs_table.SelectionMode.SingleSelection)
        self.runs_table.setModel(self.runs_proxy)
        self.runs_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.runs_table.selectionModel().selectionChanged.connect(lambda *_: self._load_manifest())
        self.manifest_model = ManifestModel()
        self.manifest_proxy = RowFilterProxy()
        self.manifest_proxy.setSourceModel(self.manifest_model)
        self.manifest_table = table_view("Manifest")
        self.manifest_table.setModel(self.manifest_proxy)
        self.manifest_info = text_label()
        self.manifest: Manifest | None = None
        self.export_button = push_button("&Export manifest CSV…", self._on_export_clicked,
                                         tooltip="Write the selected run's manifest as CSV")
        self.empty = text_label()
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
        lower_layout.addLayout(top)
        lower_layout.addWidget(self.manifest_table, 1)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problem)

    def clear(self) -> None:
        self.runs_model.set_rows([])
        self.manifest_model.set_rows([])
        self.manifest = None
        self.manifest_info.setText("")
        self.export_button.setEnabled(False)
        self.export_button.setToolTip("Select a run first")
        self.empty.setText("…")

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

    def selected_run(self) -> RunRow | None:
        rows = self.runs_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.runs_model.row_at(self.runs_proxy.mapToSource(rows[0]).row())

    def _load_manifest(self) -> None:
        run = self.selected_run()
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

    def _on_export_clicked(self) -> None:
        manifest = self.manifest
        if manifest is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export the manifest", f"run-{manifest.run.id}-manifest.csv",
            "CSV files (*.csv)")
        if path:
            self.load("Exporting the manifest",
                      lambda _c, _p: manifest.write_csv(Path(path)),
                      lambda _r: self.manifest_info.setText(f"Manifest written to {path}."))
