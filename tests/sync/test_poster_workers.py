"""The poster keeps several batch requests in flight, within QBO's concurrency limit.

QBO takes seconds to answer a batch of 30; with few threads the thread count, not QBO's
40 batch requests a minute, would bound a run (docs/performance.md, "Posting"). A fake
sender that answers slowly counts how many requests were in flight at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from app.config import resolve_paths
from app.models.company import active_company
from app.models.database import Database
from app.plan.operations import Operation
from app.plan.plan import Period
from app.posting import PostOptions
from app.progress import CancelToken
from app.sync.batch import BatchOperation, BatchResult
from app.sync.governor import RateLimits
from app.sync.job_store import JobStore
from app.sync.ledger_writes import LiveLedger
from app.sync.poster import DEFAULT_WORKERS, Poster
from app.sync.run_execution import Sending


class SlowSender:
    """Answers every chunk after ``delay`` seconds, as QBO would, counting overlaps."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.client = None
        self._lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.requests = 0

    def interruptible(self, cancel: CancelToken) -> SlowSender:
        return self

    def send(self, chunk: Sequence[Operation], request_ids: Sequence[str], ledger: LiveLedger,
             overrides: Mapping[str, Mapping[str, Any]]) -> list[BatchResult]:
        with self._lock:
            self.in_flight += 1
            self.requests += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            first = self.requests * 1000
        time.sleep(self.delay)
        with self._lock:
            self.in_flight -= 1
        return [BatchResult(BatchOperation("create", {}, op.entity),
                            entity={"Id": str(first + n), "SyncToken": "0"})
                for n, op in enumerate(chunk)]


def _customers(count: int) -> list[Operation]:
    return [Operation("create", "Customer", f"customer:C{n}", {"DisplayName": f"Family {n}"},
                      f"Customer Family {n}") for n in range(count)]


def test_default_workers_fill_the_concurrency_qbo_allows_but_leave_room() -> None:
    limit = RateLimits().concurrent_requests
    assert 8 <= DEFAULT_WORKERS <= limit - 2  # room for look-ups and other apps' requests
    assert PostOptions(Period(date(2025, 1, 1), date(2025, 1, 31))).workers == DEFAULT_WORKERS
    assert Sending().workers == DEFAULT_WORKERS


def test_the_poster_keeps_default_workers_batch_requests_in_flight(tmp_path: Path) -> None:
    database = Database.open(resolve_paths(tmp_path / "home"))
    try:
        with database.session() as session:
            company = active_company(session, create=True)
            assert company is not None
            company_id = company.id
        store = JobStore(database, company_id)
        operations = _customers(30 * DEFAULT_WORKERS * 2)  # two rounds of full batches
        run_id = store.start_run("post", Period(date(2025, 1, 1), date(2025, 1, 31)))
        jobs = store.enqueue(run_id, operations)
        sender = SlowSender(delay=0.3)
        poster = Poster(sender, store, LiveLedger())  # type: ignore[arg-type]
        summary = poster.post(run_id, operations, jobs)
    finally:
        database.close()
    assert summary.posted == len(operations) and summary.clean
    assert sender.requests == 2 * DEFAULT_WORKERS
    assert sender.most_in_flight == DEFAULT_WORKERS
