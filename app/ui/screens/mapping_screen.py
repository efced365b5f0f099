"""Mapping: what each setup page decided, re-entering the wizard on one page, the TOML file.

Left, the setup wizard's pages with a one-line summary each; right, what the selected
page maps (source → QuickBooks, and whether it is mapped, a default created if missing,
or unmapped). "Edit this page…" opens the wizard on that page alone. The mapping file
is the same TOML as ``ledgerbridge mapping import|export``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.mapping_overview import (
    PageOverview,
    export_mapping,
    import_mapping,
    load_mapping_overview,
)
from app.ui.screens.mapping_model import MappingRowsModel, PagesModel
from app.ui.screens.screen import Screen
from app.ui.services import Services
from app.ui.widgets import (
    choose_file,
    fit_columns,
    push_button,
    table_view,
    text_label,
    title_label,
)


class MappingScreen(Screen):
    title = "Mapping"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.pages_model = PagesModel()
        self.pages_table = table_view("Setup pages")
        self.pages_table.setSelectionMode(self.pages_table.SelectionMode.SingleSelection)
        self.pages_table.setModel(self.pages_model)
        self.pages_table.selectionModel().selectionChanged.connect(lambda *_: self._show_page())
        self.pages_table.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.rows_model = MappingRowsModel()
        self.rows_table = table_view("What the page maps")
        self.rows_table.setModel(self.rows_model)
        self.page_summary = text_label()
        self.edit_button = push_button("&Edit this page…", self._on_edit_clicked,
                                       tooltip="Open the setup wizard on this page only")
        self.import_button = push_button("&Import mapping file…", self._on_import_clicked,
                                         tooltip="Replace the mapping with a TOML file")
        self.export_button = push_button("E&xport mapping file…", self._on_export_clicked,
                                         tooltip="Write the mapping as a TOML file")
        self.message = text_label()
        self.pages: tuple[PageOverview, ...] = ()
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(title_label("Mapping"), 1)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        splitter = QSplitter()
        splitter.addWidget(self.pages_table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.page_summary, 1)
        bar.addWidget(self.edit_button)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.rows_table, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.problem)
        self.setTabOrder(self.import_button, self.export_button)
        self.setTabOrder(self.export_button, self.pages_table)
        self.setTabOrder(self.pages_table, self.edit_button)
        self.setTabOrder(self.edit_button, self.rows_table)

    def clear(self) -> None:
        self.pages = ()
        self.pages_model.set_rows([])
        self.rows_model.set_rows([])
        self.page_summary.setText("…")
        self.message.setText("")

    def reload(self) -> None:
        self.load("Reading the mapping",
                  lambda c, _p: load_mapping_overview(c.database, c.company_id), self.show_pages)

    def show_pages(self, pages: tuple[PageOverview, ...]) -> None:
        chosen = self.selected_page()
        self.pages = pages
        self.pages_model.set_rows(pages)
        self.pages_table.resizeColumnToContents(0)
        names = [p.page for p in pages]
        self.pages_table.selectRow(names.index(chosen.page) if chosen in pages else 3)

    def selected_page(self) -> PageOverview | None:
        rows = self.pages_table.selectionModel().selectedRows()
        return self.pages_model.row_at(rows[0].row()) if rows else None

    def _show_page(self) -> None:
        page = self.selected_page()
        if page is None:
            return
        self.page_summary.setText(f"<b>{page.title}</b>: {page.summary}")
        self.rows_model.set_rows(page.rows)
        fit_columns(self.rows_table)

    def _on_edit_clicked(self) -> None:
        page = self.selected_page()
        if page is not None:
            self.wizard_requested.emit(page.page)

    def _on_import_clicked(self) -> None:
        self.file_dialog = choose_file(self, "Import a mapping file", "Mapping files (*.toml)",
                                       self._ask_to_replace)

    def _ask_to_replace(self, path: Path) -> None:
        question = QMessageBox(QMessageBox.Icon.Question, "Replace the mapping?",
                               f"Replace this company's mapping with {path.name}? "
                               "Export the current one first if you may want it back.",
                               QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                               self)
        question.finished.connect(
            lambda answer: self.import_file(path)
            if answer == QMessageBox.StandardButton.Yes.value else None)
        question.open()  # window-modal sheet; background work carries on meanwhile

    def import_file(self, path: Path) -> None:
        self.load("Importing the mapping file",
                  lambda c, _p: import_mapping(c.database, c.company_id, path, c.data_dir),
                  lambda result: self._imported(path, *result))

    def _imported(self, path: Path, version: int | None, issues: tuple) -> None:  # type: ignore[type-arg]
        if version is None:
            self.message.setText(f"{path.name} was not imported: " + "; ".join(
                f"{i.message} (fix: {i.fix})" for i in issues))
            return
        self.message.setText(f"Mapping imported from {path.name} (mapping version {version}).")
        self.reload()

    def _on_export_clicked(self) -> None:
        self.file_dialog = choose_file(self, "Export the mapping", "Mapping files (*.toml)",
                                       self.export_file, save_as="mapping.toml")

    def export_file(self, path: Path) -> None:
        self.load("Exporting the mapping",
                  lambda c, _p: export_mapping(c.database, c.company_id, path),
                  lambda _r: self.message.setText(f"Mapping exported to {path}."))
