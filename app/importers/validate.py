"""Rules across records: references resolve, allocations add up, refunds fit the payment.

Runs on the whole file set at once (plus what earlier imports stored, as ``KnownRecords``)
so a payments file may name customers imported last month. A reference to a record whose
own row failed is not reported again: one mistake, one error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import add, attrgetter

from app.domain.records import MAX_KEY_LENGTH, Payment
from app.importers.convert import RecordBatch
from app.importers.issues import ImportIssue
from app.importers.schema import ID_FIELD, REFERENCES

ZERO = Decimal(0)


@dataclass
class KnownRecords:
    """What the store already holds: keys per record type, payment amounts by ID, and a
    loader of the stored payments themselves, called only when a refund or void that names
    no payment must be matched to one (``links.py``)."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    payment_amounts: dict[str, Decimal] = field(default_factory=dict)
    load_payments: Callable[[], dict[str, Payment]] | None = None


def cross_check(batches: list[RecordBatch], known: KnownRecords | None = None) -> list[ImportIssue]:
    known = known or KnownRecords()
    keys: dict[str, set[str]] = {}
    failed: dict[str, set[str]] = {}
    referenced = set(REFERENCES.values())
    for batch in batches:
        if batch.record_type in referenced:
            keys.setdefault(batch.record_type, set()).update(
                batch.column(ID_FIELD[batch.record_type]))
        failed.setdefault(batch.record_type, set()).update(batch.failed_keys)
    issues: list[ImportIssue] = _unstorable_keys(batches)
    resolvable = {t: keys.get(t, set()) | known.ids.get(t, set()) for t in referenced}
    unchecked = {b.record_type for b in batches if b.failed_all}
    for batch in batches:
        issues.extend(_references(batch, resolvable, failed, unchecked))
    payments = _Payments(list(_of(batches, "payment")), known)
    issues.extend(_allocation_sums(batches, payments, failed.get("payment", set())))
    issues.extend(_refund_totals(batches, payments))
    return issues


class _Payments:
    """Payment amounts by ID (this import first, then the store); rows only when needed."""

    def __init__(self, batches: list[RecordBatch], known: KnownRecords) -> None:
        self.batches = batches
        self.amounts = dict(known.payment_amounts)
        for batch in batches:
            self.amounts.update(zip(batch.column("payment_id"), batch.column("amount"),
                                    strict=True))
        self._where: dict[str, tuple[str, int]] | None = None

    def where(self, payment_id: str) -> tuple[str, int] | None:
        if self._where is None:
            self._where = {p.payment_id: (b.file, row) for b in self.batches
                           for p, row in zip(b.records, b.rows, strict=True)}
        return self._where.get(payment_id)


def _of(batches: list[RecordBatch], rtype: str) -> Iterable[RecordBatch]:
    return (b for b in batches if b.record_type == rtype)


def _references(batch, resolvable, failed, unchecked) -> list[ImportIssue]:  # type: ignore[no-untyped-def]
    issues = []
    reason = "unknown {} (not in this import nor an earlier one)"
    for row, name, value in batch.failed_refs:
        target = REFERENCES[(batch.record_type, name)]
        if target in unchecked or value in failed.get(target, ()):
            continue
        if value not in resolvable[target]:
            issues.append(ImportIssue(batch.file, row, name, value, reason.format(target)))
    for (rtype, name), target in REFERENCES.items():
        if rtype != batch.record_type or not batch.records or target in unchecked:
            continue
        values = batch.column(name)
        unknown = set(values) - resolvable[target] - failed.get(target, set()) - {None}
        if not unknown:
            continue
        for value, row in zip(values, batch.rows, strict=True):
            if value in unknown:
                issues.append(ImportIssue(batch.file, row, name, value, reason.format(target)))
    return issues


def _unstorable_keys(batches: list[RecordBatch]) -> list[ImportIssue]:
    """Keys no database column may hold: longer than the source ID column, or with NUL.

    Checked here, with every other problem, rather than met as a crash while storing
    (PostgreSQL refuses both; SQLite would have kept them).
    """
    issues = []
    for batch in batches:
        keys = list(map(attrgetter("key"), batch.records))
        if not keys or (max(map(len, keys)) <= MAX_KEY_LENGTH and "\x00" not in "".join(keys)):
            continue
        column = ID_FIELD.get(batch.record_type, "key")
        for key, row in zip(keys, batch.rows, strict=True):
            if len(key) > MAX_KEY_LENGTH:
                reason = f"an ID longer than {MAX_KEY_LENGTH} characters cannot be stored"
            elif "\x00" in key:
                reason = "an ID with a NUL character (0x00) cannot be stored: the export is damaged"
            else:
                continue
            issues.append(ImportIssue(batch.file, row, column, key[:80], reason))
    return issues


def _allocation_sums(batches, payments, failed_payments) -> list[ImportIssue]:  # type: ignore[no-untyped-def]
    """Allocations of a payment, amount plus tax, must equal the payment (SPEC §2)."""
    totals: dict[str, Decimal] = {}
    get = totals.get
    for batch in _of(batches, "payment_allocation"):
        taxes = [t if t is not None else ZERO for t in batch.column("tax_amount")]
        lines = map(add, batch.column("amount"), taxes)
        for pid, line in zip(batch.column("payment_id"), lines):  # noqa: B905
            totals[pid] = get(pid, ZERO) + line
    issues = []
    for pid, total in totals.items():
        amount = payments.amounts.get(pid)
        if amount is None or total == amount or pid in failed_payments:
            continue
        where = payments.where(pid) or _first_allocation_row(batches, pid)
        reason = (f"allocations (amount + tax_amount) of payment {pid} sum to {total}, "
                  f"the payment is {amount}")
        issues.append(ImportIssue(where[0], where[1], "amount", str(amount), reason))
    return issues


def _first_allocation_row(batches: list[RecordBatch], payment_id: str) -> tuple[str, int]:
    for batch in _of(batches, "payment_allocation"):
        for allocation, row in zip(batch.records, batch.rows, strict=True):
            if allocation.payment_id == payment_id:
                return batch.file, row
    raise LookupError(payment_id)  # pragma: no cover (only asked for allocated payments)


def _refund_totals(batches, payments) -> list[ImportIssue]:  # type: ignore[no-untyped-def]
    """Refunds, chargebacks and returns of one payment cannot exceed what was paid."""
    refunded: dict[str, Decimal] = {}
    last: dict[str, tuple[str, int, Decimal]] = {}
    for batch in _of(batches, "refund"):
        for refund, row in zip(batch.records, batch.rows, strict=True):
            refunded[refund.payment_id] = refunded.get(refund.payment_id, ZERO) + refund.amount
            last[refund.payment_id] = (batch.file, row, refund.amount)
    issues = []
    for pid, total in refunded.items():
        paid = payments.amounts.get(pid)
        if paid is None or total <= paid:
            continue
        file, row, amount = last[pid]
        reason = f"refunds of payment {pid} total {total}, more than the {paid} paid"
        issues.append(ImportIssue(file, row, "amount", str(amount), reason))
    return issues
