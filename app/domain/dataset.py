"""A whole company's canonical records at one moment: what the planner plans from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.domain.records import (
    FILE_NAMES,
    Charge,
    Customer,
    Location,
    Participant,
    Payment,
    PaymentAllocation,
    Program,
    Refund,
    TaxRate,
)

# Each record type's tuple is named like its canonical export file (``payments``).
_ATTRIBUTE_FOR_TYPE = FILE_NAMES


@dataclass(frozen=True)
class Dataset:
    customers: tuple[Customer, ...] = ()
    participants: tuple[Participant, ...] = ()
    locations: tuple[Location, ...] = ()
    programs: tuple[Program, ...] = ()
    tax_rates: tuple[TaxRate, ...] = ()
    charges: tuple[Charge, ...] = ()
    payments: tuple[Payment, ...] = ()
    payment_allocations: tuple[PaymentAllocation, ...] = ()
    refunds: tuple[Refund, ...] = ()
    # Source keys ("record_type:id") the latest full export no longer had (never planned away).
    missing: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_records(cls, records: Iterable[Any], missing: Iterable[str] = ()) -> Dataset:
        buckets: dict[str, list[Any]] = {name: [] for name in _ATTRIBUTE_FOR_TYPE.values()}
        for record in records:
            buckets[_ATTRIBUTE_FOR_TYPE[record.record_type]].append(record)
        sorted_buckets = {k: tuple(sorted(v, key=lambda r: r.key)) for k, v in buckets.items()}
        return cls(**sorted_buckets, missing=frozenset(missing))

    def all_records(self) -> Iterable[Any]:
        for name in _ATTRIBUTE_FOR_TYPE.values():
            yield from getattr(self, name)

    # Lookups by source ID, built once per dataset.
    @cached_property
    def customer_by_id(self) -> dict[str, Customer]:
        return {r.customer_id: r for r in self.customers}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        return {r.participant_id: r for r in self.participants}

    @cached_property
    def location_by_id(self) -> dict[str, Location]:
        return {r.location_id: r for r in self.locations}

    @cached_property
    def program_by_id(self) -> dict[str, Program]:
        return {r.program_id: r for r in self.programs}

    @cached_property
    def tax_rate_by_id(self) -> dict[str, TaxRate]:
        return {r.tax_rate_id: r for r in self.tax_rates}

    @cached_property
    def payment_by_id(self) -> dict[str, Payment]:
        return {r.payment_id: r for r in self.payments}

    @cached_property
    def allocations_by_payment(self) -> dict[str, tuple[PaymentAllocation, ...]]:
        grouped: dict[str, list[PaymentAllocation]] = {}
        for allocation in self.payment_allocations:
            grouped.setdefault(allocation.payment_id, []).append(allocation)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def payments_by_order(self) -> dict[str, tuple[Payment, ...]]:
        found: dict[str, list[Payment]] = {}
        for payment in self.payments:
            if payment.order_id is not None:
                found.setdefault(payment.order_id, []).append(payment)
        return {order: tuple(payments) for order, payments in found.items()}

    @cached_property
    def charges_by_order(self) -> dict[str, tuple[Charge, ...]]:
        grouped: dict[str, list[Charge]] = {}
        for charge in self.charges:
            grouped.setdefault(charge.order_id, []).append(charge)
        return {
            k: tuple(sorted(v, key=lambda c: (c.date, c.charge_id))) for k, v in grouped.items()
        }
