"""The one way the GUI runs long work: on a worker thread, results back on the GUI thread.

Work functions receive a ``Progress`` (``app/progress.py``, shared with the core) to
report through and to check for cancellation between steps (cooperative: cancel stops
after the current step or request). Tests swap
the thread pool for ``SynchronousRunner`` so they are deterministic.
"""

from __future__ import annotations

import logging
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

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self.progress = Progress(self.signals.progressed.emit)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # reported to the GUI, which shows it
            if getattr(exc, "suggested_fix", None) or isinstance(exc, ValueError):
                # A problem the user is told about with its fix: no traceback in the log.
                log.info("background operation stopped: %s", exc)
            else:
                log.exception("background operation failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


class BackgroundRunner:
    """Starts operations on Qt's global thread pool."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()

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
        operation = Operation(work)
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


class SynchronousRunner(BackgroundRunner):
    """Runs work on the calling thread: for tests, where determinism beats realism."""

    def _submit(self, operation: Operation) -> None:
        operation.run()


__all__ = ["BackgroundRunner", "Cancelled", "Operation", "Progress", "SynchronousRunner"]
