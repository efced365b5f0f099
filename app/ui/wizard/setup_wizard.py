"""The setup wizard: a QWizard whose pages are views over one ``SetupState``.

Navigation is the core's (``rules.next_page``); Finish saves once through
``app.setup.finish`` in the background. The wizard is not modal: the main window stays
usable while it is open, and the shell hears ``setup_finished(company_id)``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget, QWizard

from app.setup import rules
from app.setup.chart import Chart
from app.setup.finish import Finished, finish
from app.setup.loading import load_state, read_chart
from app.setup.pages import PAGES, check_page
from app.setup.services import SetupServices
from app.setup.state import SetupState

from .connect_page import ConnectPage
from .data_source_page import DataSourcePage
from .go_live_page import GoLivePage
from .mapping_page import ClassesPage, IncomePage, SpecialAccountsPage, TaxPage, TendersPage
from .page_base import SetupPage, WizardContext
from .style_page import StylePage
from .summary_page import SummaryPage
from .widgets import plain

PAGE_CLASSES: dict[str, type[SetupPage]] = {
    "connect": ConnectPage, "data_source": DataSourcePage, "style": StylePage,
    "income": IncomePage, "classes": ClassesPage, "tenders": TendersPage, "tax": TaxPage,
    "special_accounts": SpecialAccountsPage, "go_live": GoLivePage, "summary": SummaryPage,
}
BUTTONS = (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
           QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)


class SetupWizard(QWizard):
    setup_finished = Signal(int)  # the company id, once everything is saved

    def __init__(self, services: SetupServices, company_id: int | None = None,
                 page: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowTitle("Change the setup" if page else
                            "Set up a company" if company_id is None else "Company setup")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.context = WizardContext(SetupState(only_page=page), services)
        self.company_id = company_id
        self.finished_result: Finished | None = None
        self._finishing = False
        self._answers_at_start: tuple[object, ...] | None = None
        self.discard_question: QMessageBox | None = None
        self.pages: dict[str, SetupPage] = {}
        for name in (check_page(page),) if page else PAGES:
            self.pages[name] = PAGE_CLASSES[name](self.context)
            self.setPage(PAGES.index(name), self.pages[name])
        self.setStartId(PAGES.index(page) if page else 0)
        self._name_buttons()
        self.currentIdChanged.connect(self._on_current_changed)
        height = self.fontMetrics().height()
        self.resize(height * 60, height * 44)
        self._load()

    def _name_buttons(self) -> None:
        for which in BUTTONS:
            found: QAbstractButton = self.button(which)
            found.setAccessibleName(plain(found.text()).replace(" >", "").replace("< ", ""))

    def _on_current_changed(self, _page_id: int) -> None:
        self._name_buttons()
        page = self.currentPage()
        if isinstance(page, SetupPage):
            page.shown()

    @property
    def state(self) -> SetupState:
        return self.context.state

    def page_named(self, name: str) -> SetupPage:
        return self.pages[name]

    def nextId(self) -> int:
        current = self.currentId()
        if current < 0:
            return -1
        following = rules.next_page(self.state, PAGES[current])
        return PAGES.index(following) if following else -1

    # --- loading the company -----------------------------------------------------------------

    def _first_page(self) -> SetupPage:
        return self.pages[self.state.pages[0]]

    def _load(self) -> None:
        services, company_id, page = self.context.services, self.company_id, self.state.only_page
        self._first_page().run(lambda p: load_state(services, company_id, page, p),
                               "Reading the company…", self._loaded)

    def _loaded(self, state: SetupState) -> None:
        self.context.state = state
        self.context.ready = True
        self._answers_at_start = state.answers()
        if state.company is not None and state.company.connected:
            services, company_id = self.context.services, state.company.company_id
            self._first_page().run(lambda p: read_chart(services, company_id, p),
                                   "Reading the chart of accounts…", self._chart_read,
                                   on_failure=self._chart_failed)
        self._reload_pages()

    def _chart_read(self, chart: Chart) -> None:
        self.state.apply_chart(chart)
        self._reload_pages()

    def _chart_failed(self, error: BaseException) -> None:
        self.state.chart_error = str(error)
        self._reload_pages()

    def _reload_pages(self) -> None:
        current = self.currentPage()
        if isinstance(current, SetupPage):
            current.state_loaded()

    # --- finishing ---------------------------------------------------------------------------

    def accept(self) -> None:
        """Save everything once (in the background); close when it is saved."""
        if self._finishing:
            return
        page = self.currentPage()
        assert isinstance(page, SetupPage)
        self._finishing = True
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)  # saving: no undo
        services, state = self.context.services, self.state
        page.run(lambda p: finish(services, state, p), "Saving…", self._saved,
                 on_failure=self._save_failed)

    def _saved(self, result: Finished) -> None:
        self._finishing = False
        self.finished_result = result
        self.setup_finished.emit(result.company_id)
        super().accept()

    def _save_failed(self, error: BaseException) -> None:
        self._finishing = False
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        page = self.currentPage()
        if isinstance(page, SetupPage):
            page.show_error(error)

    def reject(self) -> None:
        """Cancel, Escape or the close box: ask first when something was answered."""
        if self._finishing:
            return  # the save is under way: it finishes, then the wizard closes
        if self.context.ready and self._answers_at_start != self.state.answers():
            self._ask_to_discard()
            return
        self.discard()

    def _ask_to_discard(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Discard this setup?",
                          "Close the wizard and forget what was entered in it? Nothing "
                          "has been saved yet.", parent=self)
        discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setWindowModality(Qt.WindowModality.WindowModal)  # this wizard only
        box.finished.connect(lambda _r: self._discard_if(box.clickedButton() is discard))
        self.discard_question = box
        box.open()

    def _discard_if(self, chosen: bool) -> None:
        if chosen:
            self.discard()

    def discard(self) -> None:
        """Close without saving (stops any wait for the browser first)."""
        for page in self.pages.values():
            cancel: Any = getattr(page, "cancel_work", None)
            if cancel is not None:
                cancel()
        super().reject()
