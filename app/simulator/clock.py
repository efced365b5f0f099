"""The sandbox's clock: wall time that can run faster (``--time-scale``) or be advanced.

Token lifetimes and throttling windows are measured on this clock, so a test can make a
one-hour access token expire in a second (time scale 3600) or jump past it at once
(``advance``) without sleeping, while a benchmark runs at QBO's true limits (scale 1).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime


class SandboxClock:
    def __init__(self, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.time_scale = float(time_scale)
        self._wall_start = time.time()
        self._mono_start = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Sandbox epoch seconds."""
        elapsed = (time.monotonic() - self._mono_start) * self.time_scale
        with self._lock:
            return self._wall_start + elapsed + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    def real_seconds(self, sandbox_seconds: float) -> float:
        """How long ``sandbox_seconds`` take on the wall clock."""
        return sandbox_seconds / self.time_scale

    def today(self) -> date:
        return datetime.fromtimestamp(self.now(), UTC).date()

    def iso_now(self) -> str:
        """QBO style timestamp with offset, e.g. ``2025-01-15T09:29:56.229+00:00``."""
        moment = datetime.fromtimestamp(self.now(), UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"

    def epoch_ms(self) -> int:
        return int(self.now() * 1000)
