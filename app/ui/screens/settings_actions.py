"""What the Settings screen's buttons do: Disconnect, Resync, the client secret.

Each asks first, window-modally without blocking (``app/ui/confirm.py``), then runs the
core the CLI runs: ``app.sync.disconnecting.disconnect`` (the tokens forgotten and
revoked, every record kept), ``resync`` through the window's one write to QuickBooks
(its preview is resync's own, found by declining its question; the ledger is written
only if QuickBooks still holds what was shown), the secret into the keyring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from app.company_actions import preview_resync, replace_client_secret, resync_as_previewed
from app.resync import ResyncReport
from app.settings_view import SettingsView, resync_question, resync_result_text
from app.sync.disconnecting import Disconnected, disconnect
from app.ui.confirm import ask
from app.ui.quickbooks_work import QuickBooksJob
from app.ui.screens.secret_dialog import ClientSecretDialog
from app.ui.widgets import push_button, text_label
from app.ui.work_panel import WorkPanel
from app.work_problems import work_problem

if TYPE_CHECKING:
    from app.ui.screens.settings_screen import SettingsScreen


class SettingsActions(QObject):
    def __init__(self, screen: SettingsScreen) -> None:
        super().__init__(screen)
        self.screen = screen
        self.disconnect_button = push_button("Dis&connect…", self._on_disconnect_clicked,
                                             tooltip="…", enabled=False)
        self.secret_button = push_button("Replace client s&ecret…", self._on_secret_clicked,
                                         tooltip="…", enabled=False)
        self.resync_button = push_button("Re&sync…", self._on_resync_clicked, tooltip="…",
                                         enabled=False)
        self.progress = WorkPanel(screen.services.quickbooks)
        self.outcome = text_label()
        self.outcome.setObjectName("outcome")
        self.dialog: QDialog | None = None  # the open question or dialog
        self.view: SettingsView | None = None
        screen.services.quickbooks.started.connect(lambda _label: self.explain(self.view))
        screen.services.quickbooks.idle.connect(lambda: self.explain(self.view))

    def explain(self, view: SettingsView | None) -> None:
        """Enable what may be done now; say why not in each disabled button's tooltip."""
        self.view = view
        state = self.screen.connection_state
        work = self.screen.services.quickbooks
        connected = view is not None and view.company.realm_id is not None
        disconnect_why = ("Not connected to QuickBooks yet." if not connected else
                          "Already disconnected: Reconnect to sign in again."
                          if state == "disconnected" else "")
        resync_why = ("Connect to QuickBooks first." if not connected else
                      "QuickBooks needs you to sign in again: Reconnect first."
                      if state == "reauthorisation_needed" else
                      "Disconnected: Reconnect first." if state != "connected" else
                      f"Wait until \"{work.label}\" has finished." if work.running else "")
        if work.running and not disconnect_why:
            disconnect_why = f"Wait until \"{work.label}\" has finished."
        secret_why = view.can_replace_secret if view is not None else "…"
        for button, why, tooltip in (
                (self.disconnect_button, disconnect_why, "Forget and revoke the sign-in; "
                 "nothing is deleted, here or in QuickBooks"),
                (self.resync_button, resync_why, "Rebuild the ledger from QuickBooks (shows "
                 "what it found and asks first)"),
                (self.secret_button, secret_why, "Paste a new client secret for this Intuit "
                 "app (kept in the keyring only)")):
            button.setEnabled(view is not None and not why)
            button.setToolTip(why or tooltip)

    def _keep(self, dialog: QDialog) -> None:
        """The open question, for as long as it is open (it deletes itself on close)."""
        self.dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None)
                                if self.dialog is dialog else None)

    # -- Disconnect ----------------------------------------------------------------------
    def _on_disconnect_clicked(self) -> None:
        view = self.view
        if view is None:
            return
        self._keep(ask(
            self.screen.window(), "Disconnect from QuickBooks?",
            f"Disconnect {view.company.label} from QuickBooks?",
            "Ledgerbridge forgets the sign-in on this computer and tells QuickBooks to revoke "
            "it. Nothing is deleted: the data, the mapping, the runs and everything in "
            "QuickBooks stay. Reconnect later, then Resync, to continue where you stopped.",
            "&Disconnect", self._disconnect))

    def _disconnect(self) -> None:
        self.screen.load("Disconnecting from QuickBooks",
                         lambda c, _p: disconnect(c.database, c.company_id),
                         self._on_disconnected)

    def _on_disconnected(self, done: Disconnected) -> None:
        text = f"Disconnected from {done.company}. Nothing was deleted in QuickBooks."
        if done.warning:
            text += f" Note: {done.warning}"
        self.outcome.setText(text)
        self.screen.company_changed.emit()

    # -- Resync --------------------------------------------------------------------------
    def _on_resync_clicked(self) -> None:
        context = self.screen.context
        if context is None:
            return
        self.outcome.setText("")
        self._start(f"Checking QuickBooks for a resync of {context.label}",
                    lambda report, cancel: preview_resync(
                        context.database, context.company_id, context.data_dir, report, cancel),
                    self._ask_resync)

    def _ask_resync(self, found: ResyncReport) -> None:
        headline, details = resync_question(found)
        if not found.adopted and not found.gone:
            self.outcome.setText(headline)
            return
        self._keep(ask(self.screen.window(), "Write the ledger?", "Resync found records to "
                       "adopt.", headline, "&Write the ledger", lambda: self._resync(found),
                       details="\n".join(details)))

    def _resync(self, found: ResyncReport) -> None:
        context = self.screen.context
        if context is None:
            return
        self._start(f"Resyncing {context.label}",
                    lambda report, cancel: resync_as_previewed(
                        context.database, context.company_id, context.data_dir, found, report,
                        cancel),
                    lambda report: self._done(resync_result_text(report)))

    def _start(self, label: str, job: QuickBooksJob,
               on_finished: Callable[[ResyncReport], None]) -> None:
        started = self.progress.start(
            label, job, on_finished=on_finished, kind="resync",
            on_failed=lambda error: self._done(work_problem("Resync", error)),
            on_cancelled=lambda: self._done("Resync cancelled: the ledger was not written."))
        if not started:
            self.outcome.setText(f"Not started: \"{self.screen.services.quickbooks.label}\" is "
                                 "still running (one write to QuickBooks at a time).")

    def _done(self, text: str) -> None:
        self.outcome.setText(text)
        self.screen.reload()

    # -- the client secret ----------------------------------------------------------------
    def _on_secret_clicked(self) -> None:
        view = self.view
        if view is None:
            return
        dialog = ClientSecretDialog(self.screen.window(), view.client_id)
        dialog.chosen.connect(self._replace_secret)
        self._keep(dialog)
        dialog.open()

    def _replace_secret(self, secret: str) -> None:
        self.screen.load("Saving the client secret",
                         lambda c, _p: replace_client_secret(c.database, c.company_id, secret),
                         lambda client_id: self.outcome.setText(
                             f"The client secret of the Intuit app {client_id} was replaced in "
                             "the system keyring."))
