"""When to try a request again, and how long to wait first.

Exponential backoff with jitter so eight threads that were throttled together do not
come back together; a server's Retry-After wins when it asks for longer. The bound on
attempts keeps a dead connection from stalling a run forever: the job then fails as
retryable and the next run picks it up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

_shared_rng = random.Random()


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    multiplier: float = 2.0
    jitter: float = 0.5  # fraction of the delay that is randomised
    throttle_delay: float = 60.0  # Intuit: "wait 60 seconds" after a 429 without Retry-After
    # Scales every wait: tests and benchmarks run the simulator's clock faster.
    time_scale: float = 1.0

    def scaled(self, time_scale: float) -> RetryPolicy:
        return replace(self, time_scale=time_scale)

    def delay(
        self,
        attempt: int,
        *,
        throttled: bool = False,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 1)."""
        draw = (rng or _shared_rng).random
        backoff = min(self.max_delay, self.base_delay * self.multiplier ** (attempt - 1))
        if throttled:
            # Throttling is a per-minute budget: one short wait rarely helps, but waiting
            # a whole minute per thread wastes the budget; back off with a floor instead.
            backoff = min(self.throttle_delay, max(backoff, self.throttle_delay / 8))
        spread = backoff * self.jitter
        wait = (backoff - spread + draw() * 2 * spread) / self.time_scale
        if retry_after is not None:
            # The server's own clock speaks: its Retry-After is taken as given.
            wait = max(wait, retry_after)
        return wait

    def should_retry(self, attempt: int) -> bool:
        return attempt < self.max_attempts


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is not used by QBO; ignored)."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return max(0.0, seconds)
