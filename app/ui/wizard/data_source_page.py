"""Page 2, Data source: export files (dropped or picked; Excel with its sheet) or an API
source; the column mapping with sample rows; every error in a table, exportable; the
data imported at Finish only, and only when the check found it clean."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.setup import source
from app.setup.loading import known_for
from app.setup.source import SourceDraft

from .api_source_panel import ApiSourcePanel
from .column_mapping_view import ColumnMappingView
from .files_panel import FilesPanel
from .issue_table import IssuePanel
from .page_base import SetupPage, WizardContext
from .source_models import RECORD_WORDS
from .widgets import button, check_box, labelled, note, radio

FILE_FILTER = "Exports (*.csv *.txt *.tsv *.xlsx *.xlsm);;All files (*)"


class DataSourcePage(SetupPage):
    name = "data_source"

    def __init__(self, context: WizardContext) -> None:
        super().__init__(context)
        self.setAcceptDrops(True)
        self.mode = QButtonGroup(self)
        mode_row = QHBoxLayout()
        for n, text in enumerate(("Export fil&es (CSV or Excel)", "An &API source")):
            option = radio(text)
            self.mode.addButton(option, n)
            mode_row.addWidget(option)
        mode_row.addStretch(1)
        self.mode.idToggled.connect(self._on_mode_toggled)
        self.files_panel = FilesPanel()
        self.files, self.files_view = self.files_panel.model, self.files_panel.view
        self.add_button, self.demo_button, self.remove_button = (
            self.files_panel.add_button, self.files_panel.demo_button,
            self.files_panel.remove_button)
        self.files_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_file())
        self.add_button.clicked.connect(self._on_add_clicked)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.mapping_view = ColumnMappingView(self.files)
        self.mapping_view.file_choice.activated.connect(self._select_file)
        self.mapping_view.changed.connect(self._source_changed)
        self.mapping_view.record_type_changed.connect(self._on_record_type_changed)
        self.mapping_view.sheet_changed.connect(self._on_sheet_changed)
        self.api_panel = ApiSourcePanel()
        self.api_panel.chosen.connect(self._on_api_chosen)
        self.api_panel.save_requested.connect(self._on_api_save)
        self.sources = QStackedWidget()
        self.sources.addWidget(self.files_panel)
        self.sources.addWidget(self.api_panel)
        self.errors = IssuePanel()
        self.issues, self.issues_view = self.errors.model, self.errors.view
        self.tabs = QTabWidget()
        self.tabs.addTab(self.mapping_view, "Columns")
        self.tabs.addTab(self.errors, "Errors")
        self.preset_name = QLineEdit()
        self.preset_name.setPlaceholderText("e.g. regpack (optional)")
        self.date_format = QLineEdit()
        self.date_format.setPlaceholderText("%m/%d/%Y (only if dates are not ISO)")
        self.full_export = check_box("This is a f&ull export (report records it no longer has)")
        for field in (self.preset_name, self.date_format):
            field.editingFinished.connect(self._on_options_changed)
        self.full_export.toggled.connect(self._on_options_changed)
        self.options = QFormLayout()
        self.options.addRow(labelled("Save the column mapping as &preset:", self.preset_name),
                            self.preset_name)
        self.options.addRow(labelled("Date f&ormat:", self.date_format), self.date_format)
        self.options.addRow(self.full_export)
        source_tab = QWidget()
        source_layout = QVBoxLayout(source_tab)
        source_layout.addWidget(self.sources, 1)
        source_layout.addLayout(self.options)
        self.tabs.insertTab(0, source_tab, "Source")
        self.tabs.setCurrentIndex(0)
        self.check_button = button("Chec&k the data")
        self.check_button.clicked.connect(self._on_check_clicked)
        self.status = note()
        self.status.setObjectName("check_status")
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.status, 1)
        self.body.addLayout(mode_row)
        self.body.addWidget(self.tabs, 1)
        self.body.addLayout(check_row)
        self.mode.button(0).setChecked(True)
        view = self.mapping_view
        self.tab_order(*self.mode.buttons(), self.tabs, self.files_view, self.add_button,
                       self.demo_button, self.remove_button, self.api_panel.sources,
                       self.preset_name, self.date_format, self.full_export, view.file_choice,
                       view.record_type, view.sheet, view.columns_view, view.samples_view,
                       self.issues_view, self.errors.export_button, self.check_button)

    # --- filling ---------------------------------------------------------------------------

    @property
    def draft(self) -> SourceDraft:
        return self.state.source

    def initializePage(self) -> None:
        draft = self.draft
        self.mode.button(1 if draft.kind == "api" else 0).setChecked(True)
        self.files.set_files(draft.files)
        self.preset_name.setText(draft.preset_name)
        self.date_format.setText(draft.date_format)
        self.full_export.setChecked(draft.full_export)
        self.api_panel.set_sources(source.api_source_names(self.services.paths.config_dir),
                                   draft.api_name)
        self.demo_button.setVisible(self._is_demo())
        self._select_file(0)
        self._show_result()

    def _is_demo(self) -> bool:
        connection = self.state.connection
        if connection is not None:
            return connection.is_demo
        company = self.state.company
        return company is not None and company.environment == "local" and not company.api_base_url

    def _select_file(self, row: int) -> None:
        if self.files.rowCount():
            self.files_view.selectRow(min(row, self.files.rowCount() - 1))
        self._show_file()

    def _current(self) -> source.SourceFile | None:
        row = self.files_view.currentIndex().row()
        return self.draft.files[row] if 0 <= row < len(self.draft.files) else None

    def _show_file(self) -> None:
        self.mapping_view.show_file(self._current(), self.files_view.currentIndex().row())

    def _show_result(self) -> None:
        result = self.draft.result if self.draft.is_checked else None
        self.errors.set_issues(result.issues if result else [])
        self.tabs.setTabText(2, f"Errors ({len(result.errors)})" if result else "Errors")
        if result is None:
            text = "Not checked yet." if self.draft.chosen else ""
        elif result.ok:
            counts = ", ".join(f"{n} {RECORD_WORDS.get(t, t)}"
                               for t, n in sorted(result.counts().items()))
            text = f"Clean: {counts}. Imported when you press Finish."
        else:
            text = f"Checked: {len(result.errors)} error(s) found, listed under Errors."
        self.status.setText(text)

    def _source_changed(self) -> None:
        self.files.set_files(self.draft.files)
        self._show_result()
        self.refresh()

    # --- files -----------------------------------------------------------------------------

    def add_files(self, paths: list[Path]) -> None:
        """Read the files' headers and samples (in the background) and list them."""
        wanted = [p for p in source.readable(paths)
                  if p not in {f.path for f in self.draft.files}]
        skipped = source.unreadable(paths)
        if skipped:
            names = ", ".join(p.name for p in skipped[:5]) + (" …" if len(skipped) > 5 else "")
            self.show_error(ValueError(
                f"Not added: {names}. Ledgerbridge reads CSV (.csv) and Excel (.xlsx, .xlsm) "
                "exports: save the file in one of those formats from your registration "
                "software, then add it."))
        if wanted:
            self.run(lambda p: [source.inspect_file(path) for path in wanted],
                     f"Reading {len(wanted)} file(s)…", self._files_read)

    def _files_read(self, found: list[source.SourceFile]) -> None:
        self.draft.files.extend(found)
        self._source_changed()
        self._select_file(len(self.draft.files) - len(found))

    def _on_add_clicked(self) -> None:
        dialog = QFileDialog(self, "Add export files", "", FILE_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda names: self.add_files([Path(n) for n in names]))
        dialog.open()  # window-modal to the wizard only

    def _on_demo_clicked(self) -> None:
        self.run(lambda p: source.demo_exports(self.services.paths.data_dir),
                 "Writing the demo exports…", self.add_files)

    def _on_remove_clicked(self) -> None:
        current = self._current()
        if current is not None:
            self.draft.files.remove(current)
            self._source_changed()
            self._select_file(0)

    def _on_record_type_changed(self, record_type: str) -> None:
        current = self._current()
        if current is not None and record_type != current.record_type:
            row = self.draft.files.index(current)
            self.draft.files[row] = source.with_record_type(current, record_type)
            self._source_changed()
            self._select_file(row)

    def _on_sheet_changed(self, sheet: str) -> None:
        current = self._current()
        if current is None or sheet == current.sheet:
            return
        row = self.draft.files.index(current)

        def read(found: source.SourceFile) -> None:
            self.draft.files[row] = found
            self._source_changed()
            self._select_file(row)

        self.run(lambda p: source.inspect_file(current.path, sheet), f"Reading {sheet}…", read)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls: list[QUrl] = event.mimeData().urls()
        self.add_files([Path(u.toLocalFile()) for u in urls if u.isLocalFile()])
        event.acceptProposedAction()

    # --- API, options, checking -------------------------------------------------------------

    def _on_mode_toggled(self, *_: object) -> None:
        self.draft.kind = "api" if self.mode.checkedId() == 1 else "files"
        self.sources.setCurrentIndex(self.mode.checkedId() if self.mode.checkedId() > 0 else 0)
        if self.draft.kind == "api" and not self.draft.api_name:
            self.draft.api_name = self.api_panel.sources.currentText() or None
        self._source_changed()

    def _on_api_chosen(self, name: str) -> None:
        self.draft.api_name = name or None
        self._source_changed()

    def _on_api_save(self, config: object, secret: str) -> None:
        config_dir = self.services.paths.config_dir

        def saved(_: object) -> None:
            self.api_panel.set_sources(source.api_source_names(config_dir), config.name)  # type: ignore[attr-defined]
            self._on_api_chosen(config.name)  # type: ignore[attr-defined]

        self.run(lambda p: source.add_api_source(config_dir, config, secret),  # type: ignore[arg-type]
                 "Saving the API source…", saved)

    def _on_options_changed(self) -> None:
        self.draft.preset_name = self.preset_name.text().strip()
        self.draft.date_format = self.date_format.text().strip()
        self.draft.full_export = self.full_export.isChecked()
        self._source_changed()

    def check(self) -> None:
        """Check everything chosen, in the background; nothing is stored."""
        snapshot = copy.deepcopy(self.draft)
        snapshot.result = None
        signature = snapshot.signature()
        company = self.state.company
        services = self.services

        def work(progress):  # type: ignore[no-untyped-def]
            known = known_for(services, company.company_id if company else None)
            return source.check(snapshot, known, services.paths.config_dir, progress)

        def checked(result) -> None:  # type: ignore[no-untyped-def]
            self.draft.result, self.draft.checked = result, signature
            self._show_result()
            if not result.ok:
                self.tabs.setCurrentIndex(2)

        self.run(work, "Checking the data…", checked)

    def _on_check_clicked(self) -> None:
        self.check()

    def export_issues(self, path: Path) -> None:
        self.errors.export_issues(path)
