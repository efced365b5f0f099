"""The base of every wizard page: a view over the shared state, valid when the rules say.

Picard's pattern: a page fills itself from the state when shown (``initializePage``),
writes the user's choices back as they are made, and lets Next through only when
``app.setup.rules`` finds no problem; the problems are shown under the page, so a
disabled Next always says why. Long work goes through ``run`` — the one background
helper, with a progress pane — and the page is not complete while it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget, QWizardPage

from app.progress import Progress
from app.setup import rules
from app.setup.pages import SUBTITLES, TITLES
from app.setup.services import SetupServices
from app.setup.state import SetupState

from .widgets import ProgressPane, note


class WizardContext:
    """What the pages share: the state (replaced once loaded) and the services."""

    def __init__(self, state: SetupState, services: SetupServices) -> None:
        self.state = state
        self.services = services
        self.ready = False


class SetupPage(QWizardPage):
    name = ""

    def __init__(self, context: WizardContext) -> None:
        super().__init__()
        self.context = context
        self.setTitle(TITLES[self.name])
        self.setSubTitle(SUBTITLES[self.name])
        self.setObjectName(f"page_{self.name}")
        self.body = QVBoxLayout()
        self.progress_pane = ProgressPane()
        self.problems_label: QLabel = note()
        self.problems_label.setObjectName("problems")
        self._running: list[Any] = []
        self._error = ""
        layout = QVBoxLayout(self)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.progress_pane)
        layout.addWidget(self.problems_label)

    @property
    def state(self) -> SetupState:
        return self.context.state

    @property
    def services(self) -> SetupServices:
        return self.context.services

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def isComplete(self) -> bool:
        return self.context.ready and not self.busy and rules.is_valid(self.state, self.name)

    def refresh(self) -> None:
        """Show why Next is disabled (if it is) and tell the wizard to look again."""
        found = rules.problems(self.state, self.name) if self.context.ready else []
        shown = [self._error] if self._error else []
        shown += [] if self.busy else found
        self.problems_label.setText(("To go on: " if not self._error and shown else "")
                                    + "\n".join(shown))
        self.problems_label.setVisible(bool(shown))
        self.completeChanged.emit()

    def run(self, work: Callable[[Progress], Any], label: str,
            on_success: Callable[[Any], None],
            on_failure: Callable[[BaseException], None] | None = None, *,
            cancellable: bool = False, on_cancelled: Callable[[], None] | None = None) -> Any:
        """Run ``work`` through the background helper, the page busy until it ends."""
        token = object()
        self._running.append(token)
        self._error = ""
        self.progress_pane.start(label, cancellable)
        self.refresh()

        def done() -> None:
            if token in self._running:
                self._running.remove(token)
            if not self._running:
                self.progress_pane.stop()

        def succeeded(result: Any) -> None:
            done()
            on_success(result)
            self.refresh()

        def failed(error: BaseException) -> None:
            done()
            (on_failure or self.show_error)(error)
            self.refresh()

        def cancelled() -> None:
            done()
            if on_cancelled is not None:
                on_cancelled()
            self.refresh()

        return self.services.runner.start(
            work, on_success=succeeded, on_failure=failed, on_cancelled=cancelled,
            on_progress=self.progress_pane.report)

    def show_error(self, error: BaseException) -> None:
        fix = getattr(error, "suggested_fix", "")
        self._error = f"{error}" + (f"\n{fix}" if fix else "")
        self.refresh()

    def tab_order(self, *widgets: QWidget) -> None:
        """Tab goes through ``widgets`` in this order (top to bottom, left to right)."""
        for first, second in pairwise(widgets):
            QWidget.setTabOrder(first, second)

    def shown(self) -> None:
        """The page became current (also when going Back to it): show the state as it is."""
        self.refresh()

    def state_loaded(self) -> None:
        """The wizard finished reading the company: fill the page again."""
        self.initializePage()
        self.refresh()
