"""Which journal entry each day's events belong to, and what the ledger already holds.

Entries ("buckets") are named by their span so a key always says what it covers:
``je:summary:golive:<from>:<to>`` (the go-live lump sum), ``je:summary:<day>`` (daily
sync) and ``je:summary:run:<from>:<to>`` (manual sync); adjustments to a bucket are
``je:adjust:<bucket>:<n>``. Spans of posted entries are read back from their keys, so a
later run assigns a late event to the entry that already covers its day.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.accounting.ledger_view import LedgerView, PostedRecord
from app.plan.plan import Period

SUMMARY_PREFIX = "je:summary:"
ADJUST_PREFIX = "je:adjust:"
PRESENT_STATES = ("posted",)  # a voided entry counts for nothing
_DIGEST = re.compile(r"src:([0-9a-f]+)")


def summary_key(bucket: str) -> str:
    return SUMMARY_PREFIX + bucket


def adjust_key(bucket: str, n: int) -> str:
    return f"{ADJUST_PREFIX}{bucket}:{n}"


def span_of(bucket: str) -> tuple[date, date]:
    parts = bucket.split(":")
    if parts[0] in ("golive", "run"):
        return date.fromisoformat(parts[1]), date.fromisoformat(parts[2])
    day = date.fromisoformat(parts[0])
    return day, day


def digest_of(record: PostedRecord) -> str | None:
    note = (record.payload or {}).get("PrivateNote") or ""
    match = _DIGEST.search(str(note))
    return match.group(1) if match else None


@dataclass
class PostedBucket:
    """A bucket's base entry (if posted) and its posted adjustments, oldest first."""

    bucket: str
    base: PostedRecord | None = None
    adjustments: list[tuple[int, PostedRecord]] = field(default_factory=list)

    @property
    def records(self) -> list[PostedRecord]:
        return ([self.base] if self.base else []) + [r for _, r in sorted(self.adjustments)]

    @property
    def next_adjustment(self) -> int:
        return max((n for n, _ in self.adjustments), default=0) + 1

    @property
    def digest(self) -> str | None:
        records = self.records
        return digest_of(records[-1]) if records else None


def posted_buckets(ledger: LedgerView) -> dict[str, PostedBucket]:
    """The summary entries the ledger holds, by bucket."""
    found: dict[str, PostedBucket] = {}
    for key, record in ledger.items():
        if record.state not in PRESENT_STATES:
            continue
        if key.startswith(SUMMARY_PREFIX):
            bucket = key[len(SUMMARY_PREFIX):]
            found.setdefault(bucket, PostedBucket(bucket)).base = record
        elif key.startswith(ADJUST_PREFIX):
            bucket, _, n = key[len(ADJUST_PREFIX):].rpartition(":")
            if n.isdigit():
                found.setdefault(bucket, PostedBucket(bucket)).adjustments.append((int(n), record))
    return found


def golive_span(go_live: date | None, posted: Mapping[str, PostedBucket],
                period: Period) -> tuple[date, date] | None:
    """The go-live lump sum's span: as posted, else from go-live to this period's end."""
    for bucket in posted:
        if bucket.startswith("golive:"):
            return span_of(bucket)
    if go_live is None or go_live > period.end:
        return None
    return go_live, period.end


def assign_days(days: Iterable[date], sync: str, golive: tuple[date, date] | None,
                posted: Mapping[str, PostedBucket], period: Period) -> dict[date, str]:
    """Bucket of every event day: go-live, a posted run covering it, or a new entry."""
    runs = sorted((span_of(b), b) for b in posted if b.startswith("run:"))
    starts = [span[0] for span, _ in runs]
    assigned: dict[date, str] = {}
    loose: list[date] = []
    for day in sorted(set(days)):
        if golive and golive[0] <= day <= golive[1]:
            assigned[day] = f"golive:{golive[0]}:{golive[1]}"
        elif sync == "daily":
            assigned[day] = day.isoformat()
        else:
            i = bisect_right(starts, day) - 1
            if i >= 0 and runs[i][0][0] <= day <= runs[i][0][1]:
                assigned[day] = runs[i][1]
            else:
                loose.append(day)
    assigned.update(_group_runs(loose, [s for s, _ in runs], period))
    return assigned


def _group_runs(days: list[date], spans: list[tuple[date, date]],
                period: Period) -> dict[date, str]:
    """Manual sync: consecutive unposted days form one run, never across a posted run
    or the period's start (earlier days belong to their own period's run)."""
    cuts = sorted({s for s, _ in spans} | {e + timedelta(days=1) for _, e in spans}
                  | {period.start})
    groups: dict[int, list[date]] = {}
    for day in days:
        groups.setdefault(bisect_right(cuts, day), []).append(day)
    result: dict[date, str] = {}
    for members in groups.values():
        bucket = f"run:{min(members)}:{max(members)}"
        result.update({day: bucket for day in members})
    return result


def first_open_day(day: date, locked: Iterable[Period]) -> date:
    """``day``, or the first day after the locked periods that cover it."""
    periods = sorted(locked, key=lambda p: p.start)
    moved = True
    while moved:
        moved = False
        for period in periods:
            if day in period:
                day, moved = period.end + timedelta(days=1), True
    return day
