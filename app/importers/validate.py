"""Rules across records: references resolve, allocations add up, refunds fit the payment.

Runs on the whole file set at once (plus what earlier imports stored, as ``KnownRecords``)
so a payments file may name customers imported last month. A reference to a record whose
own row failed is not reported again: one mistake, one error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from app.importers.convert import RecordBatch
from app.importers.issues import ImportIssue
from app.importers.schema import REFERENCES

ZERO = Decimal(0)


@dataclass
class KnownRecords:
    """What the store already holds: keys per record type, payment amounts by ID."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    payment_amounts: dict[str, Decimal] = field(default_factory=dict)


def cross_check(batches: list[RecordBatch], known: KnownRecords | None = None) -> list[ImportIssue]:
    known = known or KnownRecords()
    keys: dict[str, set[str]] = {}
    failed: dict[str, set[str]] = {}
    for batch in batches:
        keys.setdefault(batch.record_type, set()).update(r.key for r in batch.records)
        failed.setdefault(batch.record_type, set()).update(batch.failed_keys)
    issues: list[ImportIssue] = []
    for batch in batches:
        issues.extend(_references(batch, keys, failed, known))
    payments = {
        p.payment_id: (p, b.file, row)
        for b in _of(batches, "payment")
        for p, row in zip(b.records, b.rows, strict=True)
    }
    issues.extend(_allocation_sums(batches, payments, known, failed.get("payment", set())))
    issues.extend(_refund_totals(batches, payments, known))
    return issues


def _of(batches: list[RecordBatch], rtype: str) -> Iterable[RecordBatch]:
    return (b for b in batches if b.record_type == rtype)


def _references(batch, keys, failed, known) -> list[ImportIssue]:  # type: ignore[no-untyped-def]
    issues = []
    for (rtype, name), target in REFERENCES.items():
        if rtype != batch.record_type or not batch.records:
            continue
        values = list(map(attrgetter(name), batch.records))
        resolvable = keys.get(target, set()) | known.ids.get(target, set())
        unknown = set(values) - resolvable - failed.get(target, set()) - {None}
        if not unknown:
            continue
        reason = f"unknown {target} (not in this import nor an earlier one)"
        for value, row in zip(values, batch.rows, strict=True):
            if value in unknown:
                issues.append(ImportIssue(batch.file, row, name, value, reason))
    return issues


def _allocation_sums(batches, payments, known, failed_payments) -> list[ImportIssue]:  # type: ignore[no-untyped-def]
    """Allocations of a payment, amount plus tax, must equal the payment (SPEC §2)."""
    totals: dict[str, Decimal] = {}
    first_row: dict[str, tuple[str, int]] = {}
    for batch in _of(batches, "payment_allocation"):
        for allocation, row in zip(batch.records, batch.rows, strict=True):
            pid = allocation.payment_id
            tax = allocation.tax_amount
            totals[pid] = totals.get(pid, ZERO) + allocation.amount + (tax if tax else ZERO)
            if pid not in first_row:
                first_row[pid] = (batch.file, row)
    issues = []
    for pid, total in totals.items():
        if pid in payments:
            payment, file, row = payments[pid]
            amount, where = payment.amount, (file, row)
        else:
            amount = known.payment_amounts.get(pid)
            where = first_row[pid]
        if amount is None or total == amount or pid in failed_payments:
            continue
        reason = (f"allocations (amount + tax_amount) of payment {pid} sum to {total}, "
                  f"the payment is {amount}")
        issues.append(ImportIssue(where[0], where[1], "amount", str(amount), reason))
    return issues


def _refund_totals(batches, payments, known) -> list[ImportIssue]:  # type: ignore[no-untyped-def]
    """Refunds, chargebacks and returns of one payment cannot exceed what was paid."""
    refunded: dict[str, Decimal] = {}
    last: dict[str, tuple[str, int, Decimal]] = {}
    for batch in _of(batches, "refund"):
        for refund, row in zip(batch.records, batch.rows, strict=True):
            refunded[refund.payment_id] = refunded.get(refund.payment_id, ZERO) + refund.amount
            last[refund.payment_id] = (batch.file, row, refund.amount)
    issues = []
    for pid, total in refunded.items():
        paid = payments[pid][0].amount if pid in payments else known.payment_amounts.get(pid)
        if paid is None or total <= paid:
            continue
        file, row, amount = last[pid]
        reason = f"refunds of payment {pid} total {total}, more than the {paid} paid"
        issues.append(ImportIssue(file, row, "amount", str(amount), reason))
    return issues
