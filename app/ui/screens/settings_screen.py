"""Settings: the connection, the Intuit app, resync, the daily sync, folders, about.

What it says comes from ``app/settings_view.py`` (the sign-in's age from the token store,
never a secret; the keyring's absence said plainly). The actions call the cores the CLI
calls: Reconnect opens the setup wizard's connection page; Disconnect, Resync and the
client secret are ``settings_actions.py``'s; the daily sync choice is remembered per
company (the OS scheduling comes with issue 13, and the screen says so).
"""

from __future__ import annotations

import platform
from functools import partial

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.company_prefs import update_prefs
from app.settings_view import SettingsView, daily_sync_note, load_settings
from app.ui.screens.screen import Screen
from app.ui.screens.settings_actions import SettingsActions
from app.ui.services import Services
from app.ui.widgets import push_button, text_label, title_label

CONNECTION = (("name", "Company"), ("qbo", "QuickBooks company"), ("environment", "Where"),
              ("realm", "Realm id"), ("connection", "Connection"), ("tokens", "Sign-in"))
FOLDER_BUTTONS = (("Data folder", "Open &data folder"), ("Log folder", "Open &log folder"),
                  ("Settings folder", "Open se&ttings folder"))


class SettingsScreen(Screen):
    title = "Settings"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.view: SettingsView | None = None
        self.values: dict[str, QLabel] = {}
        self.keyring_problem = text_label()
        self.keyring_problem.setObjectName("problem")
        self.reconnect_button = push_button(
            "&Reconnect…", lambda: self.wizard_requested.emit("connect"),
            tooltip="Sign in to QuickBooks again (the setup wizard's connection page)")
        self.commands = SettingsActions(self)
        self.client_id = text_label()
        self.client_id.setAccessibleName("Client id")
        self.daily = QCheckBox("Daily a&utomatic sync")
        self.daily.setAccessibleName("Daily automatic sync")
        self.daily.toggled.connect(self._on_daily_toggled)
        self.daily_note = text_label()
        self.last_scheduled = text_label()
        self.last_scheduled.setAccessibleName("Last scheduled run")
        self.folder_paths: dict[str, QLabel] = {}
        self.folder_buttons = [push_button(text, partial(self._open_folder, name),
                                           tooltip=f"Show the {name.lower()} in the file "
                                           "manager") for name, text in FOLDER_BUTTONS]
        self.about = text_label()
        self._build()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(title_label("Settings"))
        layout.addWidget(self._connection_box())
        layout.addWidget(self._app_box())
        layout.addWidget(self._sync_box())
        layout.addWidget(self._folders_box())
        about = QGroupBox("About")
        QVBoxLayout(about).addWidget(self.about)
        layout.addWidget(about)
        layout.addWidget(self.commands.outcome)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _connection_box(self) -> QGroupBox:
        box = QGroupBox("QuickBooks connection")
        layout = QVBoxLayout(box)
        form = QFormLayout()
        for key, label in CONNECTION:
            value = text_label()
            value.setAccessibleName(label)
            self.values[key] = value
            form.addRow(f"{label}:", value)
        layout.addLayout(form)
        layout.addWidget(self.keyring_problem)
        layout.addLayout(_row(self.reconnect_button, self.commands.disconnect_button))
        return box

    def _app_box(self) -> QGroupBox:
        box = QGroupBox("Intuit app credentials")
        form = QFormLayout(box)
        form.addRow("Client id:", self.client_id)
        form.addRow(_row(self.commands.secret_button))
        return box

    def _sync_box(self) -> QGroupBox:
        box = QGroupBox("Sync")
        layout = QVBoxLayout(box)
        layout.addWidget(text_label(
            "Resync rebuilds Ledgerbridge's ledger from what QuickBooks holds (after "
            "restoring a backup, reconnecting, or another computer posting). It creates "
            "nothing in QuickBooks; it shows what it found and asks before writing."))
        layout.addLayout(_row(self.commands.resync_button))
        layout.addWidget(self.commands.progress)
        layout.addWidget(self.daily)
        self.daily_note.setObjectName("hint")
        layout.addWidget(self.daily_note)
        form = QFormLayout()
        form.addRow("Last scheduled run:", self.last_scheduled)
        layout.addLayout(form)
        return box

    def _folders_box(self) -> QGroupBox:
        box = QGroupBox("Folders")
        form = QFormLayout(box)
        for (name, _text), button in zip(FOLDER_BUTTONS, self.folder_buttons, strict=True):
            path = text_label()
            path.setAccessibleName(name)
            self.folder_paths[name] = path
            form.addRow(f"{name}:", _row(path, button, stretch=False))
        return box

    # -- showing ------------------------------------------------------------------------
    def clear(self) -> None:
        self.view = None
        for label in (*self.values.values(), self.client_id, self.last_scheduled,
                      *self.folder_paths.values()):
            label.setText("…")
        self.keyring_problem.hide()
        self.commands.outcome.setText("")
        self.about.setText(f"Ledgerbridge … · Python {platform.python_version()} · "
                           f"PySide6 {pyside_version}")
        self.commands.explain(None)

    def reload(self) -> None:
        self.load("Reading the settings",
                  lambda c, _p: load_settings(c.database, c.company_id, c.paths),
                  self.show_settings)

    def show_settings(self, view: SettingsView) -> None:
        self.view = view
        company = view.company
        for key, text in (("name", company.label), ("qbo", company.qbo_company_name or
                                                    "not connected yet"),
                          ("environment", view.environment), ("realm", company.realm_id or "-"),
                          ("connection", view.connection), ("tokens", view.tokens)):
            self.values[key].setText(text)
        self.keyring_problem.setText(view.keyring_problem)
        self.keyring_problem.setVisible(bool(view.keyring_problem))
        self.client_id.setText(view.client_id or (
            "none: the demo company signs in to its own simulator" if view.demo else
            "none yet: the Intuit app is chosen when connecting"))
        if self.context is not None:
            self.daily_note.setText(daily_sync_note(self.context.command("post", "--yes")))
        self.daily.blockSignals(True)
        self.daily.setChecked(view.daily_sync)
        self.daily.blockSignals(False)
        self.last_scheduled.setText(view.last_scheduled_run)
        for name, path in view.folders:
            self.folder_paths[name].setText(str(path))
        self.about.setText(f"Ledgerbridge {view.version} · Python {platform.python_version()} "
                           f"· PySide6 {pyside_version}")
        self.commands.explain(view)

    def update_connection(self, state: str) -> None:
        changed = state != self.connection_state
        super().update_connection(state)
        if changed and self.context is not None:
            self.reload()

    def _on_daily_toggled(self, on: bool) -> None:
        self.load("Saving the daily sync choice",
                  lambda c, _p: update_prefs(c.paths.config_dir, c.company_id, daily_sync=on),
                  lambda _prefs: self.commands.outcome.setText(
                      "Daily automatic sync is on for this company (remembered; the daily task "
                      "itself comes with the next release)." if on else
                      "Daily automatic sync is off for this company."))

    def _open_folder(self, name: str) -> None:
        label = self.folder_paths.get(name)
        if label is not None and label.text() not in ("", "…"):
            QDesktopServices.openUrl(QUrl.fromLocalFile(label.text()))


def _row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    line = QHBoxLayout()
    for widget in widgets:
        line.addWidget(widget, 1 if isinstance(widget, QLabel) else 0)
    if stretch:
        line.addStretch(1)
    return line
