"""Long work as the window sees it: one runner, a label, progress, cancel, a busy count.

Wraps ``BackgroundRunner`` (the one background helper): every load, the demo's
preparation and a preview go through ``TaskRunner.run``, so the status bar's task
indicator shows whatever is running and offers Cancel. Results come back on the GUI
thread through the callbacks; failures without a handler are reported on ``failed``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.progress import Progress
from app.ui.background import BackgroundRunner, Operation


class TaskRunner(QObject):
    busy_changed = Signal(str)  # the label of the newest running task, "" when idle
    progressed = Signal(int, int, str)
    failed = Signal(str)  # a task failed and nobody handled it: this says what

    def __init__(self, runner: BackgroundRunner | None = None) -> None:
        super().__init__()
        self._runner = runner or BackgroundRunner()
        self._running: list[tuple[str, Operation]] = []

    @property
    def background(self) -> BackgroundRunner:
        """The helper itself, for work that shows its own progress (the setup wizard)."""
        return self._runner

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(self, label: str, work: Callable[[Progress], Any], *,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None,
            on_cancelled: Callable[[], None] | None = None) -> Operation:
        entry: list[tuple[str, Operation]] = []

        def finish() -> None:
            if entry and entry[0] in self._running:
                self._running.remove(entry[0])
            self.busy_changed.emit(self._running[-1][0] if self._running else "")

        def succeeded(result: Any) -> None:
            finish()
            if on_success is not None:
                on_success(result)

        def failed(error: BaseException) -> None:
            finish()
            if on_failure is not None:
                on_failure(error)
            else:
                self.failed.emit(f"{label} failed: {error}")

        def cancelled() -> None:
            finish()
            if on_cancelled is not None:
                on_cancelled()

        def progressed(done: int, total: int, text: str) -> None:
            self.progressed.emit(done, total, text or label)

        def register(operation: Operation) -> None:
            # Before it starts: a synchronous runner (tests) finishes inside ``start``.
            entry.append((label, operation))
            self._running.append(entry[0])

        self.busy_changed.emit(label)
        return self._runner.start(work, on_success=succeeded, on_failure=failed,
                                  on_progress=progressed, on_cancelled=cancelled,
                                  before_start=register)

    def shutdown(self, wait_s: float) -> bool:
        """On quit: no answer reaches the (closing) window any more; False while a read is
        still busy after ``wait_s`` (``main`` then leaves without it)."""
        self._running.clear()
        return self._runner.shutdown(wait_s)

    def cancel_all(self) -> None:
        """Cooperative: each task stops at its next check (after the current request)."""
        for _label, operation in list(self._running):
            operation.progress.cancel()
