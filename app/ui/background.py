"""The one way the GUI runs long work: on a worker thread, results back on the GUI thread.

Work functions receive a ``Progress`` (``app/progress.py``, shared with the core) to
report through and to check for cancellation between steps (cooperative: cancel stops
after the current step or request). Tests swap
the thread pool for ``SynchronousRunner`` so they are deterministic.

On quit (``shutdown``) the reads still running are cancelled and their answers dropped:
the window and its slots may already be gone, and a read that cannot be interrupted (the
reconciliation reading QuickBooks) must not keep the process alive; ``main`` leaves
without waiting for it (writes were stopped before, by the close-mid-run question).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.progress import Cancelled, Progress

log = logging.getLogger(__name__)


class _Signals(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Operation(QRunnable):
    """A unit of background work; connect to ``signals`` before starting it."""

    def __init__(self, work: Callable[[Progress], Any],
                 closed: threading.Event | None = None,
                 ended: Callable[[Operation], None] | None = None) -> None:
        super().__init__()
        self.signals = _Signals()
        self._closed = closed or threading.Event()  # set on quit: answers are dropped
        self._ended = ended
        self.progress = Progress(lambda *a: self._emit(self.signals.progressed, *a))
        self._work = work

    def run(self) -> None:
        try:
            self._run()
        finally:
            if self._ended is not None:
                self._ended(self)

    def _run(self) -> None:
        try:
            result = self._work(self.progress)
        except Cancelled:
            self._emit(self.signals.cancelled)
        except Exception as exc:  # reported to the GUI, which shows it
            if self._closed.is_set():
                log.debug("background operation ended after quit: %s", exc)
            elif getattr(exc, "suggested_fix", None) or isinstance(exc, ValueError):
                # A problem the user is told about with its fix: no traceback in the log.
                log.info("background operation stopped: %s", exc)
            else:
                log.exception("background operation failed")
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.succeeded, result)

    def _emit(self, signal: Any, *values: Any) -> None:
        """Emit unless the app is quitting: its receivers (and ``signals``) may be deleted."""
        if self._closed.is_set():
            return
        try:
            signal.emit(*values)
        except RuntimeError:  # the signals' object was deleted between the check and here
            if not self._closed.is_set():
                raise


class BackgroundRunner:
    """Starts operations on Qt's global thread pool."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._running: set[Operation] = set()

    def start(
        self,
        work: Callable[[Progress], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        before_start: Callable[[Operation], None] | None = None,
    ) -> Operation:
        operation = Operation(work, self._closed, self._operation_ended)
        with self._lock:
            self._running.add(operation)
        for signal, slot in (
            (operation.signals.succeeded, on_success),
            (operation.signals.failed, on_failure),
            (operation.signals.progressed, on_progress),
            (operation.signals.cancelled, on_cancelled),
        ):
            if slot is not None:
                signal.connect(slot)
        if before_start is not None:
            before_start(operation)
        self._submit(operation)
        return operation

    def _submit(self, operation: Operation) -> None:
        operation.setAutoDelete(False)  # the caller may still hold it to cancel
        self._pool.start(operation)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def shutdown(self, wait_s: float) -> bool:
        """Quit: cancel what runs, drop every later answer, wait at most ``wait_s``.

        True when nothing is left running; False when a read is still busy (the caller
        then leaves without it: a read holds nothing that needs finishing)."""
        self._closed.set()
        with self._lock:
            running = list(self._running)
        for operation in running:
            operation.progress.cancel()
        return self._pool.waitForDone(max(0, int(wait_s * 1000)))

    def _operation_ended(self, operation: Operation) -> None:
        with self._lock:
            self._running.discard(operation)


class SynchronousRunner(BackgroundRunner):
    """Runs work on the calling thread: for tests, where determinism beats realism."""

    def _submit(self, operation: Operation) -> None:
        operation.run()


__all__ = ["BackgroundRunner", "Cancelled", "Operation", "Progress", "SynchronousRunner"]
