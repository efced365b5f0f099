"""The main window: a shell of menus, a stack of screens and a status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStackedWidget, QWidget

from app import APP_NAME, __version__
from app.status import StatusReport
from app.ui.home_screen import HomeScreen

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"


class MainWindow(QMainWindow):
    def __init__(self, settings_file: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Window geometry only: everything else is typed settings or the database.
        self._settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        self.setWindowTitle(APP_NAME)
        self.home_screen = HomeScreen()
        self.screens = QStackedWidget()
        self.screens.addWidget(self.home_screen)
        self.setCentralWidget(self.screens)
        self._build_menus()
        self.statusBar().showMessage("Ready")
        self._restore_geometry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about_action = QAction(f"&About {APP_NAME}", self)
        about_action.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about_action)

    def show_status(self, report: StatusReport) -> None:
        self.home_screen.show_status(report)
        company = report.company
        if company is not None:
            name = company["qbo_company_name"] or company["name"]
            local = company["environment"] == "local" and "simulator" not in name.lower()
            simulator = " — simulator" if local else ""
            self.setWindowTitle(f"{name}{simulator} — {APP_NAME}")

    def about_text(self) -> str:
        return (
            f"<b>{APP_NAME} {__version__}</b><p>Registration and payment exports into "
            "QuickBooks Online: preview first, post second.</p>"
        )

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", self.about_text())

    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1000, 680)
        state = self._settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.sync()
        super().closeEvent(event)
