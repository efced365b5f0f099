"""Settings' Daily sync group: the sync source, the daily schedule, the last scheduled run,
and Sync now.

What it says and allows comes from ``app/daily_sync_view.py``; every action runs on the
worker (the scheduler is an operating-system command, the source a database write) and
the group shows the view and the sentence the action returns. Sync now runs the core of
``ledgerbridge sync`` through the window's one write to QuickBooks (the posting lock,
the question when the window closes mid-run), with its own progress; the status bar's
``CompanyStatus`` marks it seen, since its result is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.daily_sync.reports import SyncReport
from app.daily_sync.run import SyncOptions, sync_company
from app.daily_sync_view import (
    DailySyncView,
    forget_source,
    load_daily_sync,
    sync_result_text,
    turn_off,
    turn_on,
    use_source,
)
from app.ui.services import CompanyContext
from app.ui.widgets import choose_folder, plain, push_button, text_label
from app.ui.work_panel import WorkPanel
from app.work_problems import work_problem

if TYPE_CHECKING:
    from app.ui.screens.settings_screen import SettingsScreen

INTRO = ("Every day, Ledgerbridge can read the new exports from the sync source, post what "
         "is dated up to yesterday and file a report, without asking anything. When a "
         "scheduled sync fails or needs you, the app says so when it opens next.")


class DailySyncGroup(QGroupBox):
    def __init__(self, screen: SettingsScreen) -> None:
        super().__init__("Daily sync")
        self.settings = screen
        self.services = screen.services
        self.view: DailySyncView | None = None
        self.busy = False  # an action of this group is on the worker
        self.source = text_label()
        self.source.setAccessibleName("Sync source")
        self.folder_button = push_button("Choose &watch folder…", self._on_folder_clicked)
        self.api_sources = QComboBox()
        self.api_sources.setAccessibleName("API source")
        self.api_sources.setPlaceholderText("no API source saved")
        self.api_button = push_button("Use this A&PI source", self._on_api_clicked)
        self.clear_button = push_button("Clear the so&urce", self._on_clear_clicked)
        self.schedule = QCheckBox("Sync every da&y at")
        self.schedule.setAccessibleName(plain(self.schedule.text()))
        self.schedule.toggled.connect(self._on_schedule_toggled)
        self.at = QTimeEdit()
        self.at.setDisplayFormat("HH:mm")
        self.at.setAccessibleName("Time of the daily sync")
        self.at.timeChanged.connect(lambda _t: self.explain())
        self.move_button = push_button("&Move to this time", self._on_move_clicked)
        self.schedule_text = text_label()
        self.schedule_text.setObjectName("hint")
        self.last_run = text_label()
        self.last_run.setAccessibleName("Last scheduled run")
        self.sync_now_button = push_button("Sync &now", self._on_sync_now_clicked)
        self.progress = WorkPanel(self.services.quickbooks)
        self.outcome = text_label()
        self.outcome.setObjectName("outcome")
        self.outcome.setAccessibleName("Daily sync result")
        self.outcome.hide()
        self.file_dialog: QFileDialog | None = None
        self._build()
        self.services.quickbooks.started.connect(lambda _label: self.explain())
        self.services.quickbooks.idle.connect(self.explain)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = text_label(INTRO)
        intro.setObjectName("hint")
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("Sync source:", _column(self.source, _line(
            self.folder_button, self.api_sources, self.api_button, self.clear_button)))
        form.addRow("Schedule:", _column(_line(self.schedule, self.at, self.move_button),
                                         self.schedule_text))
        form.addRow("Last scheduled run:", self.last_run)
        layout.addLayout(form)
        layout.addLayout(_line(self.sync_now_button))
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)

    # -- showing ------------------------------------------------------------------------
    def clear(self) -> None:
        self.view = None
        for label in (self.source, self.schedule_text, self.last_run):
            label.setText("…")
        self._say("")
        self.explain()

    def reload(self) -> None:
        scheduler = self.services.scheduler
        self.settings.load("Reading the daily sync", lambda c, _p: load_daily_sync(
            c.database, c.paths, c.company_id, scheduler, demo=c.ref.demo), self.show_view)

    def show_view(self, view: DailySyncView) -> None:
        self.view = view
        self.source.setText(view.source_text)
        self.api_sources.clear()
        self.api_sources.addItems(view.api_sources)
        if view.source is not None and view.source.kind == "api":
            self.api_sources.setCurrentText(view.source.location)
        self.schedule.blockSignals(True)
        self.schedule.setChecked(view.on)
        self.schedule.blockSignals(False)
        self.at.setTime(QTime(view.at.hour, view.at.minute))
        self.schedule_text.setText(view.schedule_text)
        self.last_run.setText(view.last_run_text)
        self.explain()

    def explain(self) -> None:
        """Enable what may be done now; say why not in each disabled control's tooltip."""
        reasons = self._reasons(self.view)
        for control, tooltip in (
                (self.folder_button, "Read the exports your registration system saves into "
                 "a folder (each file once, sub-folders too)"),
                (self.api_sources, "A saved API source (`ledgerbridge source add`)"),
                (self.api_button, "Read the API source chosen beside this button at every "
                 "sync"),
                (self.clear_button, "Stop reading this source (files already read stay "
                 "imported)"),
                (self.schedule, "Run the sync every day on this computer's scheduler "
                 "(unticked: that task is removed)"),
                (self.at, "The time of day the sync runs (this computer's time)"),
                (self.move_button, "Run the daily sync at the time shown instead"),
                (self.sync_now_button, "Import from the sync source and post what is dated "
                 "up to yesterday, now, as the daily sync would")):
            why = reasons.get(control, "")
            control.setEnabled(not why)
            control.setToolTip(why or tooltip)

    def _reasons(self, view: DailySyncView | None) -> dict[QWidget, str]:
        """Why each control cannot be used now (absent: it can)."""
        controls: list[QWidget] = [self.folder_button, self.api_sources, self.api_button,
                                   self.clear_button, self.schedule, self.at,
                                   self.move_button, self.sync_now_button]
        if view is None or self.busy:
            wait = "…" if view is None else "Wait: the daily sync is being changed."
            return dict.fromkeys(controls, wait)
        work = self.services.quickbooks
        reasons: dict[QWidget, str] = {
            self.api_sources: view.api_blocked, self.api_button: view.api_blocked,
            self.clear_button: view.clear_blocked, self.schedule: view.schedule_blocked,
            self.at: view.schedule_blocked,
            self.sync_now_button: view.sync_now_blocked or (
                f"Wait until \"{work.label}\" has finished." if work.running else "")}
        if not view.on:
            reasons[self.move_button] = "The daily sync is off: tick \"Sync every day at\" " \
                                        "to turn it on at the time shown."
        elif self._chosen_at() == f"{view.at:%H:%M}":
            reasons[self.move_button] = "It runs at this time already: choose another first."
        return {control: why for control, why in reasons.items() if why}

    def _chosen_at(self) -> str:
        return self.at.time().toString("HH:mm")

    # -- the actions ----------------------------------------------------------------------
    def _act(self, label: str, action: Callable[[CompanyContext], Any]) -> None:
        """Run ``action`` on the worker; it returns the view to show and what happened."""
        context = self.settings.context
        if context is None:
            return
        self.busy = True
        self._say("")
        self.explain()

        def shown(result: tuple[DailySyncView, str]) -> None:
            self.busy = False
            if context is self.settings.context:  # still the company shown
                self.show_view(result[0])
                self._say(result[1])

        def failed(error: BaseException) -> None:
            self.busy = False
            if context is self.settings.context:
                self.settings.show_problem(f"{label} failed: {error}")
                self.explain()

        self.services.runner.run(f"{label} ({context.label})", lambda _p: action(context),
                                 on_success=shown, on_failure=failed)

    def _on_folder_clicked(self) -> None:
        view = self.view
        start = view.source.location if view and view.source and \
            view.source.kind == "folder" else None
        self.file_dialog = choose_folder(self.window(), "Choose the watch folder",
                                         self._use_folder, start)

    def _use_folder(self, folder: Path) -> None:
        scheduler = self.services.scheduler
        self._act("Choosing the watch folder", lambda c: use_source(
            c.database, c.paths, c.company_id, scheduler, "folder", folder, demo=c.ref.demo))

    def _on_api_clicked(self) -> None:
        name, scheduler = self.api_sources.currentText(), self.services.scheduler
        if name:
            self._act("Choosing the API source", lambda c: use_source(
                c.database, c.paths, c.company_id, scheduler, "api", name, demo=c.ref.demo))

    def _on_clear_clicked(self) -> None:
        scheduler = self.services.scheduler
        self._act("Clearing the sync source", lambda c: forget_source(
            c.database, c.paths, c.company_id, scheduler, demo=c.ref.demo))

    def _on_schedule_toggled(self, on: bool) -> None:
        if on:
            self._on_move_clicked()
            return
        scheduler = self.services.scheduler
        self._act("Turning the daily sync off", lambda c: turn_off(
            c.database, c.paths, c.company_id, scheduler, demo=c.ref.demo))

    def _on_move_clicked(self) -> None:
        at, scheduler = self.at.time(), self.services.scheduler
        chosen = time(at.hour(), at.minute())
        self._act("Scheduling the daily sync", lambda c: turn_on(
            c.database, c.paths, c.company_id, scheduler, chosen, demo=c.ref.demo))

    def _on_sync_now_clicked(self) -> None:
        context = self.settings.context
        if context is None:
            return
        self._say("")

        def job(progress: Any, cancel: Any) -> SyncReport:
            # The window's writes never wait for the lock (a scheduled sync running now
            # is said in the result, as the lock's message).
            options = SyncOptions(trigger="manual", wait=0.0, progress=progress,
                                  cancel=cancel)
            return sync_company(context.database, context.paths, context.company_id, options)

        started = self.progress.start(
            f"Syncing {context.label}", job, on_finished=self._on_synced, kind="sync",
            on_failed=lambda error: self._say(work_problem("Sync", error)),
            on_cancelled=lambda: self._say("Sync cancelled."))
        if not started:
            self._say(f"Not started: \"{self.services.quickbooks.label}\" is still "
                                 "running (one write to QuickBooks at a time).")

    def _say(self, text: str) -> None:
        """What an action did (hidden while there is nothing to say)."""
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    def _on_synced(self, report: SyncReport) -> None:
        self._say(sync_result_text(report))
        self.reload()


def _column(*parts: Any) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, QWidget):
            column.addWidget(part)
        else:
            column.addLayout(part)
    return column


def _line(*widgets: Any) -> QHBoxLayout:
    line = QHBoxLayout()
    for widget in widgets:
        line.addWidget(widget)
    line.addStretch(1)
    return line
