"""The window's frame kept true to the company shown: connection light, banner, badge, notice.

One read (``load_dashboard`` and ``load_notice``) refreshes all four, when a company is
shown, every minute, and after every write to QuickBooks (a retry changes the failed
badge, an expired sign-in the banner). What the bookkeeper has seen of the failures is
remembered here: the notice dismissed or its Error log opened, and the runs watched in
this window (their result was on screen).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar

from app.dashboard import Dashboard, banner_for, health, load_dashboard
from app.notifications import Notice, acknowledge, load_notice, mark_all_seen, mark_watched
from app.ui.notice_bar import NoticeBar
from app.ui.services import CompanyContext, Services
from app.ui.shell_widgets import BannerBar, ConnectionIndicator, FailedBadge, TaskIndicator


class CompanyStatus(QObject):
    connection_read = Signal(str)  # the company's connection state, as just read

    def __init__(self, services: Services, banner: BannerBar, notice: NoticeBar) -> None:
        super().__init__()
        self.services = services
        self.banner, self.notice = banner, notice
        self.connection = ConnectionIndicator()
        self.tasks = TaskIndicator(services.runner)
        self.badge = FailedBadge()
        self.context: CompanyContext | None = None
        self._remembering = 0  # refreshes wait for what is being remembered
        services.quickbooks.finished.connect(self.watched)
        services.quickbooks.idle.connect(self.refresh)

    def install(self, bar: QStatusBar) -> None:
        """The connection light, the running work and the failed badge in the status bar."""
        bar.addWidget(self.connection)
        bar.addPermanentWidget(self.tasks)
        bar.addPermanentWidget(self.badge)
        self.services.runner.failed.connect(lambda text: bar.showMessage(text, 15_000))

    def show(self, context: CompanyContext | None) -> None:
        self.context = context
        if context is None:
            self.connection.show_health("", "")
            self.banner.show_banner(None)
            self.badge.set_count(0)
            self.notice.show_notice(None)
            return
        self.banner.show_banner(banner_for(context.entry))
        self.refresh()

    def refresh(self) -> None:
        context = self.context
        if context is None or self._remembering:
            return  # a refresh follows what is being remembered

        def read(_progress: Any) -> tuple[Dashboard, Notice | None]:
            return (load_dashboard(context.database, context.company_id),
                    load_notice(context.database, context.company_id,
                                context.paths.config_dir))

        def show(found: tuple[Dashboard, Notice | None]) -> None:
            if context is not self.context:
                return
            board, notice = found
            self.connection.show_health(board.connection, health(board.company))
            self.banner.show_banner(board.banner)
            self.badge.set_count(board.failed_jobs)
            self.notice.show_notice(notice)
            self.connection_read.emit(board.company.connection_state)

        self.services.runner.run("Checking the company", read, on_success=show)

    def acknowledge(self) -> None:
        """The notice was dismissed: its failures are seen."""
        notice = self.notice.notice
        if notice is not None:
            self.notice.show_notice(None)
            self._remember(lambda c: acknowledge(c.paths.config_dir, c.company_id, notice))

    def error_log_opened(self) -> None:
        self.notice.show_notice(None)
        self._remember(lambda c: mark_all_seen(c.database, c.company_id, c.paths.config_dir))

    def watched(self, result: Any) -> None:
        """A write started in this window finished: its run's failures were on screen."""
        run_id = getattr(result, "run_id", None)
        if isinstance(run_id, int):
            self._remember(lambda c: mark_watched(c.database, c.company_id,
                                                  c.paths.config_dir, run_id))

    def _remember(self, work: Any) -> None:
        context = self.context
        if context is None:
            return
        self._remembering += 1

        def done(_result: Any = None) -> None:
            self._remembering -= 1
            self.refresh()

        self.services.runner.run("Remembering what you have seen", lambda _p: work(context),
                                 on_success=done, on_failure=lambda _e: done())
