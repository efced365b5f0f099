"""Refunds pro rata, go-live lump sum, daily and manual entries, and periods (SPEC §3b, §5)."""

from __future__ import annotations

from datetime import date

import pytest

from app.plan.plan import Period
from tests.accounting.summary.scenario import (
    MARCH,
    D,
    balance,
    by_key,
    daily_mapping,
    dataset,
    entries,
    lines_of,
    mapping,
    pay,
    plan,
    plan_daily,
    refund,
)

ORG = "Riverside Swim"
DOWNTOWN = "Riverside Swim:Downtown L1"
UPTOWN = "Riverside Swim:Uptown L2"
SWIM = "Tuition:Swim Lessons"
CAMP = "Tuition:Camp"
TAX = "Sales Tax Payable:Tax Rate - County T1"


def test_refund_reverses_the_payments_lines_on_the_day_it_happens():
    data = dataset(pay("P1", 5, "card", "105.00", ("SW", "100.00", "5.00")),
                   refund("R1", "P1", 9, "105.00"))
    ops = by_key(plan_daily(data))
    refund_day = ops["je:summary:2026-03-09"]
    assert lines_of(refund_day) == [
        ("Credit", "Merchant Settlement", ORG, D("105.00")),
        ("Debit", SWIM, DOWNTOWN, D("100.00")),
        ("Debit", TAX, DOWNTOWN, D("5.00")),
    ]
    assert "Refunds" in refund_day.payload["Line"][0]["Description"]
    assert refund_day.sources == ("refund:R1",)


def test_partial_refund_is_pro_rata_with_the_rounding_cent_on_the_largest_line():
    # 100 / 3 split 3 ways; a 10.00 refund is 3.33 + 3.33 + 3.34 - the cent on the largest
    data = dataset(pay("P1", 5, "cash", "100.00", ("SW", "33.33", None), ("CA", "33.34", None),
                       ("GC", "33.33", None)), refund("R1", "P1", 6, "10.00"))
    op = by_key(plan_daily(data))["je:summary:2026-03-06"]
    lines = lines_of(op)
    assert lines[0] == ("Credit", "Undeposited Funds", ORG, D("10.00"))
    assert ("Debit", CAMP, UPTOWN, D("3.34")) in lines
    assert ("Debit", SWIM, DOWNTOWN, D("3.33")) in lines
    assert ("Debit", "Gift Card Sales", ORG, D("3.33")) in lines
    # the gift card sale's move to the liability is reversed too
    assert ("Credit", "Gift Card Sales", ORG, D("3.33")) in lines
    assert ("Debit", "Gift Card Holding", ORG, D("3.33")) in lines
    assert balance(op) == 0


@pytest.mark.parametrize("kind, label", [("chargeback", "Chargebacks"),
                                         ("echeck_return", "eCheck returns")])
def test_chargebacks_and_echeck_returns_reverse_like_refunds_and_say_so(kind, label):
    data = dataset(pay("P1", 5, "echeck", "50.00", ("SW", "50.00", None)),
                   refund("R1", "P1", 7, "50.00", kind=kind))
    op = by_key(plan_daily(data))["je:summary:2026-03-07"]
    assert lines_of(op) == [("Credit", "Merchant Settlement", ORG, D("50.00")),
                            ("Debit", SWIM, DOWNTOWN, D("50.00"))]
    assert op.payload["Line"][0]["Description"].startswith(label)


def test_refund_of_a_gift_card_redemption_reverses_all_three_sections():
    data = dataset(pay("P1", 5, "gift_card", "40.00", ("SW", "40.00", None)),
                   refund("R1", "P1", 8, "20.00"))
    op = by_key(plan_daily(data))["je:summary:2026-03-08"]
    assert lines_of(op) == [
        ("Credit", "Discounts and Credits", ORG, D("20.00")),
        ("Debit", SWIM, DOWNTOWN, D("20.00")),
        ("Credit", "Gift Card Holding", ORG, D("20.00")),
        ("Debit", "Unapplied Payments", ORG, D("20.00")),
    ]


def test_refunds_beyond_the_payment_block_that_day_only():
    data = dataset(pay("P1", 5, "card", "50.00", ("SW", "50.00", None)),
                   refund("R1", "P1", 8, "30.00"), refund("R2", "P1", 9, "30.00"))
    result = plan_daily(data)
    assert sorted(by_key(result)) == ["je:summary:2026-03-05", "je:summary:2026-03-08"]
    (issue,) = [i for i in result.issues if i.code == "over_refund"]
    assert issue.blocks == ("je:summary:2026-03-09",)


@pytest.mark.parametrize("status", ["failed", "voided"])
def test_failed_and_voided_payments_are_not_posted(status):
    data = dataset(pay("P1", 5, "card", "50.00", ("SW", "50.00", None), status=status),
                   pay("P2", 5, "cash", "10.00", ("SW", "10.00", None)))
    (op,) = entries(plan_daily(data))
    assert lines_of(op) == [("Debit", "Undeposited Funds", ORG, D("10.00")),
                            ("Credit", SWIM, DOWNTOWN, D("10.00"))]


def test_go_live_lump_sum_per_tender_for_the_first_period_then_daily():
    data = dataset(pay("P1", 2, "card", "10.00", ("SW", "10.00", None)),
                   pay("P2", 20, "card", "20.00", ("SW", "20.00", None)),
                   pay("P3", 20, "echeck", "5.00", ("SW", "5.00", None)),
                   pay("P0", 28, "cash", "99.00", ("SW", "99.00", None), month=2),
                   pay("P4", 2, "cash", "7.00", ("SW", "7.00", None), month=4))
    first = plan(data, mapping(go_live=date(2026, 3, 1)))
    (lump,) = entries(first)
    assert lump.key == "je:summary:golive:2026-03-01:2026-03-31"
    assert lump.txn_date == date(2026, 3, 31)
    assert lump.payload["DocNumber"] == "LB-GL-20260331"
    assert lines_of(lump)[:2] == [("Debit", "Merchant Settlement", ORG, D("30.00")),
                                  ("Debit", "Merchant Settlement", ORG, D("5.00"))]
    assert [line["Description"] for line in lump.payload["Line"][:2]] == [
        "Go-live lump sum: Payments – card", "Go-live lump sum: Payments – echeck"]
    from tests.accounting.summary.scenario import posted

    april = plan(data, mapping(go_live=date(2026, 3, 1)), posted(first),
                 period=Period(date(2026, 4, 1), date(2026, 4, 30)))
    assert [op.key for op in entries(april)] == ["je:summary:2026-04-02"]


def test_manual_sync_makes_one_entry_per_run():
    config = daily_mapping(sync="manual")
    data = dataset(pay("P1", 2, "card", "10.00", ("SW", "10.00", None)),
                   pay("P2", 9, "cash", "20.00", ("SW", "20.00", None)))
    first_half = Period(date(2026, 3, 1), date(2026, 3, 15))
    (run,) = entries(plan_daily(data, config, period=first_half))
    assert run.key == "je:summary:run:2026-03-02:2026-03-09"
    assert run.txn_date == date(2026, 3, 9)
    assert lines_of(run)[:2] == [("Debit", "Merchant Settlement", ORG, D("10.00")),
                                 ("Debit", "Undeposited Funds", ORG, D("20.00"))]


def test_a_period_plans_only_events_dated_within_it():
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)),
                   pay("P2", 1, "card", "10.00", ("SW", "10.00", None), month=4),
                   refund("R1", "P1", 2, "10.00", month=4))
    keys = [op.key for op in entries(plan_daily(data))]
    assert keys == ["je:summary:2026-03-05"]


def test_events_before_go_live_are_not_posted():
    data = dataset(pay("P0", 27, "card", "10.00", ("SW", "10.00", None), month=2),
                   pay("P1", 3, "card", "20.00", ("SW", "20.00", None)))
    (lump,) = entries(plan(data, mapping(go_live=date(2026, 3, 1)), period=MARCH))
    assert lump.amount == D("20.00")
