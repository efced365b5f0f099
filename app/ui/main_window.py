"""The main window: a shell of menus, a company switcher, a sidebar of screens, a status bar.

Everything it shows about a company comes from a screen (``app/ui/screens/``) or from
``app/dashboard.py``; everything slow runs on the services' runner. Only the screen on
view loads its company; the others load when shown, always for the company selected.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.ui.closing import may_close_now
from app.ui.company_list_model import CompanyListModel
from app.ui.company_status import CompanyStatus
from app.ui.notice_bar import NoticeBar
from app.ui.screens.error_log_screen import ErrorLogScreen
from app.ui.screens.home_screen import HomeScreen
from app.ui.screens.mapping_screen import MappingScreen
from app.ui.screens.monthly_close_screen import MonthlyCloseScreen
from app.ui.screens.runs_screen import RunsScreen
from app.ui.screens.screen import Screen
from app.ui.screens.settings_screen import SettingsScreen
from app.ui.screens.welcome_screen import WelcomeScreen
from app.ui.services import CompanyChoice, CompanyContext, CompanyRef, Services
from app.ui.shell_widgets import (
    BannerBar,
    show_about,
)
from app.ui.widgets import label_for, menu_action, push_button

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
SCREENS = (HomeScreen, MonthlyCloseScreen, ErrorLogScreen, RunsScreen, MappingScreen,
           SettingsScreen)
STATUS_REFRESH_MS = 60_000


class MainWindow(QMainWindow):
    def __init__(self, services: Services, settings_file: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        # Window geometry only: everything else is typed settings or the database.
        self._settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        self.context: CompanyContext | None = None
        self.wizard: Any = None  # the open setup wizard, kept alive while it is shown
        self.setWindowTitle(APP_NAME)
        self.companies = CompanyListModel()
        self.switcher = QComboBox()
        self.switcher.setModel(self.companies)
        self.switcher.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.switcher.activated.connect(self._on_company_activated)
        self.add_button = push_button("&Add company…", self.add_company,
                                      tooltip="Set up another QuickBooks company")
        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Screens")
        self.sidebar.setObjectName("sidebar")
        self.screens = QStackedWidget()
        self.screen_list: list[Screen] = [screen(services) for screen in SCREENS]
        for screen in self.screen_list:
            self.sidebar.addItem(screen.title)
            self.screens.addWidget(screen)
            screen.wizard_requested.connect(self.open_wizard)
            screen.navigate_requested.connect(self.show_screen)
            screen.company_changed.connect(self._on_company_changed)
            if isinstance(screen, HomeScreen):
                screen.notice_dismissed.connect(self._on_notice_dismissed)
        self.sidebar.currentRowChanged.connect(self._on_screen_chosen)
        self.banner = BannerBar()
        self.banner.action_requested.connect(lambda: self.open_wizard("connect"))
        self.notice = NoticeBar()
        self.notice.open_requested.connect(lambda: self.show_screen("Error log"))
        self.welcome = WelcomeScreen()
        self.welcome.connect_requested.connect(self.add_company)
        self.welcome.demo_requested.connect(self.open_demo)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self._shell())
        self.setCentralWidget(self.pages)
        self._build_toolbar()
        self._build_menus()
        self.status = CompanyStatus(services, self.banner, self.notice)
        self.status.install(self.statusBar())
        self.connection, self.tasks, self.failed_badge = (self.status.connection,
                                                          self.status.tasks, self.status.badge)
        self.failed_badge.clicked.connect(lambda: self.show_screen("Error log"))
        self.status.connection_read.connect(self._on_connection_read)
        self.notice.dismissed.connect(self._on_notice_dismissed)
        self._status_timer = QTimer(self, interval=STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._restore_geometry()

    # -- building ------------------------------------------------------------------
    def _shell(self) -> QWidget:
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.screens)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 900])
        shell = QWidget()
        layout = QVBoxLayout(shell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        return shell

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Company")
        self.toolbar.setObjectName("companyToolbar")
        self.toolbar.setMovable(False)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(label_for(self.switcher, "C&ompany:"))
        row.addWidget(self.switcher)
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.toolbar.addWidget(holder)
        self.addToolBar(self.toolbar)
        self.setTabOrder(self.switcher, self.add_button)
        self.setTabOrder(self.add_button, self.sidebar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(menu_action(self, "&Add company…", self.add_company, "Ctrl+N"))
        file_menu.addAction(menu_action(self, "Open the &demo company", self.open_demo))
        self.setup_action = menu_action(self, "&Set up this company again…",
                                        lambda: self.open_wizard(None))
        file_menu.addAction(self.setup_action)
        file_menu.addAction(menu_action(self, "&Quit", self.close, QKeySequence.StandardKey.Quit))
        go_menu = self.menuBar().addMenu("&Go")
        for index, screen in enumerate(self.screen_list):
            go_menu.addAction(menu_action(self, screen.title,
                                          partial(self.show_screen, screen.title),
                                          f"Ctrl+{index + 1}"))
        go_menu.addSeparator()
        go_menu.addAction(menu_action(self, "&Refresh", self.refresh,
                                       QKeySequence.StandardKey.Refresh))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(menu_action(self, f"&About {APP_NAME}", partial(show_about, self)))

    # -- companies -----------------------------------------------------------------
    def start(self) -> None:
        """Load the companies and open the last one (or the first-run screen)."""
        self.reload_companies(None)

    def reload_companies(self, select: CompanyRef | None) -> None:
        self.services.runner.run("Reading the companies", lambda _p: self.services.load_choices(),
                                 on_success=lambda found: self._show_choices(found, select))

    def _show_choices(self, choices: list[CompanyChoice], select: CompanyRef | None) -> None:
        self.companies.set_choices(choices)
        if not choices:
            self.select(None)
            return
        wanted = select or self.services.last_ref()
        if wanted is None and self.services.last_was_demo():
            wanted = next((c.ref for c in choices if c.ref.demo), None)
        row = self.companies.row_of(wanted)
        self.select(choices[row if row >= 0 else 0])

    def _on_company_activated(self, row: int) -> None:
        if 0 <= row < len(self.companies.choices):
            self.select(self.companies.choices[row])

    def select(self, choice: CompanyChoice | None) -> None:
        self.context = self.services.context(choice) if choice is not None else None
        self.pages.setCurrentIndex(0 if choice is None else 1)
        self.toolbar.setVisible(choice is not None)
        self.menuBar().actions()[1].setVisible(choice is not None)
        self.setup_action.setVisible(choice is not None)
        if choice is None:
            self.setWindowTitle(APP_NAME)
            self.status.show(None)
            return
        self.services.remember(choice.ref)
        self.switcher.setCurrentIndex(self.companies.row_of(choice.ref))
        self.setWindowTitle(f"{choice.label} — {APP_NAME}")
        for screen in self.screen_list:
            screen.context = None  # stale: loads when shown
        if self.sidebar.currentRow() < 0:
            self.sidebar.setCurrentRow(0)
        self._show_current_screen()
        self.status.show(self.context)
        self._status_timer.start()

    def refresh(self) -> None:
        if (current := self.current_screen()) is not None and self.context is not None:
            current.show_company(self.context)
        self.refresh_status()

    def refresh_status(self) -> None:
        self.status.refresh()

    def _on_connection_read(self, state: str) -> None:
        for screen in self.screen_list:
            if screen.context is self.context:
                screen.update_connection(state)

    def _on_notice_dismissed(self) -> None:
        self.status.acknowledge()
        if (current := self.current_screen()) is not None and current.title == "Home":
            self.refresh()

    def _on_company_changed(self) -> None:
        if self.context is not None:
            self.reload_companies(self.context.ref)

    # -- screens -------------------------------------------------------------------
    def current_screen(self) -> Screen | None:
        row = self.sidebar.currentRow()
        return self.screen_list[row] if row >= 0 else None

    def show_screen(self, title: str) -> None:
        titles = [s.title for s in self.screen_list]
        self.sidebar.setCurrentRow(titles.index(title))

    def _on_screen_chosen(self, row: int) -> None:
        if 0 <= row < len(self.screen_list):
            self.screens.setCurrentIndex(row)
            self._show_current_screen()

    def _show_current_screen(self) -> None:
        screen = self.current_screen()
        if screen is not None and self.context is not None and screen.context is not self.context:
            screen.show_company(self.context)
        self.notice.suppress(isinstance(screen, HomeScreen))
        if screen is not None and screen.title == "Error log" and self.context is not None:
            self.status.error_log_opened()  # the failures are in front of the bookkeeper

    # -- the setup wizard and the demo -------------------------------------------------
    def add_company(self) -> None:
        self.open_wizard(None, new=True)

    def open_wizard(self, page: str | None, *, new: bool = False) -> None:
        """The setup wizard for the company shown on ``page``, or for a new company."""
        if self.wizard is not None and self.wizard.isVisible():
            # One setup at a time: two wizards could save over each other's mapping.
            self.wizard.raise_()
            self.wizard.activateWindow()
            self.statusBar().showMessage("The setup wizard is already open: finish or "
                                         "cancel it first.", 10_000)
            return
        context = None if new else self.context
        self.wizard = self.services.open_wizard(self, context, page, self.reload_companies)

    def open_demo(self) -> None:
        self.welcome.set_busy("Opening the demo company (starting its simulator)…")

        def opened(ref: CompanyRef) -> None:
            self.welcome.set_busy("")
            self.reload_companies(ref)

        def failed(error: BaseException) -> None:
            self.welcome.set_busy("")
            self.welcome.status.setText(f"The demo company could not be opened: {error}")

        self.services.runner.run("Opening the demo company",
                                 lambda _p: self.services.prepare_demo(),
                                 on_success=opened, on_failure=failed)

    # -- window --------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)
        state = self._settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not may_close_now(self, self.services.quickbooks, self.close):
            event.ignore()
            return
        self._status_timer.stop()
        self.services.runner.cancel_all()
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.sync()
        super().closeEvent(event)
