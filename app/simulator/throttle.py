"""QBO's throttles (notes §3): 500 requests/minute/realm, 10 concurrent, 40 batches/minute.

Windows are one minute of sandbox time, so ``--time-scale 60`` makes the window one
wall-clock second while the counts stay QBO's. Requests refused with 429 do not count.
Intuit's current page also states 10 requests/second per realm and app; that rule is off
by default (the issue asks for the concurrency rule) and can be switched on with
``Limits(per_second=10)``.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from app.simulator.clock import SandboxClock

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Limits:
    per_minute: int = 500
    concurrent: int = 10
    batch_per_minute: int = 40
    per_second: int | None = None


class Throttle:
    def __init__(self, clock: SandboxClock, limits: Limits | None = None) -> None:
        self.clock = clock
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._recent: dict[str, deque[float]] = {}
        self._batches: dict[str, deque[float]] = {}
        self._inflight: dict[str, int] = {}
        self._last_second: dict[str, deque[float]] = {}

    def enter(self, realm: str, is_batch: bool) -> bool:
        """Admit a request (True) or refuse it (False -> 429). Pair with ``leave``."""
        now = self.clock.now()
        with self._lock:
            recent = self._trim(self._recent.setdefault(realm, deque()), now)
            batches = self._trim(self._batches.setdefault(realm, deque()), now)
            second = self._trim(self._last_second.setdefault(realm, deque()), now, 1.0)
            per_second = self.limits.per_second
            if (len(recent) >= self.limits.per_minute
                    or self._inflight.get(realm, 0) >= self.limits.concurrent
                    or (is_batch and len(batches) >= self.limits.batch_per_minute)
                    or (per_second is not None and len(second) >= per_second)):
                return False
            recent.append(now)
            second.append(now)
            if is_batch:
                batches.append(now)
            self._inflight[realm] = self._inflight.get(realm, 0) + 1
            return True

    def leave(self, realm: str) -> None:
        with self._lock:
            self._inflight[realm] = max(0, self._inflight.get(realm, 0) - 1)

    def reset(self) -> None:
        with self._lock:
            self._recent.clear()
            self._batches.clear()
            self._last_second.clear()

    @staticmethod
    def _trim(times: deque[float], now: float, window: float = WINDOW_SECONDS
              ) -> deque[float]:
        while times and times[0] <= now - window:
            times.popleft()
        return times
