"""Fault injection for reliability tests, configured over ``POST /__sandbox/faults``.

Each setting is a probability per API request; draws come from one seeded generator so a
single-threaded test sees the same faults on every run. ``drop_after_write`` applies the
write and then closes the connection without answering (the client cannot know the
outcome); ``requestid_not_honoured`` makes a replayed requestid execute again, as field
reports say real QBO sometimes does.
"""

from __future__ import annotations

import random
import threading
from decimal import Decimal
from typing import Any

KINDS = ("http_429", "http_500", "http_503", "delay", "drop_after_write", "expired_token",
         "requestid_not_honoured")


class FaultConfigError(ValueError):
    """The admin request named an unknown fault or an impossible probability."""


class FaultInjector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: dict[str, float] = {}
        self.delay_seconds = 1.0
        self.seed: int | None = None
        self._rng = random.Random()
        self.injected: dict[str, int] = {}

    def configure(self, body: dict[str, Any]) -> dict[str, Any]:
        settings: dict[str, float] = {}
        for key, value in body.items():
            if key in {"seed", "delay_seconds"}:
                continue
            if key not in KINDS:
                raise FaultConfigError(f"unknown fault {key!r}; known: {', '.join(KINDS)}")
            if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)) or not (
                    0 <= value <= 1):
                raise FaultConfigError(f"{key} must be a probability between 0 and 1")
            settings[key] = float(value)
        delay = body.get("delay_seconds", 1.0)
        if isinstance(delay, bool) or not isinstance(delay, (int, float, Decimal)) or delay < 0:
            raise FaultConfigError("delay_seconds must be a non-negative number")
        with self._lock:
            self._settings = settings
            self.delay_seconds = float(delay)
            self.seed = int(body["seed"]) if body.get("seed") is not None else None
            self._rng = random.Random(self.seed)
        return self.snapshot()

    def clear(self) -> None:
        with self._lock:
            self._settings = {}
            self.injected = {}

    def draw(self, kind: str) -> bool:
        with self._lock:
            probability = self._settings.get(kind, 0.0)
            if probability <= 0:
                return False
            hit = self._rng.random() < probability
            if hit:
                self.injected[kind] = self.injected.get(kind, 0) + 1
            return hit

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"probabilities": dict(self._settings), "delay_seconds": self.delay_seconds,
                    "seed": self.seed, "injected": dict(self.injected)}
