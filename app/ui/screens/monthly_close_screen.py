"""Monthly close: one guided screen — period, import, pre-flight, preview, post, result.

The steps and their rules are ``app.monthly_close.flow.CloseFlow`` (plain Python), one
per company and kept while the window is open; each page renders it. Reads and plans
run on the background helper (``close_work.CloseWork``), the post on the window's one
write to QuickBooks (``services.quickbooks``); every answer is written into the flow
of the company it was asked for and drawn only if that company is still shown, so
another company's screen never shows this run.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from app.monthly_close.fixes import Problem
from app.monthly_close.flow import STEPS, TITLES, CloseFlow
from app.monthly_close.start import period_text
from app.ui.screens.close_import_page import ImportPage
from app.ui.screens.close_period_page import PeriodPage
from app.ui.screens.close_post_page import PostPage
from app.ui.screens.close_preflight_page import PreflightPage
from app.ui.screens.close_preview_page import PreviewPage
from app.ui.screens.close_result_page import ResultPage
from app.ui.screens.close_widgets import save_file_name, scrolled, set_text
from app.ui.screens.close_work import CloseWork
from app.ui.screens.screen import Screen
from app.ui.services import CompanyRef, Services
from app.ui.widgets import push_button, text_label, title_label


class MonthlyCloseScreen(Screen):
    title = "Monthly close"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.flows: dict[CompanyRef, CloseFlow] = {}
        self.work = CloseWork(self)
        self.heading = title_label("Monthly close")
        self.period_page, self.import_page = PeriodPage(), ImportPage()
        self.preflight_page, self.preview_page = PreflightPage(), PreviewPage()
        self.post_page, self.result_page = PostPage(), ResultPage()
        self.pages = {"period": self.period_page, "import": self.import_page,
                      "preflight": self.preflight_page, "preview": self.preview_page,
                      "post": self.post_page, "result": self.result_page}
        self.steps = QTabWidget()
        self.steps.setAccessibleName("Steps of the close")
        self.steps.tabBar().setAccessibleName("Steps of the close")
        for number, step in enumerate(STEPS, start=1):
            self.steps.addTab(scrolled(self.pages[step]), f"{number}. {TITLES[step]}")
        self.steps.currentChanged.connect(self._on_tab_changed)
        self.back_button = push_button("&Back", self._on_back_clicked,
                                       tooltip="The step before")
        self.next_button = push_button("&Next", self._on_next_clicked,
                                       tooltip="The next step")
        self.save_as = save_file_name  # tests replace the file chooser
        self.note = text_label()
        self.note.setObjectName("hint")
        self._connect_pages()
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addWidget(self.note, 1)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.problem)
        layout.addLayout(nav)
        self._rendering = False

    def _connect_pages(self) -> None:
        self.period_page.period_chosen.connect(
            lambda period: self._change(lambda f: f.choose_period(period)))
        self.import_page.files_chosen.connect(lambda paths: self.work.import_files(paths))
        self.import_page.fetch_requested.connect(self.work.fetch_api)
        self.preflight_page.recheck_requested.connect(self.work.check)
        self.preflight_page.fix_requested.connect(self._on_fix_requested)
        self.preflight_page.closed_choice_changed.connect(self._on_closed_choice)
        self.preview_page.export_requested.connect(self.work.export_preview)
        self.post_page.post_requested.connect(self.work.post)
        self.post_page.cancel_requested.connect(self.work.cancel_post)
        self.result_page.export_requested.connect(self.work.export_result)
        self.result_page.reconcile_requested.connect(self.work.reconcile)
        self.result_page.error_log_requested.connect(
            lambda: self.navigate_requested.emit("Error log"))
        self.result_page.next_month_requested.connect(self._on_next_month)

    # -- the company shown --------------------------------------------------------------
    @property
    def flow(self) -> CloseFlow | None:
        if self.context is None:
            return None
        return self.flows.setdefault(self.context.ref, CloseFlow())

    def showing(self, ref: CompanyRef) -> bool:
        return self.context is not None and self.context.ref == ref

    def clear(self) -> None:
        self.heading.setText("Monthly close")
        self.note.setText("")
        self.show_flow()

    def show_note(self, text: str) -> None:
        self.note.setText(text)

    def reload(self) -> None:
        self.work.load_start()

    def reload_if_stale(self) -> None:
        """After a write elsewhere (an undo, a retry): the months and what is left to send
        are read again, and a preview on view is checked again, since QuickBooks changed;
        the step in progress stays where it is."""
        flow = self.flow
        recheck = (self.stale and flow is not None and flow.check is not None
                   and not flow.posting and flow.step in ("preflight", "preview", "post"))
        super().reload_if_stale()
        if recheck:
            self.work.check()

    def show_flow(self) -> None:
        """Draw the flow of the company shown (all of it: pages are cheap to fill)."""
        flow = self.flow
        if flow is None:
            return
        self._rendering = True
        period = flow.period
        self.heading.setText("Monthly close" + (f": {period_text(period)}" if period else ""))
        for index, step in enumerate(STEPS):
            why_not = flow.why_not(step)
            self.steps.setTabEnabled(index, why_not is None)
            self.steps.setTabToolTip(index, why_not or "")
            self.steps.setTabText(index, f"{index + 1}. {TITLES[step]}{flow.mark(step)}")
        self.steps.setCurrentIndex(STEPS.index(flow.step))
        self._show_page(flow)  # only the step on view: the others are drawn when opened
        self._render_nav(flow)
        self._rendering = False

    def _show_page(self, flow: CloseFlow) -> None:
        step = flow.step
        if step == "period":
            self.period_page.show_flow(flow)
        elif step == "import":
            self.import_page.show_flow(flow, self.work.importing(self.context))
        elif step == "preflight":
            self.preflight_page.show_flow(flow)
        elif step == "preview":
            self.preview_page.show_flow(flow)
        elif step == "post":
            self.post_page.show_flow(flow, self.work.other_write())
        else:
            self.result_page.show_flow(flow)

    def _render_nav(self, flow: CloseFlow) -> None:
        following = flow.next_step()
        why_not = flow.why_not(following) if following else None
        set_text(self.next_button, f"&{flow.next_text()}", why_not or "The next step")
        self.next_button.setVisible(following is not None)
        self.next_button.setEnabled(following is not None and why_not is None)
        self.back_button.setEnabled(flow.previous_step() is not None)

    # -- navigation -----------------------------------------------------------------------
    def _change(self, change: object) -> None:
        flow = self.flow
        if flow is not None and callable(change):
            change(flow)
            self.show_flow()

    def go(self, step: str) -> None:
        flow = self.flow
        if flow is None:
            return
        if step != flow.step:
            self.note.setText("")  # "The preview was written to …" belongs to its step
        flow.go(step)
        if flow.step == "preflight" and flow.check is None and not flow.checking:
            self.work.check()
        self.show_flow()

    def _on_tab_changed(self, index: int) -> None:
        if not self._rendering and 0 <= index < len(STEPS):
            self.go(STEPS[index])

    def _on_next_clicked(self) -> None:
        flow = self.flow
        if flow is not None and (following := flow.next_step()) is not None:
            self.go(following)

    def _on_back_clicked(self) -> None:
        flow = self.flow
        if flow is not None and (before := flow.previous_step()) is not None:
            self.go(before)

    def _on_fix_requested(self, problem: Problem) -> None:
        action = problem.action
        if action.kind in ("wizard", "reconnect") and action.page:
            self.wizard_requested.emit(action.page)
        elif action.kind == "import":
            self.go("import")
        elif action.kind == "closed_period":
            self.preflight_page.choices["hold"].setFocus()

    def _on_closed_choice(self, choice: str, export_file: object) -> None:
        def change(flow: CloseFlow) -> None:
            flow.closed_choice = choice
            flow.export_file = export_file  # type: ignore[assignment]
        self._change(change)

    def _on_next_month(self) -> None:
        if self.context is not None:
            self.flows[self.context.ref] = CloseFlow()
            self.show_flow()
            self.work.load_start()
