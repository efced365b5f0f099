"""A heartbeat on the GUI event loop: how long it ever waited between two beats.

A ``QTimer`` asks to beat every ``interval_ms``; when the loop is busy the next beat
comes late, and the gap minus the interval is the stall. Used by
``bench/gui_responsiveness.py`` and by the GUI tests that show the window stays usable
while it posts (SPEC §10: never more than 50 ms).
"""

from __future__ import annotations

import statistics
import time

from PySide6.QtCore import QTimer


class Heartbeat:
    def __init__(self, interval_ms: int = 5) -> None:
        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._beat)
        self.gaps: list[float] = []  # seconds between consecutive beats
        self._last: float | None = None

    @property
    def last_beat(self) -> float | None:
        """``time.perf_counter()`` of the latest beat."""
        return self._last

    def start(self) -> Heartbeat:
        """From now: what the caller does next on this thread counts as a stall too."""
        self.gaps, self._last = [], time.perf_counter()
        self.timer.start()
        return self

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps

    def _beat(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps.append(now - self._last)
        self._last = now

    @property
    def beats(self) -> int:
        return len(self.gaps)

    @property
    def longest_stall(self) -> float:
        """Seconds the loop kept a beat waiting beyond its interval (0 when never)."""
        return max((g - self.interval for g in self.gaps), default=0.0)

    @property
    def median_stall(self) -> float:
        return max(0.0, statistics.median(self.gaps) - self.interval) if self.gaps else 0.0

    def stalls_over(self, limit: float) -> int:
        """How many beats came more than ``limit`` seconds late."""
        return sum(1 for g in self.gaps if g - self.interval > limit)

    def percentile_stall(self, fraction: float) -> float:
        if not self.gaps:
            return 0.0
        ordered = sorted(self.gaps)
        return max(0.0, ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
                   - self.interval)
