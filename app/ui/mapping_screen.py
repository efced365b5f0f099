"""The Mapping screen: the company's mapping at a glance, each wizard page re-entered on
its own, and the mapping file imported or exported (the TOML of ``ledgerbridge mapping``).

The shell puts it in its stack of screens (``MappingScreen(services, company_id)``);
nothing here talks SQL or HTTP: reading, importing and exporting are core functions run
through the background helper.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.mapping.config import MappingConfig
from app.setup import mapping_file
from app.setup.pages import PAGES, TITLES
from app.setup.services import SetupServices
from app.ui.wizard import open_setup_wizard
from app.ui.wizard.widgets import button, labelled, note

Index = QModelIndex | QPersistentModelIndex
SECTION_WORDS = {"accounts": "Special account", "income": "Income", "tenders": "Tender",
                 "locations": "Class", "tax_rates": "Sales tax"}
TOML_FILTER = "Mapping files (*.toml);;All files (*)"


def mapping_rows(config: MappingConfig | None) -> list[tuple[str, str, str, str]]:
    """(what, in your data, in QuickBooks, state) for every mapped thing."""
    if config is None:
        return []
    rows = [("Setting", "Posting style", config.style, ""),
            ("Setting", "Go-live", str(config.go_live or "not set"), ""),
            ("Setting", "Sync", config.sync, "")]
    if config.organisation_class:
        rows.append(("Class", "Organisation", config.organisation_class,
                     _state(config, "Class", config.organisation_class,
                            config.organisation_class_id)))
    for section, word in SECTION_WORDS.items():
        entity = "Class" if section == "locations" else "Account"
        for key, target in getattr(config, section).items():
            rows.append((word, key, target.name, _state(config, entity, target.name,
                                                         target.qbo_id)))
    return rows


def _state(config: MappingConfig, entity: str, name: str, qbo_id: str | None) -> str:
    if qbo_id:
        return "in QuickBooks"
    return "created on the first post" if config.may_create(entity, name) else "not found yet"


class MappingTableModel(QAbstractTableModel):
    headers = ("What", "In your data", "In QuickBooks", "State")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str, str, str]] = []

    def set_mapping(self, config: MappingConfig | None) -> None:
        self.beginResetModel()
        self.rows = mapping_rows(config)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return self.rows[index.row()][index.column()]
        return None


class MappingScreen(QWidget):
    mapping_changed = Signal()

    def __init__(self, services: SetupServices, company_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.company_id = company_id
        self.wizards: list[Any] = []
        self.model = MappingTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = note(selectable=True)
        self.page_buttons: dict[str, Any] = {}
        grid = QGridLayout()
        for n, page in enumerate(p for p in PAGES if p != "summary"):
            change = button(f"{TITLES[page]}…")
            change.clicked.connect(lambda _=False, p=page: self.change(p))
            self.page_buttons[page] = change
            grid.addWidget(change, n // 3, n % 3)
        self.import_button = button("&Import a mapping file…")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button = button("&Export the mapping file…")
        self.export_button.clicked.connect(self._on_export_clicked)
        files = QHBoxLayout()
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        files.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note("Change one part of the setup; the rest stays as it is."))
        layout.addLayout(grid)
        layout.addWidget(labelled("The &mapping:", self.table))
        layout.addWidget(self.table, 1)
        layout.addLayout(files)
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        self.services.runner.start(
            lambda p: mapping_file.stored_mapping(self.services.database, self.company_id),
            on_success=self._show, on_failure=self._failed)

    def _show(self, config: MappingConfig | None) -> None:
        self.model.set_mapping(config)
        self.export_button.setEnabled(config is not None)
        if config is None:
            self.message.setText("No mapping yet: set the company up, or import a file.")

    def _failed(self, error: BaseException) -> None:
        self.message.setText(str(error))

    def change(self, page: str) -> Any:
        """Re-enter the setup wizard on ``page`` alone (not modal)."""
        wizard = open_setup_wizard(self, self.services, self.company_id, page=page)
        wizard.setup_finished.connect(lambda _id: self._changed())
        self.wizards.append(wizard)
        return wizard

    def _changed(self) -> None:
        self.reload()
        self.mapping_changed.emit()

    def _on_import_clicked(self) -> None:
        dialog = QFileDialog(self, "Import a mapping file", "", TOML_FILTER)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.import_file(Path(name)))
        dialog.open()

    def import_file(self, path: Path) -> None:
        def imported(result: Any) -> None:
            version, issues = result
            if version is None:
                self.message.setText("Nothing was imported:\n" + "\n".join(
                    f"{i.message} (fix: {i.fix})" for i in issues))
                return
            self.message.setText(f"Imported {path.name}: mapping version {version}.")
            self._changed()

        self.services.runner.start(
            lambda p: mapping_file.import_mapping(self.services.database, self.company_id,
                                                  path),
            on_success=imported, on_failure=self._failed)

    def _on_export_clicked(self) -> None:
        dialog = QFileDialog(self, "Export the mapping file", "mapping.toml", TOML_FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda name: self.export_file(Path(name)))
        dialog.open()

    def export_file(self, path: Path) -> None:
        self.services.runner.start(
            lambda p: mapping_file.export_mapping(self.services.database, self.company_id,
                                                  path),
            on_success=lambda _: self.message.setText(f"Exported to {path}."),
            on_failure=self._failed)
