"""Gather every payment and refund of the period into the entry (bucket) it belongs to.

Each bucket keeps the sums of its source events (``EventSums``), the source keys it came
from and the problems that block it. Its digest is of those sums: a posted entry whose
digest is unchanged needs nothing, whatever else changed (a later mapping change applies
to new entries, it does not rewrite posted days).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from app.accounting.summary.buckets import PostedBucket, assign_days, golive_span
from app.accounting.summary.lines import (
    Component,
    EventSums,
    LineCatalog,
    components_of,
    expand,
    prorate,
)
from app.domain.dataset import Dataset
from app.domain.money import CENT, ZERO
from app.domain.records import Payment, Refund
from app.mapping.config import MappingConfig
from app.plan.plan import Issue, Period


@dataclass
class BucketContent:
    bucket: str
    catalog: LineCatalog
    sums: EventSums = field(default_factory=EventSums)
    sources: list[str] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    @cached_property
    def totals(self) -> dict[int, Decimal]:
        """Line id -> signed total; read once all events are in."""
        return expand(self.catalog, self.sums)

    @cached_property
    def digest(self) -> str:
        """Of what the bucket's source events add up to, whatever order they came in."""
        return hashlib.sha256(self.sums.fingerprint().encode()).hexdigest()[:32]


@dataclass
class Collected:
    buckets: dict[str, BucketContent]
    issues: list[Issue]


class Collector:
    def __init__(self, dataset: Dataset, mapping: MappingConfig, period: Period,
                 posted: dict[str, PostedBucket], catalogs: tuple[LineCatalog, LineCatalog]):
        self.dataset, self.mapping, self.period = dataset, mapping, period
        self.daily_catalog, self.golive_catalog = catalogs
        self.golive = golive_span(mapping.go_live, posted, period)
        self.issues: list[Issue] = []
        self.buckets: dict[str, BucketContent] = {}
        self._allocations = dataset.allocations_by_payment
        self._program_location = {p.program_id: p.location_id for p in dataset.programs}
        days = [d for d in self._event_days() if self._in_scope(d)]
        self.assigned = assign_days(days, mapping.sync, self.golive, posted, period)

    def _event_days(self) -> Iterator[date]:
        yield from (p.date for p in self.dataset.payments)
        yield from (r.date for r in self.dataset.refunds)

    def _in_scope(self, day: date) -> bool:
        go_live = self.mapping.go_live
        return day <= self.period.end and (go_live is None or day >= go_live)

    def _bucket(self, day: date) -> BucketContent:
        name = self.assigned[day]
        content = self.buckets.get(name)
        if content is None:
            catalog = self.golive_catalog if name.startswith("golive:") else self.daily_catalog
            content = self.buckets[name] = BucketContent(name, catalog)
        return content

    def parts_of(self, payment: Payment) -> list[Component]:
        allocations = self._allocations.get(payment.payment_id, ())
        return components_of(allocations, self._program_location.get) if allocations else []

    def collect(self) -> Collected:
        for payment in self.dataset.payments:
            if payment.status == "completed" and self._in_scope(payment.date):
                self._add_payment(payment)
        self._add_refunds()
        return Collected(self.buckets, self.issues)

    def _add_payment(self, payment: Payment) -> None:
        content = self._bucket(payment.date)
        parts = self.parts_of(payment)
        if payment.tender == "multiplier" and parts:
            self.issues.append(Issue(
                "warning", "multiplier_with_allocation",
                f"multiplier {payment.payment_id} has program allocations; a multiplier "
                "posts to Unapplied Payments only, so they are not used",
                "check the export", sources=(f"payment:{payment.payment_id}",)))
            parts = []
        self._check_allocations(payment, parts, content)
        content.sums.add_event(payment.tender, payment.tender, "payment", payment.amount, parts)
        content.sources.append(f"payment:{payment.payment_id}")

    def _check_allocations(self, payment: Payment, parts: list[Component],
                           content: BucketContent) -> None:
        source = f"payment:{payment.payment_id}"
        if not parts and payment.tender != "multiplier":
            self.issues.append(Issue(
                "warning", "unallocated_payment",
                f"payment {payment.payment_id} ({payment.amount}) has no program allocation: "
                "it is credited to Unapplied Payments", "import the deposit split "
                "(payment allocations) if it paid for programs", sources=(source,)))
            return
        allocated = parts[0].amount if len(parts) == 1 else sum((p.amount for p in parts), ZERO)
        difference = payment.amount - allocated
        if parts and abs(difference) > CENT * len(parts):
            content.errors.append(Issue(
                "error", "allocation_mismatch",
                f"payment {payment.payment_id} is {payment.amount} but its allocations "
                f"with tax add up to {payment.amount - difference}",
                "correct the deposit split in the source and import again", sources=(source,)))

    def _add_refunds(self) -> None:
        refunded: dict[str, Decimal] = {}
        for refund in sorted(self.dataset.refunds, key=lambda r: (r.date, r.refund_id)):
            if not self._in_scope(refund.date):
                continue
            payment = self.dataset.payment_by_id.get(refund.payment_id)
            if payment is None:
                self._bucket(refund.date).errors.append(Issue(
                    "error", "refund_unknown_payment",
                    f"refund {refund.refund_id} refers to unknown payment {refund.payment_id}",
                    "import the payment it refunds", sources=(f"refund:{refund.refund_id}",)))
                continue
            if payment.status != "completed":
                self.issues.append(Issue(
                    "warning", "refund_of_failed_payment",
                    f"refund {refund.refund_id} is of payment {payment.payment_id}, which is "
                    f"{payment.status}: nothing was received, so nothing is reversed",
                    "check the source", sources=(f"refund:{refund.refund_id}",)))
                continue
            total = refunded.get(payment.payment_id, ZERO) + refund.amount
            refunded[payment.payment_id] = total
            self._add_refund(refund, payment, over=total > payment.amount)

    def _add_refund(self, refund: Refund, payment: Payment, *, over: bool) -> None:
        content = self._bucket(refund.date)
        source = f"refund:{refund.refund_id}"
        if over:
            content.errors.append(Issue(
                "error", "over_refund",
                f"refunds of payment {payment.payment_id} exceed its amount {payment.amount}",
                "correct the refunds in the source", sources=(source,)))
        parts = [] if payment.tender == "multiplier" else self.parts_of(payment)
        shares = prorate(parts, payment.amount, refund.amount)
        tender = refund.tender or payment.tender
        content.sums.add_event(payment.tender, tender, refund.kind, refund.amount, shares)
        content.sources.append(source)
