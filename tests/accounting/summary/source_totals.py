"""What the summary style's books hold, per account, computed straight from the source.

Written from the rules of docs/accounting-summary.md, apart from the planner: each
completed payment debits its tender group's account and credits its allocations' programs
and tax rates (no allocation: Unapplied Payments; a multiplier: Unapplied Payments only);
a gift card sale moves from its income to Gift Card Holding, a redemption from Gift Card
Holding to Unapplied Payments; a refund reverses its payment's lines pro rata (the
rounding cent on the largest share). Failed and voided payments, and their refunds, post
nothing. Shared by the planner's property tests and the end-to-end histories.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.domain.records import Payment, PaymentAllocation, Refund
from tests.accounting.summary.scenario import INCOME, TAX_RATES

TENDER_ACCOUNT = {"card": "Merchant Settlement", "echeck": "Merchant Settlement",
                  "cash": "Undeposited Funds", "check": "Undeposited Funds",
                  "custom:Venmo": "Undeposited Funds"}
INCOME_OF = {"SW": INCOME["Swim Lessons"].name, "CA": INCOME["Camp"].name,
             "GC": INCOME["Gift Cards"].name,
             "SW2": INCOME["Swim Lessons"].name}  # the end-to-end histories' second swim
TAX = TAX_RATES["T1"].name
CENT = Decimal("0.01")


def _prorate(parts: list[Decimal], whole: Decimal, share: Decimal) -> list[Decimal]:
    """Written again here, on purpose, from the rule's words: pro rata, cent on the largest."""
    scaled = [(p * share / whole).quantize(CENT, ROUND_HALF_UP) for p in parts]
    largest = max(range(len(parts)), key=lambda i: (abs(parts[i]), -i))
    scaled[largest] += (sum(parts) * share / whole).quantize(CENT, ROUND_HALF_UP) - sum(scaled)
    return scaled


def expected_totals(records: list[Any]) -> dict[str, Decimal]:
    """Per account, straight from the source, without the planner's machinery."""
    totals: dict[str, Decimal] = {}

    def post(account: str, amount: Decimal) -> None:
        totals[account] = totals.get(account, Decimal(0)) + amount

    pays = {r.payment_id: r for r in records if isinstance(r, Payment)}
    allocs: dict[str, list[PaymentAllocation]] = {}
    for r in records:
        if isinstance(r, PaymentAllocation):
            allocs.setdefault(r.payment_id, []).append(r)
    events = [(p, p.amount, 1) for p in pays.values()]
    events += [(pays[r.payment_id], r.amount, -1) for r in records if isinstance(r, Refund)]
    for payment, amount, sign in events:
        if payment.status != "completed":
            continue
        post(TENDER_ACCOUNT.get(payment.tender, "Discounts and Credits"), sign * amount)
        parts = [] if payment.tender == "multiplier" else allocs.get(payment.payment_id, [])
        parts = sorted(parts, key=lambda a: (a.program_id, a.location_id or "",
                                             a.tax_rate_id or ""))  # ties: the first in order
        if not parts:
            post("Unapplied Payments", -sign * amount)
            continue
        flat = [(a.program_id, False, a.amount) for a in parts]
        flat += [(a.program_id, True, a.tax_amount) for a in parts if a.tax_amount]
        shares = [x[2] for x in flat] if sign == 1 else _prorate(
            [x[2] for x in flat], payment.amount, amount)
        for (program, is_tax, _), share in zip(flat, shares, strict=True):
            post(TAX if is_tax else INCOME_OF[program], -sign * share)
            if program == "GC" and not is_tax:
                post(INCOME_OF["GC"], sign * share)
                post("Gift Card Holding", -sign * share)
        if payment.tender == "gift_card":
            post("Gift Card Holding", sign * amount)
            post("Unapplied Payments", -sign * amount)
    return {k: v for k, v in totals.items() if v}
