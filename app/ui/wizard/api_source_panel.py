"""The API choice of the data source page: a saved HTTP/JSON source, or a new one.

Saving a new source is its own explicit action, as ``ledgerbridge source add`` is: the
settings file goes to the config folder and the token to the keyring (never a file).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.importers.api_source import ApiSourceConfig
from app.setup.source import RECORD_TYPES

from .widgets import button, labelled, note


class ApiSourcePanel(QWidget):
    chosen = Signal(str)  # the source's name ("" for none)
    save_requested = Signal(object, str)  # ApiSourceConfig, secret

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources = QComboBox()
        self.sources.activated.connect(lambda *_: self.chosen.emit(self.sources.currentText()))
        form = QFormLayout()
        form.addRow(labelled("Saved API &source:", self.sources), self.sources)
        adding = QGroupBox("Add an API source")
        add_form = QFormLayout(adding)
        self.name = QLineEdit()
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("https://api.example.com")
        self.endpoints = QPlainTextEdit()
        self.endpoints.setPlaceholderText("payment = /v1/payments\nprogram = /v1/programs")
        self.endpoints.setTabChangesFocus(True)
        self.endpoints.setMaximumHeight(self.fontMetrics().height() * 5)
        self.auth = QComboBox()
        self.auth.addItem("Bearer token", "bearer")
        self.auth.addItem("API key header", "api_key")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        for text, widget in (("Na&me:", self.name), ("Base a&ddress:", self.base_url),
                             ("Endpo&ints (record type = path):", self.endpoints),
                             ("Aut&hentication:", self.auth),
                             ("&Token or key:", self.secret)):
            add_form.addRow(labelled(text, widget), widget)
        self.save = button("Save API sour&ce")
        self.save.clicked.connect(self._on_save_clicked)
        add_form.addRow(note("The token is kept in the system keyring."), self.save)
        self.message = note()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(adding)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def set_sources(self, names: list[str], current: str | None) -> None:
        self.sources.clear()
        self.sources.addItems(names)
        if current in names:
            self.sources.setCurrentText(current)
        self.message.setText("" if names else "No API source saved yet: add one below.")

    def _on_save_clicked(self) -> None:
        endpoints: dict[str, str] = {}
        problems = []
        for line in self.endpoints.toPlainText().splitlines():
            if not line.strip():
                continue
            record_type, _, path = (part.strip() for part in line.partition("="))
            if record_type not in RECORD_TYPES or not path:
                problems.append(f"not 'record type = path': {line.strip()!r}")
            endpoints[record_type] = path
        name = self.name.text().strip()
        if not name or not self.base_url.text().strip() or not endpoints or not self.secret.text():
            problems.append("give a name, the base address, endpoints and the token")
        if problems:
            self.message.setText("; ".join(problems))
            return
        config = ApiSourceConfig(name=name, base_url=self.base_url.text().strip(),
                                 endpoints=endpoints, auth=self.auth.currentData())
        self.save_requested.emit(config, self.secret.text())
        self.secret.clear()
