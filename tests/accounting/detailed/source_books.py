"""What the books should hold, computed straight from the source records by the rule of
docs/accounting-detailed.md §2.8 — written again here, apart from the planner.

Per order, the events are replayed in date order (same day: purchases, payments,
removals, refunds):
- a refund pays first out of the customer's credit (paid − invoiced − credit already
  paid out); that part touches only A/R and cash;
- the rest reduces income; a line removed later is first *covered* by that rest (it
  stays invoiced, the refund's reduction moves onto it) and only the uncovered part is
  credited;
- so a removed line's account ends at exactly zero, whichever came first, and the refund
  rest still tied to no removed line (``unattributed``) reduces what is still sold;
- a refund already posted keeps the split it was posted with (§2.14): ``posted_splits``
  holds, per refund, the part paid out of credit when it was first posted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.records import Charge, Payment, Refund

ZERO = Decimal("0")
_ADD, _PAY, _REMOVE, _REFUND = range(4)


@dataclass
class SourceBooks:
    cash: Decimal = ZERO
    receivable: Decimal = ZERO
    unattributed: Decimal = ZERO  # refund rest reducing income on what is still sold
    pools: dict[str, Decimal] = field(default_factory=dict)  # order -> its unattributed part
    sold: dict[str, Decimal] = field(default_factory=dict)  # account -> active sales + tax
    splits: dict[str, Decimal] = field(default_factory=dict)  # refund -> paid from credit

    @property
    def revenue(self) -> Decimal:
        return sum(self.sold.values(), ZERO) - self.unattributed


def source_books(charges: Iterable[Charge], payments: Iterable[Payment],
                 refunds: Iterable[Refund], account_of: Callable[[str], str],
                 tax_account: str, posted_splits: Mapping[str, Decimal] | None = None,
                 ) -> SourceBooks:
    charges, payments = list(charges), [p for p in payments if p.status == "completed"]
    by_id = {p.payment_id: p for p in payments}
    refunds = [r for r in refunds if r.payment_id in by_id]
    books = SourceBooks()
    for charge in charges:
        if charge.status == "active":
            books.sold[account_of(charge.program_id)] = books.sold.get(
                account_of(charge.program_id), ZERO) + charge.amount
            if charge.tax_amount:
                books.sold[tax_account] = books.sold.get(tax_account, ZERO) + charge.tax_amount
    orders = {c.order_id for c in charges} | {p.order_id for p in payments}
    for order in orders:
        events = [(c.date, _ADD, c) for c in charges if c.order_id == order]
        events += [(c.removed_date or c.date, _REMOVE, c) for c in charges
                   if c.order_id == order and c.status == "removed"]
        events += [(p.date, _PAY, p) for p in payments if p.order_id == order]
        events += [(max(r.date, by_id[r.payment_id].date), _REFUND, r) for r in refunds
                   if by_id[r.payment_id].order_id == order]
        invoiced = paid = credit_paid_out = pool = covered = refunded = ZERO
        for _day, kind, record in sorted(events, key=lambda e: (e[0], e[1], _id(e[2]))):
            if kind == _ADD:
                invoiced += record.amount + (record.tax_amount or ZERO)
            elif kind == _PAY:
                paid += record.amount
            elif kind == _REMOVE:
                total = record.amount + (record.tax_amount or ZERO)
                cover = min(total, pool) if total > 0 else ZERO
                pool, covered = pool - cover, covered + cover
                invoiced -= total - cover
            else:
                from_credit = min(record.amount, max(ZERO, paid - invoiced - credit_paid_out))
                from_credit = (posted_splits or {}).get(record.refund_id, from_credit)
                books.splits[record.refund_id] = from_credit
                credit_paid_out += from_credit
                pool += record.amount - from_credit
                refunded += record.amount
        books.cash += paid - refunded
        books.receivable += invoiced - paid + credit_paid_out
        books.unattributed += pool
        books.pools[order] = pool
    return books


def _id(record) -> str:
    return getattr(record, "charge_id", None) or getattr(record, "refund_id", None) or (
        record.payment_id)
