"""SPEC §3a gift cards: a sale is a liability (Gift Card Holding), a redemption a credit
memo on the gift card's item applied to the order's invoice by a 0.00 payment — so the
gift card's money is income once, when it is spent, and never shows as cash twice."""

from __future__ import annotations

import dataclasses

from app.domain.dataset import Dataset
from app.domain.records import Program
from app.mapping.config import MappingConfig, Target
from app.plan.plan import Period

from .helpers import (
    APRIL,
    AR,
    SWIM,
    D,
    base_records,
    books,
    charge,
    day,
    lines,
    mapping,
    op,
    ops,
    payment,
    plan,
    post,
    refund,
    sent_books,
)

HOLDING = "Gift Card Holding"
CASH = "Merchant Settlement"
GIFT = Program("GC1", "Gift Card", "Gift Cards", None, D("40.00"), kind="gift_card")
CONFIG = dataclasses.replace(mapping(), accounts={
    **mapping().accounts, "gift_card_holding": Target(HOLDING, "6")})
# Dana buys a 40.00 gift card (order G1, paid by card); Ava's swim (order O1, 100.00) is
# paid 40.00 with it and 60.00 by card.
SALE = [charge("G1-1", "G1", "40.00", day(2), program="GC1"),
        payment("PG", "G1", "40.00", day(2))]
SPENT = [charge("X1", "O1", "100.00", day(3)),
         payment("PA1", "O1", "40.00", day(5), tender="gift_card"),
         payment("PA2", "O1", "60.00", day(6))]


def data(*records):
    return Dataset.from_records([*base_records(), GIFT, *records])


def test_a_redemption_is_a_credit_memo_applied_by_a_zero_payment_and_income_counts_once():
    p = plan(data(*SALE, *SPENT), config=CONFIG)
    assert not p.blocking_issues, p.issues
    item = op(p, "item:program:GC1")
    assert item.payload["IncomeAccountRef"] == {"value": "6", "name": HOLDING}
    memo = op(p, "creditmemo:giftcard:PA1")
    assert (memo.payload["DocNumber"], memo.payload["TxnDate"]) == ("PA1-GC", "2026-03-05")
    assert memo.payload["CustomerRef"] == {"$ref": "customer:participant:P1"}
    assert lines(memo) == [("item:program:GC1", D("40.00"), None)]
    zero = op(p, "payment:PA1")
    assert zero.payload["TotalAmt"] == D("0.00")
    assert "DepositToAccountRef" not in zero.payload
    assert zero.payload["Line"] == [
        {"Amount": D("40.00"), "LinkedTxn": [
            {"TxnId": {"$ref": "invoice:order:O1", "$bare": True}, "TxnType": "Invoice"}]},
        {"Amount": D("40.00"), "LinkedTxn": [
            {"TxnId": {"$ref": "creditmemo:giftcard:PA1", "$bare": True},
             "TxnType": "CreditMemo"}]}]
    keys = [o.key for o in p.operations]
    assert keys.index("creditmemo:giftcard:PA1") < keys.index("payment:PA1")  # created first
    assert lines(op(p, "payment:PA2")) == [("invoice:order:O1", D("60.00"))]
    # Cash 100.00 came in (40 for the card, 60 for the swim); income is the swim's 100.00
    # once; the gift card's liability is used up; nothing is owed.
    assert books(p) == {CASH: D("100.00"), SWIM: D("-100.00")}
    ledger = post(p)
    assert sent_books(ledger, CONFIG) == books(p)
    assert plan(data(*SALE, *SPENT), ledger, config=CONFIG).is_empty


def test_with_the_defaults_the_gift_card_item_posts_to_a_created_holding_liability():
    fresh = MappingConfig(style="detailed", create_missing=True)
    p = plan(data(*SALE, *SPENT), config=fresh)
    assert not p.blocking_issues, p.issues
    account = op(p, "account:Gift Card Holding")
    assert account.payload["AccountType"] == "Other Current Liability"
    assert op(p, "item:program:GC1").payload["IncomeAccountRef"] == {
        "$ref": "account:Gift Card Holding"}
    assert "account:Gift Cards" not in {o.key for o in p.operations}  # no income account
    assert not [i for i in p.issues if i.code == "credit_tender_to_undeposited_funds"]
    assert books(p) == {"Undeposited Funds": D("100.00"), "Swim": D("-100.00")}


def test_an_income_account_mapped_for_the_gift_card_category_is_not_used():
    config = dataclasses.replace(CONFIG, income={**CONFIG.income,
                                                 "Gift Cards": Target("Gift Card Sales", "7")})
    p = plan(data(*SALE), config=config)
    assert op(p, "item:program:GC1").payload["IncomeAccountRef"]["name"] == HOLDING
    [warning] = [i for i in p.issues if i.code == "gift_card_not_income"]
    assert "Gift Card Sales" in warning.message and warning.severity == "info"


def test_a_redemption_larger_than_the_invoice_leaves_the_rest_as_a_customer_credit():
    records = [charge("X1", "O1", "30.00", day(3)),
               payment("PA1", "O1", "40.00", day(5), tender="gift_card")]
    p = plan(data(*SALE, *records), config=CONFIG)
    assert lines(op(p, "creditmemo:giftcard:PA1")) == [("item:program:GC1", D("40.00"), None)]
    assert [line["Amount"] for line in op(p, "payment:PA1").payload["Line"]] == [
        D("30.00"), D("30.00")]
    assert books(p) == {CASH: D("40.00"), SWIM: D("-30.00"), AR: D("-10.00")}


def test_a_redemption_before_its_invoice_is_posted_waits_as_a_credit_then_applies():
    records = [charge("X1", "O1", "100.00", day(3)),
               payment("PA1", "O1", "40.00", day(5), tender="gift_card")]
    first = plan(data(*SALE, *records), config=CONFIG, period=Period(day(4), day(31)))
    assert "payment:PA1" not in {o.key for o in first.operations}
    assert op(first, "creditmemo:giftcard:PA1").action == "create"
    ledger = post(first)
    march = plan(data(*SALE, *records), ledger, config=CONFIG)  # the invoice's period
    assert {(o.action, o.key) for o in march.operations} >= {
        ("create", "invoice:order:O1"), ("create", "payment:PA1")}
    assert "creditmemo:giftcard:PA1" not in {o.key for o in march.operations}
    assert plan(data(*SALE, *records), post(march, ledger), config=CONFIG).is_empty


def test_a_voided_redemption_is_undone_void_and_delete_or_a_reversing_entry_when_locked():
    ledger = post(plan(data(*SALE, *SPENT), config=CONFIG))
    voided = [*SPENT[:1], payment("PA1", "O1", "40.00", day(5), tender="gift_card",
                                  status="voided"), SPENT[2]]
    open_run = plan(data(*SALE, *voided), ledger, APRIL, config=CONFIG)
    assert [(o.action, o.key) for o in open_run.operations] == [
        ("void", "payment:PA1"), ("delete", "creditmemo:giftcard:PA1")]
    assert op(open_run, "creditmemo:giftcard:PA1").depends_on == ("payment:PA1",)
    assert books(open_run) == {AR: D("40.00"), HOLDING: D("-40.00")}
    assert plan(data(*SALE, *voided), post(open_run, ledger), APRIL, config=CONFIG).is_empty
    locked = plan(data(*SALE, *voided), ledger, APRIL, config=CONFIG,
                  locked=[Period(day(1), day(31))])
    [entry] = locked.operations
    assert (entry.key, entry.payload["TxnDate"]) == ("je:payment_reversal:PA1", "2026-04-01")
    assert lines(entry) == [("Debit", "Accounts Receivable (A/R)", D("40.00")),
                            ("Credit", HOLDING, D("40.00"))]


def test_a_refund_put_back_on_a_gift_card_is_held_back_with_its_fix():
    records = [*SALE, *SPENT, refund("R1", "PA1", "40.00", day(9), tender="gift_card")]
    p = plan(data(*records), config=CONFIG)
    [issue] = [i for i in p.issues if i.code == "gift_card_refund"]
    assert issue.severity == "error" and issue.blocks == ("refundreceipt:R1",)
    assert "refundreceipt:R1" not in {o.key for o in p.operations}


def test_without_a_gift_card_program_a_redemption_is_held_back():
    p = plan(Dataset.from_records([*base_records(), *SPENT]), config=CONFIG)
    [issue] = [i for i in p.blocking_issues if i.code == "gift_card_without_program"]
    assert set(issue.blocks) == {"payment:PA1", "creditmemo:giftcard:PA1"}
    assert op(p, "payment:PA2").action == "create"  # the rest is planned
    assert ops(p, "CreditMemo") == []


def test_a_gift_card_is_never_deferred_even_with_dates_and_deferred_revenue_on():
    dated = dataclasses.replace(GIFT, start_date=day(1, 7))
    config = dataclasses.replace(CONFIG, deferred_revenue=True)
    p = plan(Dataset.from_records([*base_records(), dated, *SALE]), config=config)
    assert lines(op(p, "invoice:order:G1")) == [("item:program:GC1", D("40.00"), None)]
    assert "item:deferred:GC1" not in {o.key for o in p.operations}


def test_a_late_redemption_dated_in_a_locked_period_lands_on_the_first_open_day():
    ledger = post(plan(data(*SALE, *SPENT[:1], SPENT[2]), config=CONFIG))
    later = plan(data(*SALE, *SPENT), ledger, APRIL, config=CONFIG,
                 locked=[Period(day(1), day(31))])
    memo = op(later, "creditmemo:giftcard:PA1")
    assert memo.payload["TxnDate"] == "2026-04-01"
    assert "Adjustment: dated 2026-03-05 in a locked period" in memo.payload["PrivateNote"]
    assert op(later, "payment:PA1").payload["TxnDate"] == "2026-04-01"
