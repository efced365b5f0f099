"""A screen's view of its write to QuickBooks: progress bar, current record, pace, Cancel.

The window runs one write at a time (``QuickBooksWork``); each screen that starts one
(Error log's Retry, Runs' Undo, Settings' Resync) shows its progress here, like a post:
the bar with counts, the record being sent, the rate and the time left, and Cancel,
which stops after the request in flight (what was not sent stays for the next post).
The panel answers only for work its own screen started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFrame, QGridLayout, QProgressBar, QWidget

from app.progress import PostProgress, progress_text
from app.ui.quickbooks_work import QuickBooksJob, QuickBooksWork
from app.ui.widgets import push_button, text_label

Done = Callable[[Any], None]


class WorkPanel(QFrame):
    def __init__(self, work: QuickBooksWork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.work = work
        self.title = text_label()
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setTextVisible(True)
        self.current = text_label()
        self.current.setAccessibleName("Current record")
        self.pace = text_label()
        self.cancel_button = push_button(
            "Cancel", self._on_cancel_clicked,
            tooltip="Stop after the request in flight; what was not sent stays pending and "
                    "the next post sends it")
        layout = QGridLayout(self)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.bar, 1, 0)
        layout.addWidget(self.cancel_button, 1, 1)
        layout.addWidget(self.current, 2, 0, 1, 2)
        layout.addWidget(self.pace, 3, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        self._callbacks: tuple[Done, Done, Callable[[], None]] | None = None
        work.progressed.connect(self._on_progressed)
        work.finished.connect(lambda result: self._end(0, result))
        work.failed.connect(lambda error: self._end(1, error))
        work.cancelled.connect(lambda: self._end(2, None))
        self.hide()

    @property
    def mine(self) -> bool:
        """Whether the work running now was started here."""
        return self._callbacks is not None

    def start(self, label: str, job: QuickBooksJob, *, on_finished: Done, on_failed: Done,
              on_cancelled: Callable[[], None], kind: str = "post") -> bool:
        """Start ``job``; False when another write to QuickBooks is running (nothing started)."""
        if self.work.running:
            return False
        self._callbacks = (on_finished, on_failed, on_cancelled)
        self.title.setText(f"{label}…")
        self.current.setText("Starting…")
        self.pace.setText("")
        self.bar.setRange(0, 0)  # busy until the work reports a total
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.show()
        if not self.work.start(label, job, kind):
            self._callbacks = None
            self.hide()
            return False
        return True

    def _on_progressed(self, progress: PostProgress) -> None:
        if not self.mine:
            return
        self.bar.setRange(0, max(progress.total, 0))
        self.bar.setValue(progress.done)
        self.bar.setFormat(f"{progress.done} / {progress.total}")
        self.current.setText(progress.current or "")
        self.pace.setText(progress_text(progress))

    def _on_cancel_clicked(self) -> None:
        self.work.cancel()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setToolTip("Stopping after the request in flight…")
        self.current.setText("Stopping after the request in flight…")

    def _end(self, which: int, value: Any) -> None:
        callbacks, self._callbacks = self._callbacks, None
        if callbacks is None:
            return
        self.hide()
        self.cancel_button.setToolTip("Stop after the request in flight; what was not sent "
                                      "stays pending and the next post sends it")
        on_finished, on_failed, on_cancelled = callbacks
        if which == 0:
            on_finished(value)
        elif which == 1:
            on_failed(value)
        else:
            on_cancelled()
