"""Backoff shape and the shared rate governor's budgets (no wall-clock assertions)."""

from __future__ import annotations

import random
import threading

from app.sync.governor import RateGovernor, RateLimits, governor_for
from app.sync.retry import RetryPolicy, parse_retry_after


def test_backoff_grows_and_is_bounded() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=10.0, jitter=0.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [1, 2, 4, 8, 10, 10]


def test_jitter_spreads_within_bounds() -> None:
    policy = RetryPolicy(base_delay=4.0, jitter=0.5)
    rng = random.Random(1)
    delays = [policy.delay(1, rng=rng) for _ in range(200)]
    assert min(delays) >= 2.0 and max(delays) <= 6.0
    assert len({round(d, 3) for d in delays}) > 100


def test_retry_after_is_honoured_and_time_scale_shortens_own_waits() -> None:
    policy = RetryPolicy(jitter=0.0, time_scale=10.0)
    assert policy.delay(1) == 0.1
    assert policy.delay(1, retry_after=3.0) == 3.0
    assert policy.delay(1, throttled=True) >= 60 / 8 / 10


def test_attempts_are_bounded() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert policy.should_retry(2) and not policy.should_retry(3)


def test_parse_retry_after() -> None:
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_per_minute_budget_blocks_until_the_window_moves() -> None:
    clock = FakeClock()
    limits = RateLimits(requests_per_minute=5, minute_seconds=60.0, headroom=1.0)
    governor = RateGovernor(limits, clock=clock)
    for _ in range(5):
        with governor.slot():
            pass
    assert governor._wait_needed(batch=False) == 60.0
    clock.now = 30.0
    assert governor._wait_needed(batch=False) == 30.0
    clock.now = 60.0
    assert governor._wait_needed(batch=False) <= 0


def test_batch_budget_is_separate_and_stricter() -> None:
    clock = FakeClock()
    limits = RateLimits(requests_per_minute=100, batches_per_minute=2, headroom=1.0)
    governor = RateGovernor(limits, clock=clock)
    for _ in range(2):
        with governor.slot(batch=True):
            pass
    assert governor._wait_needed(batch=True) > 0
    assert governor._wait_needed(batch=False) <= 0


def test_pause_holds_everyone() -> None:
    clock = FakeClock()
    governor = RateGovernor(RateLimits(), clock=clock)
    governor.pause(5.0)
    governor.pause(1.0)  # never shortens
    assert governor._wait_needed(batch=False) == 5.0


def test_concurrency_never_exceeds_the_limit() -> None:
    limits = RateLimits(requests_per_minute=10_000, concurrent_requests=3, headroom=1.0)
    governor = RateGovernor(limits)
    peak, lock, release = [0], threading.Lock(), threading.Event()

    def work() -> None:
        with governor.slot():
            with lock:
                peak[0] = max(peak[0], governor.in_flight)
            release.wait(0.05)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert peak[0] == 3
    assert governor.in_flight == 0


def test_one_governor_per_company() -> None:
    assert governor_for("local:1") is governor_for("local:1")
    assert governor_for("local:1") is not governor_for("local:2")
