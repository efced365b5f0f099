"""A plan: the operations to send, in order, and the issues found while planning.

Validators return issues instead of raising, so the bookkeeper sees every problem at
once (SPEC §4: what is unmapped blocks only what needs it, and is listed in the preview).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.plan.operations import Operation

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Period:
    """An accounting period, both ends inclusive; events are planned as of ``end``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Issue:
    severity: str
    code: str  # stable machine code, e.g. "unmapped_program"
    message: str  # what is wrong, in the bookkeeper's words
    fix: str = ""  # what to do about it
    sources: tuple[str, ...] = ()  # source record keys involved
    blocks: tuple[str, ...] = ()  # ledger keys not planned because of it

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")


@dataclass(frozen=True)
class Plan:
    operations: tuple[Operation, ...]
    issues: tuple[Issue, ...] = ()
    period: Period | None = None

    @property
    def blocking_issues(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def is_empty(self) -> bool:
        return not self.operations
