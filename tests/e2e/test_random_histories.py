"""Random histories posted month by month to the simulator through the app's post (issue 9).

A history is three monthly closes (January to March 2025). Each month the registration
system's export grows and changes: new orders and their charges; charges added to
existing orders, charge amounts edited, charges removed (with a removal date); payments
(with their deposit split); payments voided or failed; refunds, chargebacks and eCheck
returns, partial or full. After the month's export is stored, the open months are posted
through ``app.posting.post_period`` (``Books.post``) — either as one period from the first
open month, or month by month — and the bookkeeper may then lock posted months
(``LockedPeriod`` rows), so later changes to them must come as adjustments in the first
open period. After every month, in both posting styles:

(a) QuickBooks' TrialBalance, read over HTTP, equals net debit − credit per account
    computed from the source records as they stand, by the documented rules and
    without the planners: ``tests/accounting/summary/source_totals.py`` (summary style)
    and ``tests/accounting/detailed/source_books.py`` (detailed style, §2.7–2.8), the
    independent computations of the planners' own property tests, here applied to the
    whole history after every step;
(b) posting the same period(s) again sends zero write requests (the simulator's
    counters);
(c) no QuickBooks record carries the same Ledgerbridge key twice: every post's duplicate
    scan is empty, and the stamped keys read back from QuickBooks are unique.
Every post must also be accepted whole (no failure, nothing held or blocked).

The histories that found the bugs fixed with this test are replayed first on every run
(``FOUND``). One simulator serves a test function, reset for each example; each example
has a data folder of its own. 40 random examples per style, about 30 s for both.

What the random space leaves out, and why:
- Detailed style, refunds only on orders without sales tax, and every order on programs
  of one income account (Swim Level 1 at Downtown and Swim Level 2 at Uptown, or the
  camp): a refund's income reduction is spread pro rata over the order's lines and tax
  (docs/accounting-detailed.md §2.7) and moved again by ``-RX`` entries when a line is
  removed later (§2.8); ``source_books`` computes what each order's refunds take off its
  income exactly, not how the pro-rata split shares it between accounts, so no order
  whose refund could land on two accounts is drawn. Within one account the split still
  moves between items and classes (``-RX`` entries are posted and checked by (b));
  taxed orders, orders of both accounts and customers with several orders mix freely.
- Detailed style, no gift-card program and no credit-type tenders: their treatment with
  the defaults is an open question (docs/accounting-detailed.md §2.6, "Open: gift cards
  with the defaults"), being rebuilt on another branch. The summary style draws them all.
- Detailed style, a refunded payment is never voided afterwards (and a voided payment is
  never refunded): a posted refund keeps its split (§2.14) while the source computation
  drops the refunds of a voided payment; the source would be inconsistent. The summary
  style draws voids of refunded payments (the refund is ignored, docs: "A refund of one is
  ignored with a warning").
- Deferred revenue is off, and payment amounts are never edited (only voided): deferred
  recognition and locked payment-amount adjustments are covered by the planners' tests.
- Every record is dated within the month being closed (nothing dated in the future of
  the export), so "as it stands" and "as of the period's last day" are the same.
"""

from __future__ import annotations

import dataclasses
import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain.dataset import Dataset
from app.domain.records import (
    Charge,
    Customer,
    Participant,
    Payment,
    PaymentAllocation,
    Program,
    Refund,
)
from app.mapping.config import MappingConfig, Target
from app.plan.plan import Period
from app.posting import PostReport
from tests.accounting.detailed.source_books import source_books
from tests.accounting.summary.scenario import INCOME, LOCATIONS, REFERENCE, TAX_RATES
from tests.accounting.summary.source_totals import INCOME_OF, TAX, expected_totals
from tests.e2e.books import Books
from tests.sync.simulator_helpers import write_requests

TIME_SCALE = 60.0
MONTHS = [Period(date(2025, m, 1), date(2025, m, monthrange(2025, m)[1])) for m in (1, 2, 3)]
CENT = Decimal("0.01")
AR = "Accounts Receivable (A/R)"
FAMILY = {"P1": "C1", "P2": "C1", "P3": "C2"}
PEOPLE = [Customer("C1", "Dana Lee", "Dana", "Lee", "dana@example.com"),
          Customer("C2", "Kim Park", "Kim", "Park", "kim@example.com"),
          Participant("P1", "Ava", "Lee", "C1"), Participant("P2", "Sam", "Lee", "C1"),
          Participant("P3", "Ava", "Lee", "C2")]  # two Ava Lees: one display name suffixed
SUMMARY_TENDERS = ["card", "echeck", "cash", "check", "custom:Venmo", "house_credit",
                   "coupon", "gift_card", "other_credit", "multiplier"]
DETAILED_TENDERS = ["card", "echeck", "cash", "check"]
# The summary scenario's locations, programs and tax rate, and a second swim program at
# the other location: same income account, another class.
PROGRAMS = [*REFERENCE, Program("SW2", "Swim Level 2", category="Swim Lessons", location_id="L2")]


def mapping(style: str, sync: str = "daily") -> MappingConfig:
    """The same accounts and classes in both styles, created on the first post."""
    return MappingConfig(
        style=style, go_live=MONTHS[0].start if style == "summary" else None, sync=sync,
        organisation_class="Riverside Swim", create_missing=True,
        income={category: Target(t.name) for category, t in INCOME.items()},
        tax_rates={rate: Target(t.name) for rate, t in TAX_RATES.items()},
        locations={location: Target(t.name) for location, t in LOCATIONS.items()},
        tenders={"card": Target("Merchant Settlement")})


# -- the random histories ----------------------------------------------------------------
@dataclass(frozen=True)
class Order:
    participant: str
    programs: tuple[str, ...]  # programs of one income account (its charges draw from them)
    taxed: bool


class Step:
    """One month: the export as it stands at its end, and what the bookkeeper does.

    (Not a dataclass, so a shrunk example prints one record a line.)"""

    def __init__(self, records: tuple[Any, ...], monthly: bool, locked_after: int) -> None:
        self.records = records
        self.monthly = monthly  # post each open month in turn (else one period)
        self.locked_after = locked_after  # months locked once posted (a prefix of MONTHS)

    def dataset(self) -> Dataset:
        return Dataset.from_records([*PEOPLE, *PROGRAMS, *self.records])

    def __repr__(self) -> str:  # a shrunk example, one record a line
        rows = "".join(f"\n    {_brief(r)}" for r in self.records)
        return f"Step(monthly={self.monthly}, locked_after={self.locked_after}){rows}"


def _brief(record: Any) -> str:
    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    shown = [str(v) for k, v in fields.items() if (v is not None and k not in (
        "quantity", "status")) or (k == "status" and v not in ("active", "completed"))]
    return f"{type(record).__name__}({', '.join(shown)})"


amounts = st.integers(min_value=0, max_value=20_000).map(lambda n: Decimal(n) / 100)


def _taxed(amount: Decimal, taxed: bool) -> dict[str, Any]:
    if not taxed:
        return {"tax_rate_id": None, "tax_amount": None}
    return {"tax_rate_id": "T1", "tax_amount": (amount * Decimal("0.05")).quantize(CENT)}


@st.composite
def histories(draw: Any, style: str) -> tuple[str, list[Step]]:
    detailed = style == "detailed"
    tenders = DETAILED_TENDERS if detailed else SUMMARY_TENDERS
    accounts = [("SW", "SW2"), ("CA",)] + ([] if detailed else [("GC",)])
    orders: dict[str, Order] = {}
    charges: dict[str, Charge] = {}
    payments: dict[str, Payment] = {}
    allocations: dict[str, PaymentAllocation] = {}
    refunds: dict[str, Refund] = {}
    steps: list[Step] = []
    locked = 0
    for k, month in enumerate(MONTHS):
        def day(low: int, high: int, month: Period = month) -> date:
            return month.start.replace(day=draw(st.integers(low, high)))

        # New orders, each on programs of one income account; charges added to earlier
        # orders.
        earlier = sorted(orders)
        for _ in range(draw(st.integers(1 if k == 0 else 0, 2))):
            account = draw(st.sampled_from(accounts))
            order_id = f"O{len(orders)}"
            orders[order_id] = Order(draw(st.sampled_from(sorted(FAMILY))), account,
                                     account != ("GC",) and draw(st.booleans()))
            for _ in range(draw(st.integers(1, 2))):
                charges[f"X{len(charges)}"] = _charge(draw, f"X{len(charges)}", order_id,
                                                      orders[order_id], day(1, 10))
        for order_id in earlier:
            if draw(st.integers(0, 3)) == 0:
                charges[f"X{len(charges)}"] = _charge(draw, f"X{len(charges)}", order_id,
                                                      orders[order_id], day(1, 10))
        # Edits: an earlier charge's amount corrected; any active charge removed.
        for charge_id, charge in list(charges.items()):
            if charge.status != "active":
                continue
            edit = draw(st.sampled_from(["keep"] * 5 + ["amount", "remove"]))
            if edit == "amount" and charge.date < month.start:
                amount = draw(amounts)
                charges[charge_id] = replace(charge, amount=amount, unit_price=None,
                                             **_taxed(amount, charge.tax_rate_id is not None))
            elif edit == "remove":
                charges[charge_id] = replace(charge, status="removed", removed_date=day(11, 15))
        # Payments: often exactly what the order still owes (closing its invoice).
        for _ in range(draw(st.integers(0, 3))):
            order_id = draw(st.sampled_from(sorted(orders)))
            order = orders[order_id]
            owed = sum((c.amount + (c.tax_amount or 0) for c in charges.values()
                        if c.order_id == order_id and c.status == "active"), Decimal(0))
            owed -= sum((p.amount for p in payments.values()
                         if p.order_id == order_id and p.status == "completed"), Decimal(0))
            amount = draw(st.sampled_from([owed, (owed / 2).quantize(CENT)])
                          if owed > 0 and draw(st.integers(0, 2)) else amounts)
            if amount <= 0:
                continue
            payment_id = f"PA{len(payments)}"
            tender = draw(st.sampled_from(tenders))
            payments[payment_id] = Payment(payment_id, day(5, 20), tender, amount,
                                           customer_id=FAMILY[order.participant],
                                           order_id=order_id)
            if tender != "multiplier" and draw(st.integers(0, 5)):
                tax = (amount * 5 / 105).quantize(CENT) if order.taxed else None
                allocations[payment_id] = PaymentAllocation(
                    payment_id, order.programs[0], amount - (tax or 0),
                    tax_rate_id="T1" if tax is not None else None, tax_amount=tax)
        # Voids and failures (detailed: never of a refunded payment, see the docstring).
        refunded = {r.payment_id for r in refunds.values()}
        for payment_id, payment in list(payments.items()):
            if payment.status == "completed" and draw(st.integers(0, 7)) == 0 and not (
                    detailed and payment_id in refunded):
                payments[payment_id] = replace(
                    payment, status=draw(st.sampled_from(["voided", "failed"])))
        # Refunds of what is left of a completed payment, partial or full.
        for payment_id, payment in list(payments.items()):
            left = payment.amount - sum((r.amount for r in refunds.values()
                                         if r.payment_id == payment_id), Decimal(0))
            taxed = orders[payment.order_id or ""].taxed
            if payment.status != "completed" or left <= 0 or (detailed and taxed) or draw(
                    st.integers(0, 3)):
                continue
            share = draw(st.sampled_from([100, draw(st.integers(1, 99))]))
            amount = max(CENT, (left * share / 100).quantize(CENT, ROUND_DOWN))
            refund_id = f"R{len(refunds)}"
            refunds[refund_id] = Refund(
                refund_id, payment_id, max(payment.date, day(16, 28)), amount,
                kind=draw(st.sampled_from(["refund", "chargeback", "echeck_return"])))
        if k < len(MONTHS) - 1:
            locked = draw(st.integers(locked, k + 1))
        steps.append(Step((*charges.values(), *payments.values(), *allocations.values(),
                           *refunds.values()), draw(st.booleans()), locked))
    sync = draw(st.sampled_from(["daily", "manual"])) if style == "summary" else "daily"
    return sync, steps


def _charge(draw: Any, charge_id: str, order_id: str, order: Order, when: date) -> Charge:
    amount = draw(amounts)
    return Charge(charge_id, order_id, order.participant, draw(st.sampled_from(order.programs)),
                  when, amount, **_taxed(amount, order.taxed))


# -- the books the source says QuickBooks should hold --------------------------------------
def summary_books(step: Step, _splits: dict[str, Decimal]) -> dict[str, Decimal]:
    return expected_totals(list(step.records))


def detailed_books(step: Step, splits: dict[str, Decimal]) -> dict[str, Decimal]:
    """docs/accounting-detailed.md: cash by deposit account; A/R, income and tax by the
    removed-and-refunded rule (``source_books``), each order's refund reduction on its one
    program's account. ``splits`` (refund → part paid out of credit) is updated with the
    refunds posted for the first time (a posted refund keeps its split, §2.14)."""
    data = step.dataset()
    books = source_books(data.charges, data.payments, data.refunds, INCOME_OF.__getitem__,
                         TAX, splits)
    splits.update({**books.splits, **splits})
    totals: dict[str, Decimal] = {}

    def post(account: str, amount: Decimal) -> None:
        totals[account] = totals.get(account, Decimal(0)) + amount

    payments = {p.payment_id: p for p in data.payments if p.status == "completed"}
    deposit = {"card": "Merchant Settlement"}
    for payment in payments.values():
        post(deposit.get(payment.tender, "Undeposited Funds"), payment.amount)
    for refund in data.refunds:
        if refund.payment_id in payments:
            tender = refund.tender or payments[refund.payment_id].tender
            post(deposit.get(tender, "Undeposited Funds"), -refund.amount)
    assert sum(totals.values(), Decimal(0)) == books.cash
    post(AR, books.receivable)
    for account, sold in books.sold.items():
        post(account, -sold)
    for order_id, reduced in books.pools.items():
        if reduced:  # on the order's one income account (no tax: see the docstring)
            charges = [c for c in data.charges if c.order_id == order_id]
            assert not any(c.tax_amount for c in charges)
            [account] = {INCOME_OF[c.program_id] for c in charges}
            post(account, reduced)
    return {account: amount for account, amount in totals.items() if amount}


EXPECTED = {"summary": summary_books, "detailed": detailed_books}


# -- the property --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def _posted(report: PostReport) -> None:
    assert report.stopping == (), [i.message for i in report.stopping]
    assert report.summary is not None and report.summary.failures == [], report.as_dict()
    assert report.duplicates == [], report.as_dict()  # (c)
    assert report.exit_code == 0, report.as_dict()


KEY = re.compile(r"Ledgerbridge (\S+)")


def _keys_twice(books: Books) -> dict[str, list[str]]:
    """Ledgerbridge keys stamped on more than one QuickBooks record."""
    seen: dict[str, list[str]] = {}
    for entity in ("Customer", "Invoice", "Payment", "CreditMemo", "RefundReceipt",
                   "JournalEntry"):
        for record in books.records(entity):
            found = KEY.match(str(record.get("PrivateNote") or record.get("Notes") or ""))
            if found:
                seen.setdefault(found.group(1), []).append(f"{entity} {record['Id']}")
    return {key: ids for key, ids in seen.items() if len(ids) > 1}


def replay(simulator: Any, home: Path, style: str, sync: str, steps: list[Step]) -> None:
    simulator.reset()
    books = Books(home, simulator, mapping(style, sync), TIME_SCALE)
    splits: dict[str, Decimal] = {}
    try:
        locked = 0
        for k, step in enumerate(steps):
            books.load(step.dataset())
            open_months = MONTHS[locked:k + 1]
            periods = open_months if step.monthly else [
                Period(open_months[0].start, open_months[-1].end)]
            for period in periods:
                _posted(books.post(period))
            # (a) QuickBooks' books are the source's.
            nets, (debits, credits) = books.trial_balance()
            assert debits == credits
            assert nets == EXPECTED[style](step, splits), f"after {MONTHS[k].end}"
            # (b) posting again sends nothing.
            before = write_requests(simulator.info)
            for period in periods:
                again = books.post(period)
                _posted(again)
                assert again.summary is not None and again.summary.total == 0, [
                    o.key for o in (again.preview.operations if again.preview else ())]
            assert write_requests(simulator.info) == before
            # (c) read from QuickBooks too, not only the post's own duplicate scan.
            assert _keys_twice(books) == {}
            for month in MONTHS[locked:step.locked_after]:
                books.lock(month)
            locked = step.locked_after
    finally:
        books.close()


RELAXED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
           HealthCheck.data_too_large]
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=RELAXED)


# The histories that found the bugs fixed with this test (shrunk, then trimmed by hand):
# each is replayed on every run, over HTTP, before the random ones.
def _history(*months: tuple[list[Any], bool, int]) -> tuple[str, list[Step]]:
    """Steps from each month's records *added or changed* (a record replaces the one with
    its ID), whether the open months are posted one by one, and the months locked after."""
    records: dict[tuple[str, ...], Any] = {}
    steps = []
    for changes, monthly, locked in months:
        for record in changes:
            records[_identity(record)] = record
        steps.append(Step(tuple(records.values()), monthly, locked))
    return "daily", steps


def _identity(record: Any) -> tuple[str, ...]:
    if isinstance(record, PaymentAllocation):
        return "allocation", record.payment_id, record.program_id
    return type(record).__name__, str(getattr(record, dataclasses.fields(record)[0].name))


def _pay(pid: str, when: date, amount: str, status: str = "completed") -> Payment:
    return Payment(pid, when, "card", Decimal(amount), customer_id="C1", order_id="O0",
                   status=status)


def _swim(cid: str, when: date, amount: str) -> Charge:
    return Charge(cid, "O0", "P1", "SW", when, Decimal(amount))


JAN, FEB, MAR = (m.start for m in MONTHS)
FOUND = {
    # March's post re-ran January and February: January credited the supplemental
    # February had added (and February added it back, on every re-run).
    "earlier period undid a later supplemental": _history(
        ([_swim("X1", JAN, "10.00"), _pay("PA1", JAN.replace(day=5), "10.00")], False, 0),
        ([_swim("X2", FEB, "5.00")], False, 0),
        ([], True, 0)),
    # January's re-run applied January's credit to February's supplemental.
    "earlier period applied a payment to a later invoice": _history(
        ([_swim("X1", JAN, "10.00"), _pay("PA1", JAN.replace(day=5), "30.00")], False, 0),
        ([_swim("X2", FEB, "5.00")], True, 0),
        ([], True, 0)),
    # A void in locked January: its reversing entry moved from 1 February to 1 March.
    "reversing entry moved by each later period": _history(
        ([_swim("X1", JAN, "10.00"), _pay("PA1", JAN.replace(day=5), "10.00")], False, 1),
        ([_pay("PA1", JAN.replace(day=5), "10.00", "voided")], True, 1),
        ([], True, 1)),
    # QBO refused PA1's update (6000): sent before the void of PA2, which held the
    # supplemental PA1's credit now pays.
    "payment update sent before the void it counts on": _history(
        ([_swim("X1", JAN, "10.00"), _pay("PA1", JAN.replace(day=5), "30.00")], False, 0),
        ([_swim("X2", FEB, "5.00"), _pay("PA2", FEB.replace(day=5), "5.00")], True, 0),
        ([_pay("PA2", FEB.replace(day=5), "5.00", "voided")], False, 0)),
    # QBO refused PA1's update (6000): re-applied from scratch, it took the supplemental
    # PA2 pays, and was sent first.
    "payment re-applied over another's application": _history(
        ([_swim("X1", JAN, "10.00"), _pay("PA1", JAN.replace(day=5), "30.00")], False, 0),
        ([_swim("X2", FEB, "15.00"), _pay("PA2", FEB.replace(day=5), "1.00")], True, 0),
        ([], False, 0)),
    # Its other path (not drawn: payment amounts are never edited): PA2 corrected from
    # 15.00 to 5.00 gives up what PA1's credit takes; PA2's update must go first.
    "payment corrected downwards, another takes what it gave up": _history(
        ([_swim("X1", JAN, "10.00"), _pay("PA1", JAN.replace(day=5), "30.00")], False, 0),
        ([_swim("X2", FEB, "15.00"), _pay("PA2", FEB.replace(day=5), "15.00")], True, 0),
        ([_pay("PA2", FEB.replace(day=5), "5.00")], False, 0)),
    # The second refund was blocked: its payment's allocation looked used up by the
    # refund of the other payment of the same day.
    "refunds of two same-day payments": _history(
        ([_swim("X1", JAN, "100.00"), _pay("PA1", JAN.replace(day=5), "10.00"),
          _pay("PA2", JAN.replace(day=5), "10.00"),
          PaymentAllocation("PA1", "SW", Decimal("10.00")),
          PaymentAllocation("PA2", "SW", Decimal("10.00")),
          Refund("R1", "PA1", JAN.replace(day=20), Decimal("10.00")),
          Refund("R2", "PA2", JAN.replace(day=20), Decimal("10.00"))], False, 0)),
}


@pytest.mark.slow
@PROPERTY
@given(history=histories("summary"))
def test_summary_histories_reach_quickbooks_exactly(simulator, tmp_path_factory, history):
    sync, steps = history
    replay(simulator, tmp_path_factory.mktemp("books"), "summary", sync, steps)


def _with_found(test: Any) -> Any:
    for history in FOUND.values():
        test = example(history=history)(test)
    return test


@pytest.mark.slow
@PROPERTY
@_with_found
@given(history=histories("detailed"))
def test_detailed_histories_reach_quickbooks_exactly(simulator, tmp_path_factory, history):
    sync, steps = history
    replay(simulator, tmp_path_factory.mktemp("books"), "detailed", sync, steps)


