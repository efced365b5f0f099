"""The state one detailed planning run shares: inputs, period rules, and what it emits.

Modules add operations and issues here; ``plan_detailed`` orders them at the end.
Nothing in it talks to a database or QBO.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.accounting.ledger_view import LedgerView
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig, Target
from app.mapping.defaults import classes_on, with_defaults
from app.mapping.targets import target_ref
from app.plan.operations import Operation, referenced_keys
from app.plan.plan import Issue, Period
from app.plan.postings import Posting, difference

from .ledger_index import LedgerIndex

# QBO's name for the account a payment lands in when none is given.
UNDEPOSITED_FUNDS = "Undeposited Funds"
GIFT_CARD = "gift_card"  # the tender of a gift card redemption
KEY_NOTE = "Ledgerbridge"


@dataclass(frozen=True)
class Scope:
    """Which dates a run may post on: SPEC §5 periods and locked periods."""

    period: Period
    locked: tuple[Period, ...] = ()
    go_live: date | None = None  # nothing before it is Ledgerbridge's to post

    def before_go_live(self, day: date) -> bool:
        return self.go_live is not None and day < self.go_live

    def is_locked(self, day: date) -> bool:
        return any(day in locked for locked in self.locked)

    def first_open_day(self, day: date) -> date:
        while self.is_locked(day):
            day = max(p.end for p in self.locked if day in p) + timedelta(days=1)
        return day

    def posting_date(self, day: date) -> date | None:
        """Where an event dated ``day`` is posted in this run, or None if not in it.

        An event in the period is posted on its own date; one in a locked period is an
        adjustment on the first open day (at the earliest this period's start); anything
        after the period's last day waits for its own period; anything before the go-live
        date was booked before Ledgerbridge and is never posted.
        """
        if day > self.period.end or self.before_go_live(day):
            return None
        if self.is_locked(day):
            moved = max(self.first_open_day(day), self.period.start)
            return moved if moved <= self.period.end and not self.is_locked(moved) else None
        return day if day >= self.period.start else None


@dataclass
class PlanContext:
    dataset: Dataset
    mapping: MappingConfig
    ledger: LedgerIndex
    scope: Scope
    operations: list[Operation] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)
    # (entity, target, role) -> ledger keys of records posting to it (for create_missing)
    needed: dict[tuple[str, Target, str], set[str]] = field(default_factory=dict)
    planned: dict[str, Operation] = field(default_factory=dict)
    # ledger keys of records this run needs to exist (items, customers), filled by users
    wanted: set[str] = field(default_factory=set)
    # refund receipt key -> the payload lines it stands for once a ``-RX`` entry moved its
    # income reduction (read by deferred recognition instead of the posted lines)
    refund_lines: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # refund receipt key -> the removal that moved it (when deferred recognition changes)
    refund_moved_on: dict[str, date] = field(default_factory=dict)
    # program categories the bookkeeper mapped under [income] (before the defaults)
    mapped_categories: frozenset[str] = frozenset()

    @classmethod
    def build(cls, dataset: Dataset, mapping: MappingConfig, ledger: LedgerView,
              period: Period, locked: tuple[Period, ...] = ()) -> PlanContext:
        mapped_categories = frozenset(mapping.income)
        mapping = with_defaults(mapping, dataset)  # create_missing: the shared defaults
        class_names = {t.qbo_id: t.name for t in mapping.locations.values() if t.qbo_id}
        accounts = [*mapping.accounts.values(), *mapping.income.values(),
                    *mapping.tenders.values(), *mapping.tax_rates.values()]
        account_names = {t.qbo_id: t.name for t in accounts if t.qbo_id}
        return cls(dataset, mapping, LedgerIndex(ledger, class_names, account_names),
                   Scope(period, tuple(locked), mapping.go_live),
                   mapped_categories=mapped_categories)

    @property
    def as_of(self) -> date:
        return self.scope.period.end

    # --- emitting -------------------------------------------------------------------
    def emit(self, operation: Operation) -> None:
        if operation.key in self.blocked:
            return
        depends = tuple(sorted(set(operation.depends_on) | referenced_keys(operation.payload)))
        if depends != operation.depends_on:
            operation = _replace(operation, depends_on=depends)
        self.operations.append(operation)
        self.planned[operation.key] = operation

    def issue(self, issue: Issue) -> None:
        self.issues.append(issue)
        self.blocked.update(issue.blocks)

    def need(self, entity: str, target: Target, role: str, key: str) -> None:
        if target.qbo_id is None:
            self.needed.setdefault((entity, target, role), set()).add(key)

    # --- references to mapped targets --------------------------------------------------
    def account_ref(self, target: Target, role: str, key: str) -> dict[str, Any]:
        self.need("Account", target, role, key)
        return target_ref("Account", target)

    def class_ref(self, target: Target | None, key: str) -> dict[str, Any] | None:
        if target is None:
            return None
        self.need("Class", target, "location", key)
        return target_ref("Class", target)

    def receivable(self) -> Target | None:
        return self.mapping.accounts.get("accounts_receivable")

    def deposit_account(self, tender: str) -> Target | None:
        """The tender's mapped account, else the mapped Undeposited Funds (SPEC §3a).

        A gift card is not money: what a redemption moves is the Gift Card Holding
        liability (reversals and adjustments of one post there too)."""
        if tender == GIFT_CARD:
            return self.gift_card_holding()
        return self.mapping.tenders.get(tender) or self.mapping.accounts.get("undeposited_funds")

    @staticmethod
    def deposit_role(tender: str) -> str:
        """The mapping role of ``deposit_account(tender)`` (the type it is created with)."""
        return "gift_card_holding" if tender == GIFT_CARD else "undeposited_funds"

    def gift_card_holding(self) -> Target | None:
        return self.mapping.accounts.get("gift_card_holding")

    def location_class(self, location_id: str | None) -> Target | None:
        """The location's class; None without a location or with class tracking off."""
        if location_id is None or not classes_on(self.mapping):
            return None
        return self.mapping.locations.get(location_id)

    def location_unmapped(self, location_id: str | None) -> bool:
        """Class tracking is on but this location has no class (blocks what needs it)."""
        return location_id is not None and classes_on(self.mapping) and (
            location_id not in self.mapping.locations)

    # --- incremental ------------------------------------------------------------------
    def plan_record(self, entity: str, key: str, payload: Mapping[str, Any], summary: str,
                    **extra: Any) -> Operation | None:
        """Create, update (when the content changed) or nothing (unchanged).

        ``posted_on``: the date the record was posted on; a record in a locked period
        is never rewritten, its change is reported instead.
        """
        posted_on = extra.pop("posted_on", None)
        if self.ledger.exists(key):
            if self.ledger.same_content(key, payload):
                return None
            if posted_on is not None and self.scope.is_locked(posted_on):
                self.issue(Issue(
                    "warning", "locked_record_changed",
                    f"{summary} changed in the source after its period was locked",
                    "post the difference by hand in the open period, or unlock the period",
                    sources=extra.get("sources", ())))
                return None
            old = extra.pop("old_postings", ())
            new = extra.get("postings", ())
            extra["postings"] = difference(new, old)
            operation = Operation("update", entity, key, {**payload, "sparse": True},
                                  summary=f"Update {summary[0].lower()}{summary[1:]}", **extra)
        else:
            extra.pop("old_postings", None)
            operation = Operation("create", entity, key, dict(payload), summary=summary, **extra)
        self.emit(operation)
        return operation


def _replace(operation: Operation, **changes: Any) -> Operation:
    from dataclasses import replace

    return replace(operation, **changes)


def note(key: str, memo: str = "") -> str:
    """PrivateNote text: the ledger key (for lookup after a lost response) and a memo."""
    return f"{KEY_NOTE} {key}" + (f" | {memo}" if memo else "")


__all__ = ["GIFT_CARD", "UNDEPOSITED_FUNDS", "PlanContext", "Posting", "Scope", "note"]
