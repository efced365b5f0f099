"""SPEC §3a/§5: deferred revenue and its recognition in the period of the start date."""

from __future__ import annotations

from app.plan.plan import Period

from .helpers import (
    AR,
    CAMP,
    DEFERRED,
    D,
    books,
    charge,
    dataset,
    day,
    lines,
    mapping,
    op,
    ops,
    payment,
    plan,
    post,
    refund,
)

JULY = Period(day(1, 7), day(31, 7))
JUNE = Period(day(1, 6), day(30, 6))
DEFER = mapping(deferred_revenue=True)
CAMP_SALE = charge("X1", "O1", "200.00", day(3), program="CA1")  # camp starts July 1


def test_a_future_program_is_invoiced_on_its_deferred_item():
    p = plan(dataset(CAMP_SALE), config=DEFER)
    assert lines(op(p, "invoice:order:O1")) == [("item:deferred:CA1", D("200.00"), "500")]
    item = op(p, "item:deferred:CA1")
    assert item.payload["Name"] == "Summer Camp (deferred)"
    assert item.payload["IncomeAccountRef"]["value"] == "3"
    assert books(p) == {AR: D("200.00"), DEFERRED: D("-200.00")}
    assert not ops(p, "JournalEntry")  # March does not hold the start date


def test_recognition_entry_belongs_to_the_period_holding_the_start_date():
    records = (CAMP_SALE, charge("X2", "O2", "150.00", day(9), program="CA1"),
               charge("X3", "O3", "150.00", day(12), program="CA1", participant="P2",
                      status="removed", removed_date=day(20)))
    ledger = post(plan(dataset(*records), config=DEFER))
    assert plan(dataset(*records), ledger, JUNE, DEFER).is_empty
    july = plan(dataset(*records), ledger, JULY, DEFER)
    [entry] = ops(july)
    assert entry.key == "je:deferred:CA1" and entry.payload["TxnDate"] == "2026-07-01"
    # O3 was removed before it was ever posted: only 350 was deferred.
    assert lines(entry) == [("Debit", "Deferred Revenue", D("350.00")),
                            ("Credit", "Camp", D("350.00"))]
    detail = entry.payload["Line"][1]["JournalEntryLineDetail"]
    assert detail["ClassRef"] == {"value": "500", "name": "Downtown L1"}
    assert books(july) == {DEFERRED: D("350.00"), CAMP: D("-350.00")}
    assert plan(dataset(*records), post(july, ledger), JULY, DEFER).is_empty


def test_refund_before_the_start_reduces_the_deferred_amount_not_income():
    records = (CAMP_SALE, payment("PA1", "O1", "200.00", day(4)),
               refund("R1", "PA1", "50.00", day(20)))
    march = plan(dataset(*records), config=DEFER)
    assert lines(op(march, "refundreceipt:R1")) == [("item:deferred:CA1", D("50.00"), "500")]
    july = plan(dataset(*records), post(march), JULY, DEFER)
    assert op(july, "je:deferred:CA1").amount == D("150.00")


def test_sale_after_the_start_goes_straight_to_income():
    p = plan(dataset(charge("X1", "O1", "200.00", day(5, 7), program="CA1")), period=JULY,
             config=DEFER)
    assert lines(op(p, "invoice:order:O1")) == [("item:program:CA1", D("200.00"), "500")]
    assert not ops(p, "JournalEntry")


def test_removal_after_recognition_reduces_income_not_the_liability():
    records = [CAMP_SALE, payment("PA1", "O1", "200.00", day(4))]
    ledger = post(plan(dataset(*records), config=DEFER))
    ledger = post(plan(dataset(*records), ledger, JULY, DEFER), ledger)
    records[0] = charge("X1", "O1", "200.00", day(3), program="CA1", status="removed",
                        removed_date=day(10, 7))
    later = plan(dataset(*records), ledger, JULY, DEFER)
    memo = op(later, "creditmemo:order:O1:c1")
    assert lines(memo) == [("item:program:CA1", D("200.00"), "500")]
    assert books(later) == {AR: D("-200.00"), CAMP: D("200.00")}


def test_deferred_revenue_off_invoices_on_the_program_item():
    p = plan(dataset(CAMP_SALE))
    assert lines(op(p, "invoice:order:O1")) == [("item:program:CA1", D("200.00"), "500")]


def test_a_refund_moved_onto_a_removed_deferred_line_is_not_recognised_later():
    """March: swim + camp (deferred) paid, 200 refunded pro rata. April: the camp is
    removed — the refund was for it. July: nothing of the camp is left to recognise."""
    from .helpers import APRIL, SWIM, sent_books

    swim = charge("X2", "O1", "100.00", day(3))
    records = [CAMP_SALE, swim, payment("PA1", "O1", "300.00", day(4)),
               refund("R1", "PA1", "200.00", day(20))]
    ledger = post(plan(dataset(*records), config=DEFER))
    records[0] = charge("X1", "O1", "200.00", day(3), program="CA1", status="removed",
                        removed_date=day(2, 4))
    ledger = post(plan(dataset(*records), ledger, APRIL, config=DEFER), ledger)
    assert sent_books(ledger) == {"Merchant Settlement": D("100.00"), SWIM: D("-100.00")}
    july = plan(dataset(*records), ledger, JULY, config=DEFER)
    assert not ops(july, "JournalEntry"), [lines(o) for o in july.operations]
    assert sent_books(post(july, ledger)) == {"Merchant Settlement": D("100.00"),
                                              SWIM: D("-100.00")}
