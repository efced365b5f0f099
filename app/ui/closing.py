"""Closing the window while QuickBooks is being written to: ask first, then stop cleanly.

Work stopped here sends nothing more once the request QuickBooks is answering is back;
nothing is half-written (the job rows own each request). What finishes the rest depends
on the work: the next Post for a post, Undo again for an undo (a Post never does), Retry
for a retry, so the question says which.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.quickbooks_work import QuickBooksWork

# ask(parent, label) -> True to stop the work and close, False to keep working.
Ask = Callable[[QWidget, str], bool]
# What is left after stopping each kind of work, and what finishes it.
AFTER_STOPPING = {
    "post": "what was not sent stays pending and the next Post sends it",
    "undo": "the records not undone yet stay in QuickBooks; to finish, open Runs, select "
            "the run being undone and choose Undo this run again (a Post does not finish it)",
    "retry": "what was not retried stays in the Error log: select it and Retry again",
    "resync": "the ledger is not written; Settings → Resync reads QuickBooks again",
    "sync": "what was not sent stays pending and the next sync (or Post) sends it",
}


def may_close_now(parent: QWidget, work: QuickBooksWork, close_again: Callable[[], object],
                  ask: Ask | None = None) -> bool:
    """True when nothing is being written; otherwise ask, and close once it has stopped."""
    if not work.running:
        return True
    if work.cancelling:
        return False  # already stopping: the window closes by itself when it has
    if (ask or ask_to_stop)(parent, stop_question(work.label, work.kind)):
        work.idle.connect(close_again, Qt.ConnectionType.SingleShotConnection)
        work.cancel()
    return False


def stop_question(label: str, kind: str) -> str:
    """The question's text, worded for the kind of work that is running."""
    after = AFTER_STOPPING.get(kind, AFTER_STOPPING["post"])
    return (f"{label} is still running.\n\nStop it and quit: Ledgerbridge sends nothing "
            f"more, waits for the answer to the request already out, then closes; {after}. "
            "Nothing is lost.")


def ask_to_stop(parent: QWidget, question: str) -> bool:
    running, _, informative = question.partition("\n\n")
    box = QMessageBox(QMessageBox.Icon.Question, "Stop and quit?", running, parent=parent)
    box.setInformativeText(informative)
    stop = box.addButton("&Stop and quit", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("&Keep working", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is stop
