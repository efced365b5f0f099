"""The one write to QuickBooks the window runs at a time: a post, a retry, an undo, a resync.

The core functions (``post_period``, ``retry_jobs``, ``undo_run``, ``resync``) take a
progress callback and a cancel token; this runs one of them on the background helper
and turns its ``PostProgress`` into a Qt signal, thinned to a few per second so a fast
poster never floods the event loop. One at a time per window: the posting lock would
stop a second one anyway, and a bookkeeper watching two progress bars for one company
is confused, not helped. Cancel is cooperative (the poster stops after the request in
flight; what was not sent stays pending and the next post resumes it).

Screens start work here and listen to ``progressed``/``finished``; the main window asks
before closing while ``running``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.progress import CancelToken, PostProgress
from app.ui.tasks import TaskRunner

# work(report_progress, cancel) -> result; runs on a worker thread.
QuickBooksJob = Callable[[Callable[[PostProgress], None], CancelToken], Any]
PROGRESS_INTERVAL_S = 0.1  # at most ten progress signals a second reach the window


class QuickBooksWork(QObject):
    started = Signal(str)  # the label ("Posting March 2025 (Riverside Swim)")
    progressed = Signal(object)  # PostProgress
    finished = Signal(object)  # the work's result (a PostReport, an UndoReport, …)
    failed = Signal(object)  # the exception; the screen that started it explains it
    cancelled = Signal()
    idle = Signal()  # after finished, failed or cancelled: nothing is running any more
    _relay = Signal(object)  # worker thread → GUI thread (queued: this object lives there)

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self._runner = runner
        self._cancel: CancelToken | None = None
        self.label = ""
        self.kind = ""  # "post", "undo", "retry", "resync" or "sync": how to word stopping it
        self.last_progress: PostProgress | None = None
        self._relay.connect(self._on_relay)

    @property
    def running(self) -> bool:
        return self._cancel is not None

    @property
    def cancelling(self) -> bool:
        return self._cancel is not None and self._cancel.cancelled

    def start(self, label: str, work: QuickBooksJob, kind: str = "post") -> bool:
        """Run ``work``; False (nothing started) while another write is running."""
        if self.running:
            return False
        cancel = CancelToken()
        self._cancel, self.label, self.last_progress = cancel, label, None
        self.kind = kind
        relay = _ThinnedProgress(self._progress_from_worker)

        def job(progress: Any) -> Any:
            # The runner's own cancel (status bar's Cancel) reaches the core's token too.
            result = work(relay, _Either(cancel, progress))
            relay.flush()
            return result

        self.started.emit(label)
        self._runner.run(label, job, on_success=self._succeeded, on_failure=self._failed,
                         on_cancelled=self._cancelled)
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()

    # -- results, on the GUI thread -------------------------------------------------------
    def _progress_from_worker(self, progress: PostProgress) -> None:
        self._relay.emit(progress)

    def _on_relay(self, progress: PostProgress) -> None:
        if self.running:
            self.last_progress = progress
            self.progressed.emit(progress)

    def _succeeded(self, result: Any) -> None:
        self._done()
        self.finished.emit(result)
        self.idle.emit()

    def _failed(self, error: BaseException) -> None:
        self._done()
        self.failed.emit(error)
        self.idle.emit()

    def _cancelled(self) -> None:
        self._done()
        self.cancelled.emit()
        self.idle.emit()

    def _done(self) -> None:
        self._cancel = None


class _ThinnedProgress:
    """Passes a progress on only every PROGRESS_INTERVAL_S, and always the last one."""

    def __init__(self, emit: Callable[[PostProgress], None]) -> None:
        self._emit = emit
        self._last = 0.0
        self._pending: PostProgress | None = None

    def __call__(self, progress: PostProgress) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL_S or progress.done >= progress.total:
            self._last, self._pending = now, None
            self._emit(progress)
        else:
            self._pending = progress

    def flush(self) -> None:
        if self._pending is not None:
            self._emit(self._pending)
            self._pending = None


class _Either(CancelToken):
    """Cancelled when either token is: the screen's Cancel or the status bar's."""

    def __init__(self, first: CancelToken, second: CancelToken) -> None:
        super().__init__()
        self._tokens = (first, second)

    @property
    def cancelled(self) -> bool:
        return any(t.cancelled for t in self._tokens)

    def check(self) -> None:
        for token in self._tokens:
            token.check()

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + max(0.0, seconds)
        while True:
            self.check()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._tokens[0].sleep(min(left, 0.05))
