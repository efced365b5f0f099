"""Step 2 of the close: the month's exports, dropped or chosen, or fetched from the API
source; every error in a table (nothing imported), or what is new, changed, unchanged
and missing since the last import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.importers.pipeline import READABLE_SUFFIXES
from app.monthly_close.flow import CloseFlow
from app.ui.screens.close_models import COUNT_COLUMNS, ERROR_COLUMNS
from app.ui.screens.close_widgets import save_file_name, set_text
from app.ui.screens.row_table_model import RowTableModel
from app.ui.widgets import choose_folder, fit_columns, push_button, table_view, text_label

DROP_TEXT = ("Drop the month's export files here (CSV or Excel, or a folder of them), or "
             "choose them. They are checked first: a file with any error imports nothing.")


class DropZone(QFrame):
    """A framed area that takes files dropped from the file manager."""

    dropped = Signal(object)  # tuple[Path, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        self.setMinimumHeight(80)
        self.setMaximumHeight(110)
        self.text = text_label(DROP_TEXT, selectable=False)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


MISSING_SHOWN = 10


def missing_lines(missing: tuple[str, ...]) -> list[str]:
    """Which records the last full export had and this one has not, by their keys."""
    if not missing:
        return []
    more = len(missing) - MISSING_SHOWN
    listed = ", ".join(missing[:MISSING_SHOWN]) + (f" and {more} more" if more > 0 else "")
    return [f"Missing since the last full export (kept in the books): {listed}."]


def _paths(urls: list) -> tuple[Path, ...]:  # type: ignore[type-arg]
    found = tuple(Path(url.toLocalFile()) for url in urls if url.isLocalFile())
    return tuple(p for p in found if p.is_dir() or p.suffix.lower() in READABLE_SUFFIXES)


class ImportPage(QWidget):
    files_chosen = Signal(object)  # tuple[Path, ...]
    fetch_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drop_zone = DropZone()
        self.drop_zone.dropped.connect(self.files_chosen.emit)
        self.choose_button = push_button("&Choose files…", self._on_choose_clicked,
                                         tooltip="Pick the month's export files")
        self.folder_button = push_button("Choose a fol&der…", self._on_folder_clicked,
                                         tooltip="Pick the folder the month's exports are in")
        self.choose_folder = choose_folder  # tests replace the folder chooser
        self.folder_dialog: object = None
        self.fetch_button = push_button("F&etch from the API source", self.fetch_requested.emit,
                                        tooltip="The company has no API source", enabled=False)
        self.full_export = QCheckBox("F&ull export: report records it no longer has")
        self.full_export.setAccessibleName("Full export: report records it no longer has")
        self.status = text_label("Importing is optional: what was imported before is "
                                 "already there. Next checks the period against QuickBooks.")
        self.errors_model: RowTableModel = RowTableModel(ERROR_COLUMNS)
        self.errors_table = table_view("Import errors")
        self.errors_table.setModel(self.errors_model)
        self.counts_model: RowTableModel = RowTableModel(COUNT_COLUMNS)
        self.counts_table = table_view("Since the last import")
        self.counts_table.setModel(self.counts_model)
        self.counts_table.horizontalHeader().setStretchLastSection(False)
        self.save_errors_button = push_button("&Save the error list…", self._on_save_clicked,
                                              tooltip="Write every error to a CSV file")
        self.results = QStackedWidget()
        self.results.addWidget(self.counts_table)
        errors = QWidget()
        errors_layout = QVBoxLayout(errors)
        errors_layout.setContentsMargins(0, 0, 0, 0)
        errors_layout.addWidget(self.errors_table, 1)
        errors_layout.addWidget(self.save_errors_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.results.addWidget(errors)
        buttons = QHBoxLayout()
        for widget in (self.choose_button, self.folder_button, self.fetch_button,
                       self.full_export):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.drop_zone)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 10)
        layout.addStretch(1)  # the room, while there is no result to show
        self.flow: CloseFlow | None = None
        self._start_seen: object = None
        self._outcome_shown: object = False
        self.save_as = save_file_name  # tests replace the file chooser

    def show_flow(self, flow: CloseFlow, busy: bool) -> None:
        self.flow = flow
        origin = flow.start.origin if flow.start else None
        api = origin.api_name if origin else None
        set_text(self.fetch_button, f"F&etch from {api}" if api else "F&etch from the API source",
                 f"Read this month's records from the API source {api}" if api else
                 "The company's exports come as files: drop them or choose them")
        self.fetch_button.setEnabled(bool(api) and not busy)
        self.choose_button.setEnabled(not busy)
        self.folder_button.setEnabled(not busy)
        self.drop_zone.setEnabled(not busy)
        if origin is not None and flow.start is not self._start_seen:
            self._start_seen = flow.start  # the company's habit, until the bookkeeper says
            self.full_export.setChecked(origin.full_export)
        self._show(flow, busy)

    def _show(self, flow: CloseFlow, busy: bool) -> None:
        outcome = flow.imported
        if busy:
            self.status.setText("Checking and importing…")
        elif outcome is not None:
            self.status.setText("\n".join([outcome.headline, *missing_lines(outcome.missing)]))
        if outcome is self._outcome_shown:
            return  # the tables already hold it: no reset
        self._outcome_shown = outcome
        self.errors_model.set_rows(list(outcome.errors) if outcome else [])
        self.counts_model.set_rows(list(outcome.counts) if outcome else [])
        failed = outcome is not None and not outcome.ok
        self.results.setCurrentIndex(1 if failed else 0)
        self.results.setVisible(outcome is not None)
        fit_columns(self.errors_table if failed else self.counts_table)

    def _on_choose_clicked(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Choose the month's exports", "",
            "Exports (*.csv *.txt *.tsv *.xlsx *.xlsm);;All files (*)")
        if names:
            self.files_chosen.emit(tuple(Path(n) for n in names))

    def _on_folder_clicked(self) -> None:
        self.folder_dialog = self.choose_folder(
            self, "Choose the folder of the month's exports",
            lambda folder: self.files_chosen.emit((folder,)))

    def _on_save_clicked(self) -> None:
        outcome = self.flow.imported if self.flow else None
        if outcome is None:
            return
        path = self.save_as(self, "Save the error list", "import-errors.csv",
                            "CSV files (*.csv)")
        if path is not None:
            outcome.write_errors_csv(path)
            self.status.setText(f"{outcome.headline} The error list was written to {path}.")

