"""Settings: the company's connection and folders, and how to change them.

Reconnect opens the setup wizard's connection page (it runs the sign-in). Resync,
disconnect and the daily automatic sync are the next release's settings; until then
their buttons are disabled and say the command that does it today. The folders can
be opened in the file manager (data, logs).
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.dashboard import Dashboard, load_dashboard
from app.ui.screens.screen import Screen
from app.ui.services import Services
from app.ui.widgets import push_button, text_label, title_label

FIELDS = (("name", "Company"), ("qbo", "QuickBooks company"), ("realm", "Realm id"),
          ("connection", "Connection"), ("style", "Posting style"),
          ("data", "Data folder"), ("database", "Database"), ("logs", "Log folder"))
LATER = "{what} from the window comes with the Settings screen of the next release. Until " \
        "then: {command}"


class SettingsScreen(Screen):
    title = "Settings"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in FIELDS:
            value = text_label()
            value.setAccessibleName(label)
            self.values[key] = value
            form.addRow(f"{label}:", value)
        self.reconnect_button = push_button("&Reconnect…", self._on_reconnect_clicked,
                                            tooltip="Sign in to QuickBooks again (the setup "
                                            "wizard's connection page)")
        self.open_data_button = push_button("Open &data folder", self._on_open_data_clicked,
                                            tooltip="Show the data folder in the file manager")
        self.open_logs_button = push_button("Open &log folder", self._on_open_logs_clicked,
                                            tooltip="Show the log folder in the file manager")
        self.resync_button = push_button("Re&sync…", tooltip="…", enabled=False)
        self.disconnect_button = push_button("Dis&connect…", tooltip="…", enabled=False)
        self.daily_button = push_button("Daily automatic sync…", tooltip="…", enabled=False)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Settings"))
        layout.addLayout(form)
        for row in ((self.reconnect_button, self.resync_button, self.disconnect_button,
                     self.daily_button), (self.open_data_button, self.open_logs_button)):
            line = QHBoxLayout()
            for button in row:
                line.addWidget(button)
            line.addStretch(1)
            layout.addLayout(line)
        layout.addStretch(1)
        layout.addWidget(self.problem)

    def clear(self) -> None:
        for value in self.values.values():
            value.setText("…")
        context = self.context
        if context is None:
            return
        self.values["data"].setText(str(context.data_dir))
        self.values["database"].setText(context.database.engine.url.render_as_string())
        self.values["logs"].setText(str(context.paths.log_dir))
        for button, what, command in (
                (self.resync_button, "Resync", context.command("resync")),
                (self.disconnect_button, "Disconnecting", context.command("disconnect")),
                (self.daily_button, "Scheduling the daily sync",
                 "a scheduled task (Task Scheduler, launchd, cron) that runs "
                 + context.command("post", "--yes"))):
            button.setToolTip(LATER.format(what=what, command=command))

    def reload(self) -> None:
        self.load("Reading the settings",
                  lambda c, _p: load_dashboard(c.database, c.company_id), self.show_dashboard)

    def show_dashboard(self, board: Dashboard) -> None:
        company = board.company
        self.values["name"].setText(company.label)
        self.values["qbo"].setText(company.qbo_company_name or "not connected")
        self.values["realm"].setText(company.realm_id or "-")
        self.values["connection"].setText(board.connection)
        self.values["style"].setText(board.posting_style)

    def _on_reconnect_clicked(self) -> None:
        self.wizard_requested.emit("connect")

    def _on_open_data_clicked(self) -> None:
        if self.context is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.context.data_dir)))

    def _on_open_logs_clicked(self) -> None:
        if self.context is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.context.paths.log_dir)))
