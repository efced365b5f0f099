"""Closing the window while QuickBooks is being written to: ask first, then stop cleanly.

A post cancelled here stops after the request in flight; nothing is half-written (the
job rows own each request) and the next post resumes what was not sent. So the only
question is whether the bookkeeper wants to wait for the run or stop it now.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.quickbooks_work import QuickBooksWork

# ask(parent, label) -> True to stop the work and close, False to keep working.
Ask = Callable[[QWidget, str], bool]


def may_close_now(parent: QWidget, work: QuickBooksWork, close_again: Callable[[], object],
                  ask: Ask | None = None) -> bool:
    """True when nothing is being written; otherwise ask, and close once it has stopped."""
    if not work.running:
        return True
    if work.cancelling:
        return False  # already stopping: the window closes by itself when it has
    if (ask or ask_to_stop)(parent, work.label):
        work.idle.connect(close_again, Qt.ConnectionType.SingleShotConnection)
        work.cancel()
    return False


def ask_to_stop(parent: QWidget, label: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "Stop and quit?",
                      f"{label} is still running.", parent=parent)
    box.setInformativeText(
        "Stop it and quit: Ledgerbridge finishes the request in flight, then closes; "
        "what was not sent stays pending and the next Post sends it. Nothing is lost.")
    stop = box.addButton("&Stop and quit", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("&Keep working", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is stop
