"""The list of export files on the data source page, with Add, demo exports and Remove."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from .column_mapping_view import _table
from .source_models import FilesModel
from .widgets import button, labelled


class FilesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FilesModel()
        self.view = _table(self.model)
        for column in range(3):
            self.view.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = button("A&dd files…")
        self.demo_button = button("Use the de&mo exports")
        self.remove_button = button("&Remove file")
        buttons = QVBoxLayout()
        for widget in (self.add_button, self.demo_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.view, 1)
        top.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(labelled("Fi&les (drop CSV or Excel files anywhere on this page):",
                                  self.view))
        layout.addLayout(top, 1)
