"""SPEC §3b / §4: the three sections of a summary journal entry, line by line."""

from __future__ import annotations

from app.mapping.config import Target
from tests.accounting.summary.scenario import (
    D,
    balance,
    by_key,
    daily_mapping,
    dataset,
    entries,
    lines_of,
    mapping,
    pay,
    plan_daily,
)

ORG = "Riverside Swim"
DOWNTOWN = "Riverside Swim:Downtown L1"
UPTOWN = "Riverside Swim:Uptown L2"
SWIM = "Tuition:Swim Lessons"
CAMP = "Tuition:Camp"
TAX = "Sales Tax Payable:Tax Rate - County T1"


def daily(**changes):
    return daily_mapping(**changes)


def test_payments_section_one_line_per_tender_group():
    data = dataset(
        pay("P1", 5, "card", "10.00", ("SW", "10.00", None)),
        pay("P2", 5, "echeck", "20.00", ("SW", "20.00", None)),
        pay("P3", 5, "cash", "30.00", ("SW", "30.00", None)),
        pay("P4", 5, "check", "40.00", ("SW", "40.00", None)),
        pay("P5", 5, "custom:Venmo", "50.00", ("SW", "50.00", None)),
        pay("P6", 5, "house_credit", "1.00", ("SW", "1.00", None)),
        pay("P7", 5, "coupon", "2.00", ("SW", "2.00", None)),
        pay("P8", 5, "other_credit", "3.00", ("SW", "3.00", None)),
    )
    op = by_key(plan_daily(data, daily()))["je:summary:2026-03-05"]
    debits = [line for line in lines_of(op) if line[0] == "Debit"]
    assert debits == [
        ("Debit", "Discounts and Credits", ORG, D("6.00")),
        ("Debit", "Merchant Settlement", ORG, D("30.00")),
        ("Debit", "Undeposited Funds", ORG, D("120.00")),
    ]
    assert lines_of(op)[3:] == [("Credit", SWIM, DOWNTOWN, D("156.00"))]


def test_tender_mapping_overrides_the_group_account():
    config = daily(tenders={"custom:Venmo": Target("Venmo Clearing", "30")},
                   accounts={**mapping().accounts, "merchant_settlement": Target("Stripe", "31")})
    data = dataset(pay("P1", 5, "custom:Venmo", "50.00", ("SW", "50.00", None)),
                   pay("P2", 5, "card", "5.00", ("SW", "5.00", None)))
    op = entries(plan_daily(data, config))[0]
    assert lines_of(op, config)[:2] == [("Debit", "Stripe", ORG, D("5.00")),
                                        ("Debit", "Venmo Clearing", ORG, D("50.00"))]


def test_program_and_tax_lines_per_location_with_the_location_class():
    data = dataset(
        pay("P1", 5, "card", "105.00", ("SW", "100.00", "5.00")),
        pay("P2", 5, "card", "210.00", ("CA", "200.00", "10.00")),
        pay("P3", 5, "cash", "52.50", ("SW", "50.00", "2.50")),
    )
    op = entries(plan_daily(data, daily()))[0]
    assert lines_of(op) == [
        ("Debit", "Merchant Settlement", ORG, D("315.00")),
        ("Debit", "Undeposited Funds", ORG, D("52.50")),
        ("Credit", SWIM, DOWNTOWN, D("150.00")),
        ("Credit", TAX, DOWNTOWN, D("7.50")),
        ("Credit", CAMP, UPTOWN, D("200.00")),
        ("Credit", TAX, UPTOWN, D("10.00")),
    ]
    assert balance(op) == 0


def test_allocation_location_wins_over_the_programs_location():
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)))
    alloc = data.payment_allocations[0]
    from dataclasses import replace

    data = replace(data, payment_allocations=(replace(alloc, location_id="L2"),))
    op = entries(plan_daily(data, daily()))[0]
    assert lines_of(op)[1] == ("Credit", SWIM, UPTOWN, D("10.00"))


def test_gift_card_sale_moves_income_to_gift_card_holding():
    data = dataset(pay("P1", 5, "card", "50.00", ("GC", "50.00", None)))
    op = entries(plan_daily(data, daily()))[0]
    assert lines_of(op) == [
        ("Debit", "Merchant Settlement", ORG, D("50.00")),
        ("Credit", "Gift Card Sales", ORG, D("50.00")),
        ("Debit", "Gift Card Sales", ORG, D("50.00")),
        ("Credit", "Gift Card Holding", ORG, D("50.00")),
    ]


def test_gift_card_redemption_exactly_as_spec_section_4():
    data = dataset(pay("P1", 5, "gift_card", "40.00", ("SW", "40.00", None)))
    op = entries(plan_daily(data, daily()))[0]
    assert lines_of(op) == [
        ("Debit", "Discounts and Credits", ORG, D("40.00")),  # section 1
        ("Credit", SWIM, DOWNTOWN, D("40.00")),  # section 2
        ("Debit", "Gift Card Holding", ORG, D("40.00")),  # section 3
        ("Credit", "Unapplied Payments", ORG, D("40.00")),
    ]


def test_multiplier_debits_discounts_and_credits_unapplied_payments():
    data = dataset(pay("P1", 5, "multiplier", "15.00"))
    result = plan_daily(data, daily())
    assert lines_of(entries(result)[0]) == [
        ("Debit", "Discounts and Credits", ORG, D("15.00")),
        ("Credit", "Unapplied Payments", ORG, D("15.00")),
    ]
    assert not result.issues


def test_multiplier_allocations_are_reported_and_not_used():
    data = dataset(pay("P1", 5, "multiplier", "15.00", ("SW", "15.00", None)))
    result = plan_daily(data, daily())
    assert [i.code for i in result.issues] == ["multiplier_with_allocation"]
    assert lines_of(entries(result)[0])[1] == ("Credit", "Unapplied Payments", ORG, D("15.00"))


def test_payment_without_allocation_goes_to_unapplied_payments_with_a_warning():
    data = dataset(pay("P1", 5, "cash", "20.00"))
    result = plan_daily(data, daily())
    assert lines_of(entries(result)[0]) == [
        ("Debit", "Undeposited Funds", ORG, D("20.00")),
        ("Credit", "Unapplied Payments", ORG, D("20.00")),
    ]
    assert [i.code for i in result.issues] == ["unallocated_payment"]


def test_sections_come_in_order_payments_programs_gift_cards():
    data = dataset(
        pay("P1", 5, "gift_card", "40.00", ("SW", "40.00", None)),
        pay("P2", 5, "card", "25.00", ("GC", "25.00", None)),
        pay("P3", 5, "multiplier", "5.00"),
    )
    op = entries(plan_daily(data, daily()))[0]
    accounts = [line[1] for line in lines_of(op)]
    assert accounts == [
        "Discounts and Credits", "Merchant Settlement",
        "Gift Card Sales", SWIM,
        "Gift Card Sales", "Gift Card Holding", "Gift Card Holding", "Unapplied Payments",
        "Unapplied Payments",
    ]
    assert balance(op) == 0


def test_no_classes_when_the_mapping_uses_none():
    config = daily(organisation_class=None, organisation_class_id=None, locations={})
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)))
    op = entries(plan_daily(data, config))[0]
    assert all("ClassRef" not in line["JournalEntryLineDetail"] for line in op.payload["Line"])


def test_entry_is_stamped_with_its_key_and_a_short_doc_number():
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)))
    op = entries(plan_daily(data, daily()))[0]
    assert op.key == "je:summary:2026-03-05"
    assert op.payload["TxnDate"] == "2026-03-05"
    assert op.payload["DocNumber"] == "LB-20260305"
    assert "je:summary:2026-03-05" in op.payload["PrivateNote"]
    assert op.sources == ("payment:P1",)
    assert op.amount == D("10.00")
    line = op.payload["Line"][0]
    assert line["DetailType"] == "JournalEntryLineDetail"
    assert line["JournalEntryLineDetail"]["AccountRef"] == {"value": "2",
                                                            "name": "Merchant Settlement"}
