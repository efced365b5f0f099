"""SPEC §3a: payments applied to the order's invoices, voids, refunds and chargebacks."""

from __future__ import annotations

from dataclasses import replace

from app.domain.records import PaymentAllocation
from app.plan.plan import Period

from .helpers import (
    APRIL,
    AR,
    CAMP,
    SWIM,
    TAX,
    UF,
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

ORDER = (charge("X1", "O1", "100.00", day(3), tax="5.00"),
         charge("X2", "O1", "200.00", day(3), program="CA1"))


def test_payment_goes_to_the_tenders_account_and_pays_the_invoice():
    p = plan(dataset(*ORDER, payment("PA1", "O1", "305.00", day(4), reference="ch_123")))
    pay = op(p, "payment:PA1")
    assert pay.payload["DepositToAccountRef"] == {"value": "4", "name": "Merchant Settlement"}
    assert pay.payload["TotalAmt"] == D("305.00")
    assert pay.payload["CustomerRef"] == {"$ref": "customer:participant:P1"}
    assert pay.payload["PaymentRefNum"] == "ch_123"
    assert pay.payload["Line"][0]["LinkedTxn"] == [
        {"TxnId": {"$ref": "invoice:order:O1", "$bare": True}, "TxnType": "Invoice"}]
    assert books(p) == {"Merchant Settlement": D("305.00"), SWIM: D("-100.00"),
                        CAMP: D("-200.00"), TAX: D("-5.00")}


def test_unmapped_tender_defaults_to_undeposited_funds():
    p = plan(dataset(*ORDER, payment("PA1", "O1", "100.00", day(4), tender="cash")))
    assert op(p, "payment:PA1").payload["DepositToAccountRef"]["name"] == UF


def test_unmapped_tender_without_undeposited_funds_blocks_only_that_payment():
    config = mapping()
    config = replace(config, accounts={k: v for k, v in config.accounts.items()
                                       if k != "undeposited_funds"})
    p = plan(dataset(*ORDER, payment("PA1", "O1", "100.00", day(4), tender="cash"),
                     payment("PA2", "O1", "100.00", day(4))), config=config)
    assert {o.key for o in ops(p, "Payment")} == {"payment:PA2"}
    [issue] = [i for i in p.issues if i.code == "unmapped_tender"]
    assert issue.blocks == ("payment:PA1",) and "'cash'" in issue.message


def test_payments_apply_up_to_the_balance_and_the_excess_stays_unapplied():
    p = plan(dataset(*ORDER, payment("PA1", "O1", "300.00", day(4)),
                     payment("PA2", "O1", "50.00", day(5))))
    assert lines(op(p, "payment:PA1")) == [("invoice:order:O1", D("300.00"))]
    second = op(p, "payment:PA2")
    assert lines(second) == [("invoice:order:O1", D("5.00"))]
    assert second.payload["TotalAmt"] == D("50.00")  # 45.00 stays a credit
    assert books(p)[AR] == D("-45.00")


def test_payment_without_an_order_is_a_credit_on_the_payer():
    p = plan(dataset(payment("PA1", None, "75.00", day(4))))
    pay = op(p, "payment:PA1")
    assert pay.payload["Line"] == [] and pay.payload["CustomerRef"] == {"$ref": "customer:C1"}
    assert [o.key for o in p.operations] == ["customer:C1", "payment:PA1"]


def test_failed_after_posting_is_voided_and_before_posting_is_never_sent():
    records = [*ORDER, payment("PA1", "O1", "305.00", day(4)), payment("PA2", "O1", "5.00", day(5))]
    ledger = post(plan(dataset(*records)))
    records[2] = payment("PA1", "O1", "305.00", day(4), status="failed")
    records.append(payment("PA3", "O1", "20.00", day(2, 4), status="voided"))
    later = plan(dataset(*records), ledger, APRIL)
    void = op(later, "payment:PA1")
    assert (void.action, void.payload) == ("void", {})
    assert books(later) == {"Merchant Settlement": D("-305.00"), AR: D("305.00")}
    assert "payment:PA3" not in {o.key for o in later.operations}


def test_void_in_a_locked_period_becomes_a_reversing_entry():
    records = [*ORDER, payment("PA1", "O1", "305.00", day(4))]
    ledger = post(plan(dataset(*records)))
    records[2] = payment("PA1", "O1", "305.00", day(4), status="failed")
    later = plan(dataset(*records), ledger, APRIL, locked=[Period(day(1), day(31))])
    [entry] = ops(later)
    assert (entry.entity, entry.key) == ("JournalEntry", "je:payment_reversal:PA1")
    assert entry.payload["TxnDate"] == "2026-04-01"
    assert lines(entry) == [("Debit", "Accounts Receivable (A/R)", D("305.00")),
                            ("Credit", "Merchant Settlement", D("305.00"))]


def test_a_reversing_entry_keeps_its_date_when_a_later_period_is_run():
    """The void of a payment in locked March is posted on 1 April by April's run; May's
    run moved it to 1 May, and April again back (an update on every run; found by the
    end-to-end property test). A posted entry keeps its date."""
    records = [*ORDER, payment("PA1", "O1", "305.00", day(4))]
    ledger = post(plan(dataset(*records)))
    records[2] = payment("PA1", "O1", "305.00", day(4), status="voided")
    locked = [Period(day(1), day(31))]
    ledger = post(plan(dataset(*records), ledger, APRIL, locked=locked), ledger)
    assert ledger["je:payment_reversal:PA1"].payload["TxnDate"] == "2026-04-01"
    may = Period(day(1, 5), day(31, 5))
    assert plan(dataset(*records), ledger, may, locked=locked).is_empty
    assert plan(dataset(*records), ledger, APRIL, locked=locked).is_empty
    # Once April is locked too, the entry is not rewritten into May.
    both = [*locked, APRIL]
    assert plan(dataset(*records), ledger, may, locked=both).is_empty


def test_refund_receipt_on_the_refunded_programs_items_with_tax_pro_rata():
    allocations = (PaymentAllocation("PA1", "SW1", D("100.00"), "L1", "T1", D("5.00")),
                   PaymentAllocation("PA1", "CA1", D("200.00"), "L1"))
    p = plan(dataset(*ORDER, payment("PA1", "O1", "305.00", day(4)), *allocations,
                     refund("R1", "PA1", "61.00", day(9))))
    receipt = op(p, "refundreceipt:R1")
    assert receipt.payload["DepositToAccountRef"]["name"] == "Merchant Settlement"
    assert receipt.payload["DocNumber"] == "R1-R"
    assert "ARAccountRef" not in receipt.payload
    assert lines(receipt) == [("item:program:CA1", D("40.00"), "500"),
                              ("item:program:SW1", D("20.00"), "500"),
                              ("item:tax:T1", D("1.00"), "500")]
    assert books(p)["Merchant Settlement"] == D("244.00")
    assert books(p)[SWIM] == D("-80.00") and books(p)[TAX] == D("-4.00")


def test_chargeback_is_a_refund_receipt_too():
    p = plan(dataset(*ORDER, payment("PA1", "O1", "305.00", day(4)),
                     refund("CB1", "PA1", "305.00", day(9), kind="chargeback", tender="cash")))
    receipt = op(p, "refundreceipt:CB1")
    assert "Chargeback of payment PA1" in receipt.payload["PrivateNote"]
    assert receipt.payload["DepositToAccountRef"]["name"] == UF  # the refund's own tender
    assert receipt.amount == D("305.00")


def test_refund_of_an_overpayment_pays_out_the_credit_without_touching_income():
    p = plan(dataset(*ORDER, payment("PA1", "O1", "355.00", day(4)),
                     refund("R1", "PA1", "60.00", day(9))))
    entry = op(p, "je:refund_credit:R1")
    assert entry.amount == D("50.00")
    receipt = op(p, "refundreceipt:R1")
    assert receipt.amount == D("10.00")
    assert books(p) == {"Merchant Settlement": D("295.00"), SWIM: D("-96.72"),
                        CAMP: D("-193.44"), TAX: D("-4.84")}


def test_credit_tenders_falling_back_to_undeposited_funds_are_flagged():
    p = plan(dataset(*ORDER, payment("PA1", "O1", "20.00", day(4), tender="coupon"),
                     payment("PA2", "O1", "30.00", day(4), tender="coupon")))
    [issue] = [i for i in p.issues if i.code == "credit_tender_to_undeposited_funds"]
    assert issue.severity == "warning" and "[tenders]" in issue.fix
    assert op(p, "payment:PA1").payload["DepositToAccountRef"]["name"] == UF


def test_payment_for_an_order_invoiced_in_an_unposted_earlier_period_is_a_credit():
    p = plan(dataset(charge("X1", "O1", "100.00", day(27, 2)),
                     payment("PA1", "O1", "100.00", day(2))))
    assert op(p, "payment:PA1").payload["Line"] == []
    [issue] = [i for i in p.issues if i.code == "invoice_not_in_quickbooks"]
    assert "O1" in issue.message and issue.sources == ("payment:PA1",)


def test_records_gone_from_the_export_are_reported_not_deleted():
    from app.domain.dataset import Dataset

    from .helpers import base_records

    records = [*base_records(), *ORDER, payment("PA1", "O1", "305.00", day(4))]
    ledger = post(plan(Dataset.from_records(records)))
    later = plan(Dataset.from_records(records, missing=["payment:PA1"]), ledger)
    assert later.is_empty
    [issue] = [i for i in later.issues if i.code == "missing_from_export"]
    assert issue.sources == ("payment:PA1",)


def test_unknown_payer_blocks_the_payment_and_its_refund_with_one_error():
    stranger = replace(payment("PA9", None, "40.00", day(4)), customer_id="C404")
    p = plan(dataset(*ORDER, stranger, refund("R9", "PA9", "10.00", day(6))))
    [issue] = [i for i in p.issues if i.code == "unknown_payer"]
    assert issue.blocks == ("je:refund_credit:R9", "payment:PA9")
    assert op(p, "invoice:order:O1").action == "create"


def test_amount_change_in_a_locked_period_is_an_adjusting_entry():
    records = [*ORDER, payment("PA1", "O1", "305.00", day(4))]
    ledger = post(plan(dataset(*records)))
    records[2] = payment("PA1", "O1", "300.00", day(4))
    locked = [Period(day(1), day(31))]
    later = plan(dataset(*records), ledger, APRIL, locked=locked)
    [entry] = ops(later)
    assert (entry.key, entry.payload["TxnDate"]) == ("je:payment_adjustment:PA1", "2026-04-01")
    assert lines(entry) == [("Credit", "Merchant Settlement", D("5.00")),
                            ("Debit", "Accounts Receivable (A/R)", D("5.00"))]
    assert plan(dataset(*records), post(later, ledger), APRIL, locked=locked).is_empty


def test_a_void_goes_before_the_payment_that_takes_over_what_it_held():
    """PA2 paid April's supplemental; it is voided, and PA1's March credit now covers that
    invoice. The void must reach QuickBooks first: sent after PA1's update (the plan was
    in date order), QBO refused the update — 0.18 applied to an invoice whose open
    balance was 0.00 (found by the end-to-end property test)."""
    records = [charge("X1", "O1", "10.00", day(3)), payment("PA1", "O1", "30.00", day(4))]
    ledger = post(plan(dataset(*records)))
    records += [charge("X2", "O1", "5.00", day(2, 4)), payment("PA2", "O1", "5.00", day(5, 4))]
    ledger = post(plan(dataset(*records), ledger, APRIL), ledger)
    assert ledger["payment:PA2"].payload["Line"][0]["Amount"] == D("5.00")
    records[-1] = payment("PA2", "O1", "5.00", day(5, 4), status="voided")
    both = plan(dataset(*records), ledger, Period(day(1), APRIL.end))
    assert [(o.action, o.key) for o in ops(both, "Payment")] == [
        ("void", "payment:PA2"), ("update", "payment:PA1")]
    assert [line["Amount"] for line in op(both, "payment:PA1").payload["Line"]] == [
        D("10.00"), D("5.00")]


def _credit_then_supplemental(second: str):
    """PA1 overpays March's invoice (10.00 applied, 20.00 credit); April adds 15.00 on a
    supplemental, of which PA2 (April, not PA1: March is not re-planned) pays ``second``."""
    records = [charge("X1", "O1", "10.00", day(3)), payment("PA1", "O1", "30.00", day(4))]
    ledger = post(plan(dataset(*records)))
    records += [charge("X2", "O1", "15.00", day(2, 4)), payment("PA2", "O1", second, day(5, 4))]
    ledger = post(plan(dataset(*records), ledger, APRIL), ledger)
    assert ledger["payment:PA2"].payload["Line"][0]["Amount"] == D(second)
    return records, ledger, Period(day(1), APRIL.end)


def test_a_payment_planned_again_keeps_what_it_applies():
    """A run over March and April plans PA1 again: it used to be applied from scratch in
    date order, taking the supplemental PA2 pays, with PA2 updated to nothing — and QBO
    refused PA1's update, sent first (6000: applied beyond the open balance; found by the
    end-to-end property test). Now PA2 keeps its 1.00 and PA1 takes the 14.00 free."""
    records, ledger, both = _credit_then_supplemental("1.00")
    planned = plan(dataset(*records), ledger, both)
    [update] = ops(planned, "Payment")
    assert update.key == "payment:PA1"
    assert [line["Amount"] for line in update.payload["Line"]] == [D("10.00"), D("14.00")]
    assert plan(dataset(*records), post(planned, ledger), both).is_empty


def test_a_payment_that_gives_up_an_application_goes_first():
    """PA2 is corrected from 15.00 to 5.00: it keeps 5.00 of the supplemental and PA1's
    credit takes the 10.00 it gives up — after PA2's update, which it depends on."""
    records, ledger, both = _credit_then_supplemental("15.00")
    records[-1] = payment("PA2", "O1", "5.00", day(5, 4))
    planned = plan(dataset(*records), ledger, both)
    assert [o.key for o in ops(planned, "Payment")] == ["payment:PA2", "payment:PA1"]
    pa1 = op(planned, "payment:PA1")
    assert "payment:PA2" in pa1.depends_on
    assert [line["Amount"] for line in pa1.payload["Line"]] == [D("10.00"), D("10.00")]
    assert [line["Amount"] for line in op(planned, "payment:PA2").payload["Line"]] == [
        D("5.00")]


def test_two_payments_of_one_day_refunded_each_take_from_their_own_allocations():
    """Two 10.00 payments on 4 March, each allocated to the swim, each refunded in full:
    the second refund was blocked (``refund_without_sale``), its payment's allocation
    counted as taken back by the first payment's refund (found by the end-to-end
    property test)."""
    allocations = (PaymentAllocation("PA1", "SW1", D("10.00"), "L1"),
                   PaymentAllocation("PA2", "SW1", D("10.00"), "L1"))
    planned = plan(dataset(charge("X1", "O1", "100.00", day(3)),
                           payment("PA1", "O1", "10.00", day(4)),
                           payment("PA2", "O1", "10.00", day(4)), *allocations,
                           refund("R1", "PA1", "10.00", day(9)),
                           refund("R2", "PA2", "10.00", day(9))))
    assert not planned.blocking_issues, planned.issues
    for key in ("refundreceipt:R1", "refundreceipt:R2"):
        assert lines(op(planned, key)) == [("item:program:SW1", D("10.00"), "500")]
