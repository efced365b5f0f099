"""An order's life in date order: what stays invoiced, and what each refund pays out of.

The rule that keeps income from being reduced twice (docs/accounting-detailed.md):
- A refund is paid first out of the customer's *credit* on the order (payments beyond
  what is invoiced, e.g. after a line was removed). That part only consumes the credit:
  no income is reduced again. The rest of the refund reduces income (refund receipt).
- A line removed *after* a refund that already reduced income is covered by that
  refund (oldest first): the covered part stays invoiced instead of being credited a
  second time, and is recorded on the refund (``covers``) so the refund's income
  reduction is put on that line's item (``refunds``).
Either order of events gives the same books: the removed line's income and tax fall
once, to zero, and no other line's income is touched by it.

A refund already posted keeps the split it was posted with, even if a later event (a
payment voided afterwards) would split it differently: its documents are facts in QBO,
and re-splitting would pay the same refund out twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.dataset import Dataset
from app.domain.money import ZERO, cents
from app.domain.records import Charge, Payment, Refund

_ADD, _PAY, _REMOVE, _REFUND = range(4)  # same-day order: a drop-and-refund uses the credit


@dataclass(frozen=True)
class KeptCharge:
    """A charge as it stands on the books as of the period's end."""

    charge: Charge
    amount: Decimal  # revenue kept invoiced
    tax: Decimal
    removed: bool  # removed, but kept invoiced because a refund already covered it


@dataclass(frozen=True)
class Cover:
    """The part of a removed charge that an earlier refund already paid back."""

    charge: Charge
    amount: Decimal  # revenue part
    tax: Decimal
    on: date  # the removal date


@dataclass(frozen=True)
class RefundSplit:
    refund: Refund
    payment: Payment
    from_credit: Decimal  # pays out the customer's credit: no income effect
    from_revenue: Decimal  # reduces income and tax (refund receipt)


@dataclass
class OrderHistory:
    order_id: str | None
    kept: list[KeptCharge] = field(default_factory=list)
    refunds: list[RefundSplit] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    # refund id -> the removed charges its income-reducing part turned out to pay for
    covers: dict[str, list[Cover]] = field(default_factory=dict)


def removal_date(charge: Charge) -> date:
    """When a removed charge left the cart (its own date when the export has none)."""
    return charge.removed_date or charge.date


def charge_total(charge: Charge) -> Decimal:
    return charge.amount + (charge.tax_amount or ZERO)


def _events(charges: Iterable[Charge], payments: Iterable[Payment],
            refunds: Iterable[tuple[Refund, Payment]], as_of: date) -> list[tuple]:
    events: list[tuple] = []
    for charge in charges:
        if charge.date > as_of:
            continue
        events.append((charge.date, _ADD, charge.charge_id, charge))
        if charge.status == "removed" and removal_date(charge) <= as_of:
            events.append((removal_date(charge), _REMOVE, charge.charge_id, charge))
    events += [(p.date, _PAY, p.payment_id, p) for p in payments]
    # A refund cannot precede its payment (an export dating it earlier is read as same-day).
    events += [(max(r.date, p.date), _REFUND, r.refund_id, (r, p)) for r, p in refunds]
    return sorted(events, key=lambda e: e[:3])


PostedSplit = Callable[[Refund], tuple[Decimal, Decimal] | None]


def _no_posted_split(refund: Refund) -> None:
    return None


def order_history(order_id: str | None, charges: Iterable[Charge], payments: list[Payment],
                  refunds: list[tuple[Refund, Payment]], as_of: date,
                  posted_split: PostedSplit = _no_posted_split) -> OrderHistory:
    history = OrderHistory(order_id, payments=list(payments))
    invoiced = paid = credit_refunded = ZERO
    uncovered: list[list] = []  # [refund id, income-reducing part not yet tied to a line]
    kept: dict[str, KeptCharge] = {}
    for _day, kind, _id, item in _events(charges, payments, refunds, as_of):
        if kind == _ADD:
            kept[item.charge_id] = KeptCharge(item, item.amount, item.tax_amount or ZERO, False)
            invoiced += charge_total(item)
        elif kind == _PAY:
            paid += item.amount
        elif kind == _REMOVE:
            total = charge_total(item)
            covered = _cover(history, item, total, uncovered, removal_date(item))
            invoiced -= total - covered
            kept[item.charge_id] = _covered_part(item, covered)
        else:
            refund, payment = item
            credit = max(ZERO, paid - invoiced - credit_refunded)
            from_credit = min(refund.amount, credit)
            posted = posted_split(refund)
            if posted is not None and sum(posted) == refund.amount:
                from_credit = posted[0]
            credit_refunded += from_credit
            if refund.amount > from_credit:
                uncovered.append([refund.refund_id, refund.amount - from_credit])
            history.refunds.append(
                RefundSplit(refund, payment, from_credit, refund.amount - from_credit))
    history.kept = [k for k in kept.values() if not (k.removed and k.amount + k.tax == 0)]
    return history


def _cover(history: OrderHistory, charge: Charge, total: Decimal, uncovered: list[list],
           on: date) -> Decimal:
    """Tie a removed charge to the earlier refunds that paid it back, oldest first.

    Each refund's covered part is recorded on it, so its income reduction can be put on
    the removed charge's item (the refund was for that line, as the removal now shows).
    """
    covered = ZERO
    for entry in uncovered:
        if covered >= total or total <= 0:
            break
        take = min(entry[1], total - covered)
        if take <= 0:
            continue
        entry[1] -= take
        before = _covered_part(charge, covered)
        covered += take
        after = _covered_part(charge, covered)  # cumulative, so the parts add up exactly
        history.covers.setdefault(entry[0], []).append(
            Cover(charge, after.amount - before.amount, after.tax - before.tax, on))
    return covered


def _covered_part(charge: Charge, covered: Decimal) -> KeptCharge:
    """The part of a removed charge that stays invoiced, split revenue/tax pro rata."""
    total = charge_total(charge)
    if covered == 0 or total == 0:
        return KeptCharge(charge, ZERO, ZERO, True)
    tax = cents((charge.tax_amount or ZERO) * covered / total)
    return KeptCharge(charge, covered - tax, tax, True)


def order_histories(dataset: Dataset, as_of: date,
                    posted_split: PostedSplit = _no_posted_split,
                    ) -> dict[str | None, OrderHistory]:
    """Every order's history; payments without an order share the ``None`` entry."""
    payments: dict[str | None, list[Payment]] = {}
    for payment in dataset.payments:
        if payment.status == "completed" and payment.date <= as_of:
            payments.setdefault(payment.order_id, []).append(payment)
    refunds: dict[str | None, list[tuple[Refund, Payment]]] = {}
    for refund in dataset.refunds:
        paid = dataset.payment_by_id.get(refund.payment_id)
        if paid is None or paid.status != "completed" or refund.date > as_of:
            continue
        refunds.setdefault(paid.order_id, []).append((refund, paid))
    result: dict[str | None, OrderHistory] = {}
    for order, charges in dataset.charges_by_order.items():
        result[order] = order_history(order, charges, payments.get(order, []),
                                      refunds.get(order, []), as_of, posted_split)
    for order_id in (set(payments) | set(refunds)) - set(result):
        if order_id is None:
            result[None] = _unordered_history(payments.get(None, []), refunds.get(None, []))
        else:
            result[order_id] = order_history(order_id, (), payments.get(order_id, []),
                                             refunds.get(order_id, []), as_of, posted_split)
    return result


def _unordered_history(payments: list[Payment],
                       refunds: list[tuple[Refund, Payment]]) -> OrderHistory:
    """Payments with no order are unapplied credit: each refund pays out of its own."""
    history = OrderHistory(None, payments=list(payments))
    refunded: dict[str, Decimal] = {}
    for refund, payment in sorted(refunds, key=lambda rp: (rp[0].date, rp[0].refund_id)):
        left = payment.amount - refunded.get(payment.payment_id, ZERO)
        from_credit = max(ZERO, min(refund.amount, left))
        refunded[payment.payment_id] = refunded.get(payment.payment_id, ZERO) + from_credit
        history.refunds.append(
            RefundSplit(refund, payment, from_credit, refund.amount - from_credit))
    return history
