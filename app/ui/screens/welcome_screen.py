"""First run: two clear paths, connect a real QuickBooks company or open the demo company."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from app import APP_NAME
from app.ui.widgets import card, push_button, text_label, title_label


class WelcomeScreen(QWidget):
    connect_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connect_button = push_button("&Connect to QuickBooks…", self.connect_requested.emit,
                                          tooltip="Run the setup wizard for your first client "
                                          "company")
        self.connect_button.setDefault(True)
        self.demo_button = push_button("Open the &demo company", self.demo_requested.emit,
                                       tooltip="A built-in QuickBooks simulator with demo "
                                       "registration data and an example mapping")
        for button in (self.connect_button, self.demo_button):
            button.setObjectName("bigButton")
            button.setMinimumHeight(44)
        self.status = text_label()
        heading = title_label(f"Welcome to {APP_NAME}", size=24)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        intro = text_label(
            "Ledgerbridge posts your registration software's payments into QuickBooks "
            "Online: preview first, post second. Set it up once per client company.")
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        paths = QHBoxLayout()
        paths.addWidget(self._path(
            self.connect_button, "Your own books",
            "Sign in to QuickBooks in your browser, choose the data source and map it to "
            "your accounts. About ten minutes per company."))
        paths.addWidget(self._path(
            self.demo_button, "Try it first",
            "A simulator of QuickBooks with three months of a swim and gym school's data, "
            "already mapped. Nothing reaches a real QuickBooks company."))
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(16)
        column.addLayout(paths)
        column.addWidget(self.status)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 6)
        outer.addStretch(1)
        self.setTabOrder(self.connect_button, self.demo_button)

    def _path(self, button: QWidget, heading: str, text: str) -> QFrame:
        frame = card()
        layout = QVBoxLayout(frame)
        layout.addWidget(title_label(heading, size=15))
        layout.addWidget(text_label(text), 1)
        layout.addWidget(button)
        return frame

    def set_busy(self, text: str) -> None:
        self.status.setText(text)
        self.demo_button.setEnabled(not text)
        self.demo_button.setToolTip("Opening the demo company…" if text else
                                    "A built-in QuickBooks simulator with demo registration "
                                    "data and an example mapping")
