"""The Monthly close's work: each read, import, check, export and the post itself, run in
the background for the company it was asked for.

Reads go through the window's one background helper (``services.runner``), the post
through the window's one write to QuickBooks (``services.quickbooks``). An answer is
written into that company's ``CloseFlow`` and drawn only if the company is still the one
shown: a post's progress and result can never appear on another company's screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from app.monthly_close.checking import check_period
from app.monthly_close.exports import preview_sheets, write_tables
from app.monthly_close.flow import CloseFlow
from app.monthly_close.importing import ImportRequest, import_exports
from app.monthly_close.outcome import (
    export_result,
    post_failure_text,
    post_month,
    reconcile_month,
)
from app.monthly_close.start import leftover, load_start, period_text
from app.posting import PostReport
from app.progress import PostProgress
from app.ui.services import CompanyContext, CompanyRef

if TYPE_CHECKING:
    from app.ui.screens.monthly_close_screen import MonthlyCloseScreen

Work = Callable[[CompanyContext, Any], Any]
EXPORT_FILTERS = {"csv": "CSV files (*.csv)", "xlsx": "Excel workbooks (*.xlsx)"}


class CloseWork(QObject):
    def __init__(self, screen: MonthlyCloseScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.services = screen.services
        self._importing: set[CompanyRef] = set()
        self._posting: CompanyContext | None = None  # the company whose post is running
        quickbooks = self.services.quickbooks
        quickbooks.progressed.connect(self._on_progress)
        quickbooks.finished.connect(self._on_finished)
        quickbooks.failed.connect(self._on_failed)
        quickbooks.cancelled.connect(self._on_cancelled)
        quickbooks.started.connect(lambda _label: self._post_button_again())
        quickbooks.idle.connect(self._post_button_again)

    # -- running, for one company -----------------------------------------------------------
    def run(self, label: str, work: Work, done: Callable[[CloseFlow, Any], None],
            failed: Callable[[CloseFlow, BaseException], None] | None = None,
            context: CompanyContext | None = None,
            redraw: Callable[[CloseFlow], bool] = lambda _f: True) -> None:
        context = context or self.screen.context
        if context is None:
            return
        ref, flow = context.ref, self.screen.flows.setdefault(context.ref, CloseFlow())

        def succeeded(result: Any) -> None:
            done(flow, result)
            if redraw(flow):
                self._redraw(ref)

        def went_wrong(error: BaseException) -> None:
            if failed is not None:
                failed(flow, error)
            if self.screen.showing(ref):
                self.screen.show_problem(f"{label} failed: {error}")
            self._redraw(ref)

        self.services.runner.run(f"{label} ({context.label})",
                                 lambda progress: work(context, progress),
                                 on_success=succeeded, on_failure=went_wrong)

    def _redraw(self, ref: CompanyRef) -> None:
        if self.screen.showing(ref):
            self.screen.show_flow()

    def _post_button_again(self) -> None:
        """Another screen's write began or ended: Post may be (un)available now."""
        flow = self.screen.flow
        if flow is not None and flow.step == "post":
            self.screen.post_page.show_flow(flow, self.other_write())

    def importing(self, context: CompanyContext | None) -> bool:
        return context is not None and context.ref in self._importing

    def other_write(self) -> str | None:
        """The label of a write to QuickBooks that is not the shown company's post."""
        quickbooks = self.services.quickbooks
        if not quickbooks.running:
            return None
        mine = self._posting is not None and self.screen.showing(self._posting.ref)
        return None if mine else quickbooks.label

    # -- the steps --------------------------------------------------------------------------
    def load_start(self, context: CompanyContext | None = None) -> None:
        context = context or self.screen.context

        def done(flow: CloseFlow, start: Any) -> None:
            if flow.started(start):  # the run on Result was undone: read QuickBooks again
                self.reconcile(context)
            self.screen.refreshed.emit()

        self.run("Opening the monthly close",
                 lambda c, _p: load_start(c.database, c.company_id, c.paths.config_dir),
                 done, context=context)

    def import_files(self, paths: tuple[Path, ...]) -> None:
        flow = self.screen.flow
        if flow is not None:
            self._import(flow.import_requested(
                paths, full=self.screen.import_page.full_export.isChecked()))

    def fetch_api(self) -> None:
        flow = self.screen.flow
        if flow is not None and flow.start is not None and flow.start.origin.api_name:
            self._import(flow.import_requested(
                api_name=flow.start.origin.api_name,
                full=self.screen.import_page.full_export.isChecked()))

    def _import(self, request: ImportRequest) -> None:
        context = self.screen.context
        if context is None or context.ref in self._importing:
            return
        self._importing.add(context.ref)
        self.screen.show_problem("")

        def done(flow: CloseFlow, outcome: Any) -> None:
            self._importing.discard(context.ref)
            flow.import_finished(outcome)
            if outcome.ok:
                self.load_start(context)  # the months and their counts changed

        self.run("Importing the exports",
                 lambda c, p: import_exports(c.database, c.company_id, c.paths.config_dir,
                                             request, p),
                 done, lambda _f, _e: self._importing.discard(context.ref))
        self.screen.show_flow()

    def check(self) -> None:
        flow = self.screen.flow
        if flow is None or flow.period is None or flow.checking:
            return
        period = flow.period
        flow.checking = True

        def done(flow: CloseFlow, check: Any) -> None:
            flow.checking = False
            if check.period == flow.period:  # not a period the bookkeeper has left
                flow.check = check

        def failed(flow: CloseFlow, _error: BaseException) -> None:
            flow.checking = False

        self.run("Checking against QuickBooks",
                 lambda c, p: check_period(c.database, c.company_id, c.data_dir, period, p),
                 done, failed)
        self.screen.show_flow()

    # -- the post -----------------------------------------------------------------------------
    def post(self) -> None:
        context, flow = self.screen.context, self.screen.flow
        if context is None or flow is None or flow.period is None:
            return
        why_not = flow.why_not_post(self.other_write())
        if why_not is not None:
            self.screen.show_problem(why_not)
            return
        period, choice, export_file = flow.period, flow.closed_choice, flow.export_file
        label = f"Posting {period_text(period)} for {context.label}"

        def job(report: Callable[[PostProgress], None], cancel: Any) -> PostReport:
            return post_month(context.database, context.company_id, context.data_dir, period,
                              choice, export_file, report, cancel)

        # Before starting: a synchronous runner (tests) reports and finishes inside start().
        self._posting = context
        flow.post_started()
        self.screen.show_problem("")
        self.screen.post_page.reset_cancel()
        self.screen.show_flow()
        if not self.services.quickbooks.start(label, job):  # another write began meanwhile
            self._posting = None
            flow.post_ended(None, f"{self.services.quickbooks.label} is running: one write "
                                  "to QuickBooks at a time. Post when it has finished.")
            self.screen.show_flow()

    def cancel_post(self) -> None:
        if self._posting is not None and self.screen.showing(self._posting.ref):
            self.services.quickbooks.cancel()
            self.screen.post_page.cancelling()

    def _posting_flow(self) -> tuple[CompanyContext, CloseFlow] | None:
        context = self._posting
        if context is None:
            return None  # another screen's write (a retry, an undo)
        return context, self.screen.flows.setdefault(context.ref, CloseFlow())

    def _on_progress(self, progress: PostProgress) -> None:
        if (posting := self._posting_flow()) is None:
            return
        context, flow = posting
        flow.progress = progress
        if self.screen.showing(context.ref):
            self.screen.post_page.pane.setVisible(True)
            self.screen.post_page.show_progress(progress)

    def _ended(self, report: PostReport | None, error: str | None = None) -> None:
        if (posting := self._posting_flow()) is None:
            return
        context, flow = posting
        self._posting = None
        flow.post_ended(report, error)
        self._redraw(context.ref)  # drawn first, while no worker competes for the GIL
        QTimer.singleShot(0, lambda: self._after_post(context, report))

    def _after_post(self, context: CompanyContext, report: PostReport | None) -> None:
        self.run("Reading what is left to send",  # the months' records did not change
                 lambda c, _p: leftover(c.database, c.company_id),
                 lambda f, left: f.leftover_changed(left), context=context,
                 redraw=lambda f: f.step in ("period", "post"))
        if report is not None and not report.stopping:
            self.reconcile(context)  # also when nothing was sent: QuickBooks is read itself

    def reconcile(self, context: CompanyContext | None = None) -> None:
        """Source beside QuickBooks for the period of the post shown."""
        context = context or self.screen.context
        flow = self.screen.flows.get(context.ref) if context is not None else None
        if flow is None or flow.report is None or flow.report.period is None:
            return
        period = flow.report.period
        flow.reconciliation, flow.reconcile_error = None, None

        def done(flow: CloseFlow, reconciliation: Any) -> None:
            flow.reconciliation = reconciliation

        def failed(flow: CloseFlow, error: BaseException) -> None:
            flow.reconcile_error = str(error)

        self.run("Reconciling with QuickBooks",
                 lambda c, _p: reconcile_month(c.database, c.company_id, c.data_dir, period),
                 done, failed, context=context)

    def _on_finished(self, result: Any) -> None:
        self._ended(result if isinstance(result, PostReport) else None)

    def _on_failed(self, error: BaseException) -> None:
        self._ended(None, post_failure_text(error))

    def _on_cancelled(self) -> None:
        self._ended(None, "Cancelled before anything was sent (while checking QuickBooks "
                          "and planning). Post again when ready.")

    # -- exports --------------------------------------------------------------------------
    def export_preview(self, kind: str) -> None:
        flow = self.screen.flow
        if flow is None or flow.check is None or flow.period is None:
            return
        preview, names = flow.check.preview, flow.check.tree.names
        path = self.screen.save_as(self.screen, "Export the preview",
                                   f"preview-{flow.period.start}.{kind}", EXPORT_FILTERS[kind])
        if path is not None:
            self.run("Exporting the preview",
                     lambda _c, _p: write_tables(path, preview_sheets(preview, names)),
                     lambda _f, _r: self.screen.show_note(f"The preview was written to {path}."))

    def export_result(self) -> None:
        flow = self.screen.flow
        if flow is None or flow.report is None:
            return
        report, reconciliation = flow.report, flow.reconciliation
        path = self.screen.save_as(self.screen, "Export the result and the manifest",
                                   f"close-run-{report.run_id or 'none'}.xlsx",
                                   f"{EXPORT_FILTERS['xlsx']};;{EXPORT_FILTERS['csv']}")
        if path is not None:
            self.run("Exporting the result",
                     lambda c, _p: export_result(path, c.database, c.company_id, report,
                                                 reconciliation),
                     lambda _f, _r: self.screen.show_note(f"The result was written to {path}."))
