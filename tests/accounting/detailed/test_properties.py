"""Property tests: random orders, payments, cart edits and refunds over three months.

For every history: each invoice's lines sum to its amount and every operation balances;
the postings of all runs, per account, equal an independent computation from the final
source; planning again once the ledger holds what was planned plans nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.records import Charge, Payment, Refund
from app.plan.plan import Period
from app.plan.postings import is_balanced

from .helpers import AR, CAMP, DEFERRED, SWIM, TAX, D, books, dataset, plan, post, sent_books
from .source_books import source_books

MONTHS = [Period(date(2026, m, 1), date(2026, m, 28)) for m in (3, 4, 5)]
CASH = "Merchant Settlement"

cents_st = st.integers(min_value=0, max_value=30000).map(lambda c: Decimal(c) / 100)


@st.composite
def histories(draw):
    charges: list[Charge] = []
    payments: list[Payment] = []
    n_orders = draw(st.integers(1, 4))
    for o in range(n_orders):
        for c in range(draw(st.integers(1, 3))):
            amount = draw(cents_st)
            tax = draw(st.sampled_from([None, amount * D("0.05")]))
            charges.append(Charge(
                f"X{o}{c}", f"O{o}", draw(st.sampled_from(["P1", "P2"])),
                draw(st.sampled_from(["SW1", "CA1"])), date(2026, 3, draw(st.integers(1, 10))),
                amount, tax_rate_id="T1" if tax is not None else None,
                tax_amount=tax.quantize(D("0.01")) if tax is not None else None))
        for k in range(draw(st.integers(0, 2))):
            payments.append(Payment(f"PA{o}{k}", date(2026, 3, draw(st.integers(11, 20))),
                                    "card", draw(cents_st), customer_id="C1", order_id=f"O{o}"))
    # April: removals, additions, more payments, failed payments.
    april = list(charges)
    for i, charge in enumerate(april):
        if draw(st.booleans()):
            april[i] = replace(charge, status="removed",
                               removed_date=date(2026, 4, draw(st.integers(1, 10))))
    for o in range(n_orders):
        if draw(st.booleans()):
            april.append(Charge(f"Y{o}", f"O{o}", "P1", "SW1",
                                date(2026, 4, draw(st.integers(1, 10))), draw(cents_st)))
    april_payments = [replace(p, status="failed") if draw(st.booleans()) and i % 2 else p
                      for i, p in enumerate(payments)]
    # March refunds, before April's removals (refund-then-remove), on orders whose
    # payments all stay completed (a void after a refund keeps the posted split).
    failing = {p.order_id for p in april_payments if p.status != "completed"}
    march_refunds = [
        Refund(f"Q{p.payment_id}", p.payment_id, date(2026, 3, draw(st.integers(21, 28))),
               (p.amount * draw(st.integers(1, 100)) / 100).quantize(D("0.01")))
        for p in payments if p.order_id not in failing and p.amount > 0
        and draw(st.integers(0, 2)) == 0]
    for o in range(n_orders):
        if draw(st.booleans()):
            april_payments.append(Payment(f"PB{o}", date(2026, 4, draw(st.integers(11, 20))),
                                          "card", draw(cents_st), customer_id="C1",
                                          order_id=f"O{o}"))
    # May: refunds of completed payments, never more than was paid.
    refunds: list[Refund] = list(march_refunds)
    for p in april_payments:
        left = p.amount - sum((r.amount for r in march_refunds if r.payment_id == p.payment_id),
                              D("0"))
        if p.status == "completed" and left > 0 and draw(st.booleans()):
            share = draw(st.integers(1, 100))
            refunds.append(Refund(f"R{p.payment_id}", p.payment_id,
                                  date(2026, 5, draw(st.integers(1, 20))),
                                  (left * share / 100).quantize(D("0.01"))))
    return [(charges, payments, march_refunds), (april, april_payments, march_refunds),
            (april, april_payments, refunds)]


def assert_books_from_payloads_match_the_source(ledger, plans, steps, config=None,
                                                deferred=False):
    """The books read from the payloads sent equal the postings the preview showed, and
    what the source says they should be (``source_books``): cash and A/R exactly, income
    and tax per account — a removed line's account back to zero, the rest of a refund
    only on what is still sold."""
    sent = sent_books(ledger, config)
    assert sent == books(*plans)
    def account_of(program: str) -> str:
        return DEFERRED if deferred and program == "CA1" else {"SW1": SWIM, "CA1": CAMP}[program]

    splits: dict = {}  # each refund keeps the split of the run that first posted it
    for charges, payments, refunds in steps:
        expected = source_books(charges, payments, refunds, account_of, TAX, splits)
        splits = {**expected.splits, **splits}
    assert sent.get(CASH, D("0")) == expected.cash
    assert sent.get(AR, D("0")) == expected.receivable
    income = {a: -v for a, v in sent.items() if a not in (CASH, AR)}
    assert sum(income.values(), D("0")) == expected.revenue
    for account in set(income) | set(expected.sold):
        sold = expected.sold.get(account, D("0"))
        reduced = sold - income.get(account, D("0"))
        assert D("0") <= reduced <= sold, (account, sold, reduced)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_random_histories_post_correct_books_and_replan_nothing(steps):
    ledger: dict = {}
    plans = []
    for period, (charges, payments, refunds) in zip(MONTHS, steps, strict=True):
        data = dataset(*charges, *payments, *refunds)
        planned = plan(data, ledger, period)
        assert not planned.blocking_issues, planned.issues
        for operation in planned.operations:
            assert is_balanced(operation.postings), operation
            if operation.entity in ("Invoice", "CreditMemo", "RefundReceipt"):
                assert operation.amount == sum(
                    (line["Amount"] for line in operation.payload["Line"]), D("0"))
        plans.append(planned)
        ledger = post(planned, ledger)
        assert plan(data, ledger, period).is_empty
    assert_books_from_payloads_match_the_source(ledger, plans, steps)


@st.composite
def messy_histories(draw):
    """Anything in any month: refunds before or after removals, two children per order,
    failed payments, deferred programs; the third month's run has March locked."""
    charges, payments, refunds = [], [], []
    steps = []
    for month in (3, 4, 5):
        for _ in range(draw(st.integers(0, 3))):
            order = f"O{draw(st.integers(0, 3))}"
            amount = draw(cents_st)
            charges.append(Charge(
                f"X{len(charges)}", order, draw(st.sampled_from(["P1", "P2"])),
                draw(st.sampled_from(["SW1", "CA1"])), date(2026, month, draw(st.integers(1, 9))),
                amount, tax_rate_id="T1", tax_amount=(amount * D("0.05")).quantize(D("0.01"))))
        for i, charge in enumerate(charges):
            if charge.status == "active" and draw(st.integers(0, 4)) == 0:
                charges[i] = replace(charge, status="removed",
                                     removed_date=date(2026, month, draw(st.integers(10, 15))))
        for _ in range(draw(st.integers(0, 2))):
            payments.append(Payment(f"PA{len(payments)}",
                                    date(2026, month, draw(st.integers(5, 12))), "card",
                                    draw(cents_st), customer_id="C1",
                                    order_id=f"O{draw(st.integers(0, 3))}"))
        refunded = {r.payment_id for r in refunds}
        for i, p in enumerate(payments):  # a refunded payment is not voided afterwards
            if p.status == "completed" and p.payment_id not in refunded and draw(
                    st.integers(0, 6)) == 0:
                payments[i] = replace(p, status="voided")
        for p in payments:
            done = sum((r.amount for r in refunds if r.payment_id == p.payment_id), D("0"))
            if p.status == "completed" and p.amount > done and draw(st.integers(0, 3)) == 0:
                day = date(2026, month, draw(st.integers(8, 20)))
                refunds.append(Refund(f"R{len(refunds)}", p.payment_id, max(day, p.date),
                                      ((p.amount - done) / 2).quantize(D("0.01"))))
        steps.append((list(charges), list(payments),
                      [r for r in refunds if payments[int(r.payment_id[2:])].status
                       == "completed"]))
    return steps


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messy_histories())
def test_messy_histories_balance_keep_cash_exact_and_replan_nothing(steps):
    from .helpers import mapping

    config = mapping(deferred_revenue=True)
    ledger: dict = {}
    plans = []
    for n, (period, (charges, payments, refunds)) in enumerate(zip(MONTHS, steps, strict=True)):
        locked = (MONTHS[0],) if n == 2 else ()
        data = dataset(*charges, *payments, *refunds)
        planned = plan(data, ledger, period, config, locked)
        assert not planned.blocking_issues, planned.issues
        for operation in planned.operations:
            assert is_balanced(operation.postings), operation
        plans.append(planned)
        ledger = post(planned, ledger)
        assert plan(data, ledger, period, config, locked).is_empty
    assert_books_from_payloads_match_the_source(ledger, plans, steps, config, deferred=True)
    # July: the camp starts; what is left deferred moves to its income, nothing more.
    july = plan(data, ledger, Period(date(2026, 7, 1), date(2026, 7, 31)), config, locked)
    assert not july.blocking_issues, july.issues
    plans.append(july)
    ledger = post(july, ledger)
    assert sent_books(ledger, config).get(DEFERRED, D("0")) == D("0")
    assert_books_from_payloads_match_the_source(ledger, plans, steps, config)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.floats(min_value=0, max_value=1))
def test_a_run_interrupted_anywhere_is_completed_by_the_next(steps, cut):
    """A crash after any operation: the next run plans exactly what is missing."""
    from app.plan.plan import Plan

    charges, payments, refunds = steps[-1]
    data = dataset(*charges, *payments, *refunds)
    period = Period(date(2026, 3, 1), date(2026, 5, 28))
    full = plan(data, {}, period)
    sent = Plan(full.operations[: int(len(full.operations) * cut)], (), period)
    rest = plan(data, post(sent), period)
    assert {o.key for o in sent.operations} | {o.key for o in rest.operations} == {
        o.key for o in full.operations}
    assert books(sent, rest) == books(full)
    assert plan(data, post(rest, post(sent)), period).is_empty
