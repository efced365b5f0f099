"""Progress and cancel for long work, shared by the core, the CLI and the GUI.

The poster and the importers are plain Python; they report through a callback and
check a cancel flag between steps. The GUI adapts these to Qt signals and the CLI to a
progress bar, so neither type may live in ``app/ui``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


class Cancelled(Exception):
    """Raised inside work when the user cancelled it.

    ``may_have_landed``: the cancel cut short the wait before sending a write again after
    an attempt whose outcome is unknown, so QuickBooks may hold it (in doubt, looked up
    by the next run). False: the write never reached QuickBooks (not sent).
    """

    may_have_landed: bool = False


class CancelToken:
    """A cancel flag that can also cut a wait short (a retry's back-off, a rate wait)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or raise ``Cancelled`` as soon as cancel is asked."""
        if self._event.wait(max(0.0, seconds)):
            raise Cancelled()


class Progress(CancelToken):
    """Handed to background work: report (done, total, label), check for cancel."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        super().__init__()
        self._report = report

    def report(self, done: int, total: int, label: str = "") -> None:
        self._report(done, total, label)


@dataclass(frozen=True)
class PostProgress:
    """Where a posting run stands: what the CLI bar and the GUI progress pane show."""

    done: int
    total: int
    current: str = ""  # the record being sent, in the bookkeeper's words
    rate_per_minute: float = 0.0
    seconds_left: float | None = None
    failed: int = 0

    @property
    def fraction(self) -> float:
        return 1.0 if self.total == 0 else self.done / self.total


def progress_text(progress: PostProgress) -> str:
    """"12 of 40 done · 96 a minute · about 20 s left" (the window's progress pane)."""
    parts = [f"{progress.done} of {progress.total} done"]
    if progress.failed:
        parts.append(f"{progress.failed} failed")
    if progress.rate_per_minute:
        parts.append(f"{progress.rate_per_minute:.0f} a minute")
    if progress.seconds_left:
        left = progress.seconds_left
        parts.append(f"about {left:.0f} s left" if left < 90 else
                     f"about {left / 60:.0f} min left")
    return " · ".join(parts)
