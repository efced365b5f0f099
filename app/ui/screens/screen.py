"""What every screen of the sidebar shares: the company shown, and loading it in the background.

A screen is shown one company at a time (``show_company``); its data is read by a work
function on the runner and rendered only if that company is still the one shown, so a
slow load of one client can never paint over another's screen.

A screen loads once per company, so a write to QuickBooks finished anywhere (a post, a
retry, an undo, a resync) marks every screen stale: each reads its company again when it
is next shown, instead of showing what was true before until F5.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from app.progress import Progress
from app.ui.services import CompanyContext, Services
from app.ui.widgets import text_label


class Screen(QWidget):
    title = ""
    # The setup wizard's page to open for the company shown ("connect", "income", …).
    wizard_requested = Signal(str)
    navigate_requested = Signal(str)  # another screen's title
    refreshed = Signal()  # the screen's data was loaded and rendered
    company_changed = Signal()  # the company itself changed (disconnected): read it again

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.context: CompanyContext | None = None
        # The company's connection as last read (the window updates it after each check).
        self.connection_state = "disconnected"
        self.problem = text_label()
        self.problem.setObjectName("problem")
        self.problem.hide()
        self.stale = False  # a write ended since the company was read: read it when shown
        services.quickbooks.idle.connect(self._on_write_ended)

    def _on_write_ended(self) -> None:
        self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload_if_stale()

    def reload_if_stale(self) -> None:
        """Read the company again if a write ended since it was read (keeps what the
        bookkeeper was doing: ``reload``, not ``show_company``)."""
        if self.stale and self.context is not None:
            self.stale = False
            self.reload()

    def show_company(self, context: CompanyContext | None) -> None:
        self.stale = False
        self.context = context
        self.connection_state = context.entry.connection_state if context else "disconnected"
        self.problem.hide()
        self.clear()
        if context is not None:
            self.reload()

    def update_connection(self, state: str) -> None:
        """The company's connection changed (signed out, reconnected): override to react."""
        self.connection_state = state

    def reload(self) -> None:
        """Read the company's data again (override: call ``load``)."""

    def clear(self) -> None:
        """Forget what was shown (override), before another company's data arrives."""

    def load(self, label: str, work: Callable[[CompanyContext, Progress], Any],
             render: Callable[[Any], None]) -> None:
        context = self.context
        if context is None:
            return

        def rendered(result: Any) -> None:
            if context is self.context:  # still the company shown
                render(result)
                self.refreshed.emit()

        def failed(error: BaseException) -> None:
            if context is self.context:
                self.show_problem(f"{label} failed: {error}")

        self.services.runner.run(f"{label} ({context.label})",
                                 lambda progress: work(context, progress),
                                 on_success=rendered, on_failure=failed)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
