"""Request counters for ``GET /__sandbox/stats``: by method, entity, status, operation."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, Counter[str]] = {}
        self.total = 0

    def record(self, method: str, entity: str, status: int, operation: str) -> None:
        with self._lock:
            self.total += 1
            for name, key in (("by_method", method), ("by_entity", entity),
                              ("by_status", str(status)), ("by_operation", operation),
                              ("by_entity_status", f"{entity} {status}")):
                self._counters.setdefault(name, Counter())[key] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"total": self.total,
                    **{name: dict(counter) for name, counter in self._counters.items()}}

    def reset(self) -> None:
        with self._lock:
            self._counters.clear()
            self.total = 0
