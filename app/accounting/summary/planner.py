"""Decide, entry by entry, what the summary style sends: a new entry, an adjustment, or nothing.

- A bucket never posted, in an open day of the period: its journal entry.
- A posted bucket whose source events changed: an adjustment entry with only the delta,
  dated the bucket's day and labelled; the posted entry is never rewritten.
- A bucket in a locked period that is new or changed: an adjustment dated the first open
  day (SPEC §5), planned by whichever run first reaches that day.
- Anything else (unchanged, outside the period): nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.accounting.ledger_view import LedgerView
from app.accounting.summary.buckets import (
    PostedBucket,
    adjust_key,
    first_open_day,
    posted_buckets,
    span_of,
    summary_key,
)
from app.accounting.summary.collect import BucketContent, Collector
from app.accounting.summary.entries import (
    JeLine,
    delta_lines,
    imbalance,
    je_payload,
    lines_of,
    posted_lines,
    postings_of,
    rounding_line,
    slots_in,
    total_debits,
    unmapped_in,
)
from app.accounting.summary.lines import LineCatalog
from app.accounting.summary.resolve import Resolver, Slot
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.mapping.creation import NeededTarget, plan_target_creations
from app.plan.dependencies import without_blocked
from app.plan.operations import REF, Operation
from app.plan.plan import Issue, Period, Plan


@dataclass(frozen=True)
class _Timing:
    when: date  # the entry's TxnDate
    locked: bool  # the bucket's own day is in a locked period


def _label(bucket: str) -> str:
    start, end = span_of(bucket)
    if bucket.startswith("golive:"):
        return f"go-live lump sum {start} to {end}"
    if bucket.startswith("run:"):
        return f"sync run {start} to {end}"
    return f"daily summary {end}"


def _refs_in(lines: Sequence[JeLine]) -> tuple[str, ...]:
    keys = {ref[REF] for line in lines for ref in (line.account_ref, line.class_ref or {})
            if REF in ref}
    return tuple(sorted(keys))


class SummaryPlanner:
    def __init__(self, dataset: Dataset, mapping: MappingConfig, ledger: LedgerView,
                 period: Period, locked_periods: Sequence[Period]) -> None:
        self.mapping, self.period, self.locked = mapping, period, tuple(locked_periods)
        self.resolver = Resolver(dataset, mapping)
        self.catalogs = (LineCatalog(self.resolver), LineCatalog(self.resolver, per_tender=True))
        self.posted = posted_buckets(ledger)
        self.collected = Collector(dataset, mapping, period, self.posted, self.catalogs).collect()
        self.names_by_id = {f"{k.split(':', 1)[0]}#{v}": k
                            for k, v in self.resolver.known.items()}
        self.issues: list[Issue] = list(self.collected.issues)
        self.needed: dict[NeededTarget, list[str]] = {}
        self.unmapped: dict[str, tuple[Issue, list[str]]] = {}

    def plan(self) -> Plan:
        operations: list[Operation] = []
        for bucket in sorted(set(self.collected.buckets) | set(self.posted)):
            operation = self._plan_bucket(bucket)
            if operation is not None:
                operations.append(operation)
        for issue, keys in self.unmapped.values():
            self.issues.append(Issue(issue.severity, issue.code, issue.message, issue.fix,
                                     blocks=tuple(sorted(keys))))
        creations = plan_target_creations(self.mapping, self.needed)
        kept = without_blocked(operations, creations.blocked)
        kept.sort(key=lambda op: (op.txn_date, op.key))
        return Plan(creations.operations + tuple(kept),
                    tuple(self.issues) + creations.issues, self.period)

    def _timing(self, bucket: str) -> _Timing | None:
        day = span_of(bucket)[1]
        if any(day in locked for locked in self.locked):
            when = first_open_day(max(day, self.period.start), self.locked)
            return _Timing(when, True) if when <= self.period.end else None
        if self.period.start <= day <= self.period.end:
            return _Timing(day, False)
        return None

    def _content(self, bucket: str) -> BucketContent:
        content = self.collected.buckets.get(bucket)
        if content is None:
            catalog = self.catalogs[1] if bucket.startswith("golive:") else self.catalogs[0]
            content = BucketContent(bucket, catalog)
        return content

    def _plan_bucket(self, bucket: str) -> Operation | None:
        timing = self._timing(bucket)
        if timing is None:
            return None
        content, state = self._content(bucket), self.posted.get(bucket)
        if state is not None and state.digest == content.digest:
            return None  # posted and unchanged
        adjusting = timing.locked or state is not None
        key = adjust_key(bucket, state.next_adjustment if state else 1) if adjusting \
            else summary_key(bucket)
        if self._blocked(content, key):
            return None
        target = self._balanced(lines_of(content.totals, content.catalog.specs), key)
        if target is None:
            return None
        lines = self._delta(target, state) if adjusting else target
        if not lines:
            return None
        if imbalance(lines):  # a posted payload that did not balance: never send a delta of it
            self.issues.append(Issue(
                "error", "unbalanced_entry", f"{key} would not balance "
                f"(difference {imbalance(lines)}): what the ledger holds for it is inconsistent",
                "reconcile the posted entry with QuickBooks", blocks=(key,)))
            return None
        self._note_needed(content, key)
        return self._operation(bucket, key, lines, content, timing, adjusting)

    def _blocked(self, content: BucketContent, key: str) -> bool:
        for issue in content.errors:
            self.issues.append(Issue(issue.severity, issue.code, issue.message, issue.fix,
                                     issue.sources, blocks=(key,)))
        markers = unmapped_in(content.totals, content.catalog.specs)
        for marker in markers:
            entry = self.unmapped.setdefault(
                marker.name, (Issue("error", marker.code, marker.message, marker.fix), []))
            entry[1].append(key)
        return bool(content.errors or markers)

    def _balanced(self, lines: list[JeLine], key: str) -> list[JeLine] | None:
        difference = imbalance(lines)
        if not difference:
            return lines
        rounding = self.resolver.role_account("rounding") if "rounding" in \
            self.mapping.accounts else None
        if isinstance(rounding, Slot):
            self.needed.setdefault(NeededTarget("Account", rounding.target, "rounding"),
                                   []).append(key)
            self.issues.append(Issue(
                "warning", "rounding_line",
                f"{key} is out of balance by {difference}: a rounding line of {-difference} "
                f"goes to {rounding.target.name}", "check the source amounts", blocks=()))
            return [*lines, rounding_line(difference, rounding)]
        self.issues.append(Issue(
            "error", "unbalanced_entry",
            f"{key} does not balance: debits exceed credits by {difference}",
            "map a rounding account ([accounts] rounding) or correct the source amounts",
            blocks=(key,)))
        return None

    def _delta(self, target: list[JeLine], state: PostedBucket | None) -> list[JeLine]:
        prior = [posted_lines(record.payload, self.names_by_id)
                 for record in (state.records if state else [])]
        return delta_lines(target, prior)

    def _note_needed(self, content: BucketContent, key: str) -> None:
        for slot in slots_in(content.totals, content.catalog.specs):
            self.needed.setdefault(NeededTarget(slot.entity, slot.target, slot.role),
                                   []).append(key)

    def _operation(self, bucket: str, key: str, lines: list[JeLine], content: BucketContent,
                   timing: _Timing, adjusting: bool) -> Operation:
        label = _label(bucket)
        if timing.locked:
            note = f"Adjustment to {label} (locked period), posted on the first open day"
        elif adjusting:
            note = f"Adjustment to {label}: source changed after posting"
        else:
            note = label[0].upper() + label[1:]
        payload = je_payload(key, timing.when, lines, note, content.digest, adjustment=adjusting)
        payments = sum(1 for s in content.sources if s.startswith("payment:"))
        refunds = len(content.sources) - payments
        return Operation(
            "create", "JournalEntry", key, payload,
            summary=f"{note} ({payments} payments, {refunds} refunds)",
            depends_on=_refs_in(lines), sources=tuple(sorted(content.sources)),
            txn_date=timing.when, amount=total_debits(lines), postings=postings_of(lines))
