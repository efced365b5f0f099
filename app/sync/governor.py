"""One rate governor per QBO company, shared by every thread that talks to it.

QBO throttles per realm: 500 requests a minute, 10 at once, 40 batch requests a minute
(qbo-api-notes §3). Staying under those budgets here, rather than discovering them
through 429s, keeps a run fast and its error log quiet. A 429 that still happens
pauses every thread briefly, because the budget is shared.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.progress import CancelToken

_CANCEL_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class RateLimits:
    requests_per_minute: int = 500
    concurrent_requests: int = 10
    batches_per_minute: int = 40
    # Length of QBO's "minute" in real seconds: 60, or less against a time-scaled simulator.
    minute_seconds: float = 60.0
    # Keep a little below the limits: our clock and QBO's never agree exactly.
    headroom: float = 0.95

    @classmethod
    def qbo(cls, time_scale: float = 1.0) -> RateLimits:
        return cls(minute_seconds=60.0 / time_scale)

    def budget(self, per_minute: int) -> int:
        return max(1, int(per_minute * self.headroom))


class _SlidingWindow:
    """Timestamps of the last minute's sends; not locked (the governor holds the lock)."""

    def __init__(self, limit: int, length: float) -> None:
        self.limit = limit
        self.length = length
        self.sent: deque[float] = deque()

    def wait_needed(self, now: float, in_flight: int) -> float:
        while self.sent and self.sent[0] <= now - self.length:
            self.sent.popleft()
        if len(self.sent) + in_flight < self.limit:
            return 0.0
        if not self.sent:
            return self.length  # all of the budget is in flight: woken when one finishes
        return self.sent[0] + self.length - now


class RateGovernor:
    def __init__(
        self, limits: RateLimits | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or RateLimits()
        self._clock = clock
        self._cond = threading.Condition()
        self._in_flight = 0
        self._batches_in_flight = 0
        length = self.limits.minute_seconds
        self._requests = _SlidingWindow(self.limits.budget(self.limits.requests_per_minute), length)
        self._batches = _SlidingWindow(self.limits.budget(self.limits.batches_per_minute), length)
        self._paused_until = 0.0

    @contextmanager
    def slot(self, *, batch: bool = False, cancel: CancelToken | None = None) -> Iterator[None]:
        """Hold one request slot for the duration of one HTTP request.

        A request counts against the minute from the moment it finishes, and counts as
        in flight until then: QBO saw it arrive somewhere in between, so this never
        undercounts what QBO's own window holds. A cancel ends the wait for a slot
        (``Cancelled``); a request already sent is never cut off.
        """
        self._acquire(batch, cancel)
        try:
            yield
        finally:
            with self._cond:
                now = self._clock()
                self._in_flight -= 1
                self._requests.sent.append(now)
                if batch:
                    self._batches_in_flight -= 1
                    self._batches.sent.append(now)
                self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """After a 429: hold every thread back for ``seconds`` (never shortens a pause)."""
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def _acquire(self, batch: bool, cancel: CancelToken | None = None) -> None:
        with self._cond:
            while True:
                if cancel is not None:
                    cancel.check()
                wait = self._wait_needed(batch)
                if wait <= 0:
                    self._in_flight += 1
                    self._batches_in_flight += int(batch)
                    return
                if cancel is not None:
                    wait = min(wait, _CANCEL_POLL_SECONDS)
                self._cond.wait(timeout=wait)

    def _wait_needed(self, batch: bool) -> float:
        now = self._clock()
        waits = [self._paused_until - now, self._requests.wait_needed(now, self._in_flight)]
        if batch:
            waits.append(self._batches.wait_needed(now, self._batches_in_flight))
        if self._in_flight >= self.limits.concurrent_requests:
            waits.append(self.limits.minute_seconds)  # woken by notify when a slot frees
        return max(waits)


_registry: dict[str, RateGovernor] = {}
_registry_lock = threading.Lock()


def governor_for(key: str, limits: RateLimits | None = None) -> RateGovernor:
    """The shared governor of one company (key: environment + realm id)."""
    with _registry_lock:
        governor = _registry.get(key)
        if governor is None or (limits is not None and governor.limits != limits):
            governor = _registry[key] = RateGovernor(limits)
        return governor
