"""SPEC §3a: cart changes after sync, and the removed-and-refunded rule."""

from __future__ import annotations

from app.plan.plan import Period

from .helpers import (
    APRIL,
    AR,
    CAMP,
    SWIM,
    TAX,
    D,
    books,
    charge,
    dataset,
    day,
    lines,
    op,
    ops,
    payment,
    plan,
    post,
    refund,
    sent_books,
)

CASH = "Merchant Settlement"
APRIL_TO_DATE = Period(day(1), day(30, 4))


def op_of(ledger, key):
    return ledger[key]

SWIM_1 = charge("X1", "O1", "100.00", day(3), tax="5.00")
CAMP_1 = charge("X2", "O1", "200.00", day(3), program="CA1")


def _posted(*records):
    first = plan(dataset(*records))
    return first, post(first)


def test_open_invoice_change_is_a_sparse_update_replacing_the_lines():
    _first, ledger = _posted(SWIM_1, CAMP_1, payment("PA1", "O1", "100.00", day(4)))
    records = (SWIM_1, charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                              removed_date=day(2, 4)),
               charge("X4", "O1", "50.00", day(2, 4)), payment("PA1", "O1", "100.00", day(4)))
    later = plan(dataset(*records), ledger, APRIL)
    [update] = ops(later)
    assert (update.action, update.key) == ("update", "invoice:order:O1")
    assert update.payload["sparse"] is True
    assert update.payload["TxnDate"] == "2026-03-03"  # the invoice keeps its date
    assert update.payload["DocNumber"] == "O1"
    assert lines(update) == [("item:program:SW1", D("100.00"), "500"),
                             ("item:program:SW1", D("50.00"), "500"),
                             ("item:tax:T1", D("5.00"), "500")]
    # The preview shows the change to the books: camp income 200 less, swim 50 more.
    assert books(later) == {AR: D("-150.00"), CAMP: D("200.00"), SWIM: D("-50.00")}
    assert plan(dataset(*records), post(later, ledger), APRIL).is_empty


def test_closed_invoice_addition_goes_on_a_supplemental_invoice():
    _first, ledger = _posted(SWIM_1, payment("PA1", "O1", "105.00", day(4)))
    records = (SWIM_1, payment("PA1", "O1", "105.00", day(4)),
               charge("X5", "O1", "200.00", day(6, 4), program="CA1"),
               payment("PA2", "O1", "200.00", day(7, 4)))
    later = plan(dataset(*records), ledger, APRIL)
    assert "invoice:order:O1" not in {o.key for o in later.operations}
    supplement = op(later, "invoice:order:O1:s1")
    assert supplement.action == "create"
    assert supplement.payload["DocNumber"] == "O1-S1"
    assert supplement.payload["TxnDate"] == "2026-04-06"
    assert supplement.payload["CustomerRef"] == {"$ref": "customer:participant:P1"}
    assert lines(supplement) == [("item:program:CA1", D("200.00"), "500")]
    assert lines(op(later, "payment:PA2")) == [("invoice:order:O1:s1", D("200.00"))]
    assert plan(dataset(*records), post(later, ledger), APRIL).is_empty


def test_closed_invoice_removal_becomes_a_credit_memo_with_its_tax():
    records = [SWIM_1, CAMP_1, payment("PA1", "O1", "305.00", day(4))]
    _first, ledger = _posted(*records)
    records[0] = charge("X1", "O1", "100.00", day(3), tax="5.00", status="removed",
                        removed_date=day(3, 4))
    later = plan(dataset(*records), ledger, APRIL)
    [memo] = ops(later)
    assert (memo.entity, memo.key) == ("CreditMemo", "creditmemo:order:O1:c1")
    assert memo.payload["DocNumber"] == "O1-C1"
    assert memo.payload["TxnDate"] == "2026-04-03"
    assert memo.payload["CustomerRef"] == {"$ref": "customer:participant:P1"}
    assert lines(memo) == [("item:program:SW1", D("100.00"), "500"),
                           ("item:tax:T1", D("5.00"), "500")]
    assert books(later) == {AR: D("-105.00"), SWIM: D("100.00"), TAX: D("5.00")}
    assert plan(dataset(*records), post(later, ledger), APRIL).is_empty


def test_removed_and_refunded_line_reduces_income_once():
    """Closed invoice, a line removed and its price refunded the same day."""
    records = [SWIM_1, CAMP_1, payment("PA1", "O1", "305.00", day(4))]
    first, ledger = _posted(*records)
    records[1] = charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                        removed_date=day(10, 4))
    records.append(refund("R1", "PA1", "200.00", day(10, 4)))
    later = plan(dataset(*records), ledger, APRIL)
    assert [o.entity for o in later.operations] == ["CreditMemo", "JournalEntry"]
    assert lines(op(later, "creditmemo:order:O1:c1")) == [("item:program:CA1", D("200.00"),
                                                           "500")]
    refund_entry = op(later, "je:refund_credit:R1")
    assert lines(refund_entry) == [("Debit", "Accounts Receivable (A/R)", D("200.00")),
                                   ("Credit", "Merchant Settlement", D("200.00"))]
    ar_line = refund_entry.payload["Line"][0]["JournalEntryLineDetail"]
    assert ar_line["Entity"] == {"Type": "Customer",
                                 "EntityRef": {"$ref": "customer:participant:P1"}}
    # Income falls once (200), the family's credit is used up, the cash went back.
    assert books(first, later) == {"Merchant Settlement": D("105.00"), SWIM: D("-100.00"),
                                   TAX: D("-5.00")}
    assert plan(dataset(*records), post(later, ledger), APRIL).is_empty


def test_refund_before_the_line_is_removed_also_reduces_income_once():
    """March: 200 refunded with no sign of what for (pro rata over the order). April: the
    camp is removed — the refund was for it. Its income reduction moves onto the camp."""
    records = [SWIM_1, CAMP_1, payment("PA1", "O1", "305.00", day(4)),
               refund("R1", "PA1", "200.00", day(20))]
    first, ledger = _posted(*records)
    assert sent_books(ledger) == {CASH: D("105.00"), SWIM: D("-34.43"), CAMP: D("-68.85"),
                                  TAX: D("-1.72")}  # what March knew
    records[1] = charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                        removed_date=day(2, 4))
    later = plan(dataset(*records), ledger, APRIL)
    [entry] = later.operations  # no credit memo: the refund already paid the camp back
    assert (entry.key, entry.payload["TxnDate"], entry.payload["DocNumber"]) == (
        "je:refund_reclass:R1", "2026-04-02", "R1-RX")
    assert lines(entry) == [("Debit", "Camp", D("68.85")), ("Credit", "Swim Lessons",
                            D("65.57")), ("Credit", "County T1", D("3.28"))]
    ledger = post(later, ledger)
    # The family takes swim only: 105 invoiced and kept, the camp's 200 refunded.
    assert sent_books(ledger) == books(first, later) == FAMILY_TAKES_SWIM_ONLY
    assert plan(dataset(*records), ledger, APRIL).is_empty
    assert plan(dataset(*records), ledger).is_empty  # re-running March changes nothing


FAMILY_TAKES_SWIM_ONLY = {"Merchant Settlement": D("105.00"), SWIM: D("-100.00"),
                          TAX: D("-5.00")}


def _two_runs(march, april):
    ledger = post(plan(dataset(*march)))
    return post(plan(dataset(*april), ledger, APRIL), ledger)


REMOVED_CAMP = charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                      removed_date=day(2, 4))
PAID = payment("PA1", "O1", "305.00", day(4))


def test_both_orders_of_a_full_refund_and_removal_give_the_same_books():
    refund_first = _two_runs([SWIM_1, CAMP_1, PAID, refund("R1", "PA1", "200.00", day(20))],
                             [SWIM_1, REMOVED_CAMP, PAID, refund("R1", "PA1", "200.00", day(20))])
    remove_first = _two_runs([SWIM_1, CAMP_1, PAID],
                             [SWIM_1, REMOVED_CAMP, PAID, refund("R1", "PA1", "200.00", day(9, 4))])
    same_run = post(plan(dataset(SWIM_1, REMOVED_CAMP, PAID, refund("R1", "PA1", "200.00",
                                                                    day(20))), {}, APRIL_TO_DATE))
    for ledger in (refund_first, remove_first, same_run):
        assert sent_books(ledger) == FAMILY_TAKES_SWIM_ONLY
    # Refunded before it was removed, in one run: the receipt is on the camp directly.
    assert lines(op_of(same_run, "refundreceipt:R1")) == [("item:program:CA1", D("200.00"),
                                                           "500")]


def test_both_orders_of_a_partial_refund_give_the_same_books_and_leave_a_credit():
    """100 of the camp's 200 refunded: income falls by 200 once, 100 stays owed to the family."""
    expected = {"Merchant Settlement": D("205.00"), SWIM: D("-100.00"), TAX: D("-5.00"),
                AR: D("-100.00")}
    refund_first = _two_runs([SWIM_1, CAMP_1, PAID, refund("R1", "PA1", "100.00", day(20))],
                             [SWIM_1, REMOVED_CAMP, PAID, refund("R1", "PA1", "100.00", day(20))])
    remove_first = _two_runs([SWIM_1, CAMP_1, PAID],
                             [SWIM_1, REMOVED_CAMP, PAID, refund("R1", "PA1", "100.00", day(9, 4))])
    assert sent_books(refund_first) == sent_books(remove_first) == expected
    # Refund first: the refund covers 100 of the camp, a credit memo removes the other 100.
    assert lines(op_of(refund_first, "creditmemo:order:O1:c1")) == [
        ("item:program:CA1", D("100.00"), "500")]


def test_a_refund_beyond_the_removed_line_spreads_the_rest_over_what_is_still_sold():
    refund_first = _two_runs([SWIM_1, CAMP_1, PAID, refund("R1", "PA1", "252.50", day(20))],
                             [SWIM_1, REMOVED_CAMP, PAID, refund("R1", "PA1", "252.50", day(20))])
    remove_first = _two_runs([SWIM_1, CAMP_1, PAID],
                             [SWIM_1, REMOVED_CAMP, PAID, refund("R1", "PA1", "252.50", day(9, 4))])
    expected = {"Merchant Settlement": D("52.50"), SWIM: D("-50.00"), TAX: D("-2.50")}
    assert sent_books(refund_first) == sent_books(remove_first) == expected


def test_a_removal_in_a_locked_period_moves_the_refund_on_the_first_open_day():

    records = [SWIM_1, CAMP_1, PAID, refund("R1", "PA1", "200.00", day(20))]
    ledger = post(plan(dataset(*records)))
    records[1] = charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                        removed_date=day(25))  # a late export: the removal was in March
    later = plan(dataset(*records), ledger, APRIL, locked=[Period(day(1), day(31))])
    [entry] = later.operations
    assert (entry.key, entry.payload["TxnDate"]) == ("je:refund_reclass:R1", "2026-04-01")
    assert not later.issues
    assert sent_books(post(later, ledger)) == FAMILY_TAKES_SWIM_ONLY


def test_lower_total_than_already_paid_uses_a_credit_memo_not_an_update():
    records = [SWIM_1, CAMP_1, payment("PA1", "O1", "250.00", day(4))]
    _first, ledger = _posted(*records)
    records[1] = charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                        removed_date=day(5, 4))
    later = plan(dataset(*records), ledger, APRIL)
    [memo] = ops(later)
    assert memo.entity == "CreditMemo"
    assert lines(memo) == [("item:program:CA1", D("200.00"), "500")]


def test_change_in_a_locked_period_is_an_adjustment_in_the_first_open_period():
    from app.plan.plan import Period

    records = [SWIM_1, payment("PA1", "O1", "105.00", day(4))]
    _first, ledger = _posted(*records)
    records.append(charge("X9", "O1", "40.00", day(20), program="CA1"))  # late, dated March
    march = Period(day(1), day(31))
    later = plan(dataset(*records), ledger, APRIL, locked=[march])
    supplement = op(later, "invoice:order:O1:s1")
    assert supplement.payload["TxnDate"] == "2026-04-01"
    assert "Adjustment: dated 2026-03-20 in a locked period" in supplement.payload["PrivateNote"]
    assert lines(supplement) == [("item:program:CA1", D("40.00"), "500")]


def test_open_invoice_in_a_locked_period_is_not_rewritten():
    from app.plan.plan import Period

    records = [SWIM_1]
    _first, ledger = _posted(*records)
    records.append(charge("X9", "O1", "40.00", day(2, 4), program="CA1"))
    later = plan(dataset(*records), ledger, APRIL, locked=[Period(day(1), day(31))])
    assert [o.key for o in ops(later, "Invoice")] == ["invoice:order:O1:s1"]


def test_a_posted_receipt_is_not_rewritten_when_its_own_period_is_run_again():
    """Refund posted on the 20th; the camp removed on the 25th; March run again."""
    records = [SWIM_1, CAMP_1, PAID, refund("R1", "PA1", "200.00", day(20))]
    ledger = post(plan(dataset(*records), period=Period(day(1), day(22))))
    records[1] = charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                        removed_date=day(25))
    again = plan(dataset(*records), ledger)
    assert [(o.action, o.key, o.payload["TxnDate"]) for o in again.operations] == [
        ("create", "je:refund_reclass:R1", "2026-03-25")]
    assert sent_books(post(again, ledger)) == FAMILY_TAKES_SWIM_ONLY


def _descriptions(operation):
    return [line.get("Description") for line in operation.payload["Line"]]


def test_a_charge_removed_and_another_added_on_one_program_are_never_netted():
    """SPEC §3a, per charge. Ava's paid order O1: swim X1 100.00 + tax 5.00. In April she
    swaps it for swim X4 80.00 + tax 4.00 (same program, same class). The family sees what
    happened: a credit memo for X1 and a supplemental invoice for X4 — not a 21.00 credit
    memo netting the two."""
    records = [SWIM_1, payment("PA1", "O1", "105.00", day(4))]
    _first, ledger = _posted(*records)
    records[0] = charge("X1", "O1", "100.00", day(3), tax="5.00", status="removed",
                        removed_date=day(2, 4))
    records.append(charge("X4", "O1", "80.00", day(2, 4), tax="4.00"))
    later = plan(dataset(*records), ledger, APRIL)
    memo, supplement = op(later, "creditmemo:order:O1:c1"), op(later, "invoice:order:O1:s1")
    assert lines(memo) == [("item:program:SW1", D("100.00"), "500"),
                           ("item:tax:T1", D("5.00"), "500")]
    assert _descriptions(memo) == ["Swim Level 1 (cart line X1)",
                                   "Sales tax County (cart line X1)"]
    assert memo.payload["Line"][0]["SalesItemLineDetail"]["ServiceDate"] == "2026-03-03"
    assert lines(supplement) == [("item:program:SW1", D("80.00"), "500"),
                                 ("item:tax:T1", D("4.00"), "500")]
    assert _descriptions(supplement) == ["Swim Level 1 (cart line X4)",
                                         "Sales tax County (cart line X4)"]
    assert books(later) == {AR: D("-21.00"), SWIM: D("20.00"), TAX: D("1.00")}
    ledger = post(later, ledger)
    assert plan(dataset(*records), ledger, APRIL).is_empty
    assert sent_books(ledger) == {CASH: D("105.00"), AR: D("-21.00"), SWIM: D("-80.00"),
                                  TAX: D("-4.00")}


def test_one_charge_up_and_another_down_on_one_program_are_two_documents():
    """Two swim charges on a paid order: X1 goes up 100 -> 120, X2 down 100 -> 80 (an edit
    carries no date of its own: March, the period of the purchase, is run again). The
    order's total is unchanged, but X1's 20.00 is a supplemental invoice and X2's 20.00 a
    credit memo; in April X2 is removed and only its remaining 80.00 is credited."""
    first_records = [charge("X1", "O1", "100.00", day(3)), charge("X2", "O1", "100.00", day(3)),
                     payment("PA1", "O1", "200.00", day(4))]
    _first, ledger = _posted(*first_records)
    changed = [charge("X1", "O1", "120.00", day(3)), charge("X2", "O1", "80.00", day(3)),
               payment("PA1", "O1", "200.00", day(4))]
    later = plan(dataset(*changed), ledger)
    assert [(o.key, lines(o), _descriptions(o)) for o in later.operations] == [
        ("invoice:order:O1:s1", [("item:program:SW1", D("20.00"), "500")],
         ["Swim Level 1 (cart line X1)"]),
        ("creditmemo:order:O1:c1", [("item:program:SW1", D("20.00"), "500")],
         ["Swim Level 1 (cart line X2)"])]
    ledger = post(later, ledger)
    assert plan(dataset(*changed), ledger).is_empty
    changed[1] = charge("X2", "O1", "80.00", day(3), status="removed", removed_date=day(20, 4))
    third = plan(dataset(*changed), ledger, APRIL)
    [memo] = third.operations
    assert (memo.key, lines(memo)) == ("creditmemo:order:O1:c2",
                                       [("item:program:SW1", D("80.00"), "500")])
    assert plan(dataset(*changed), post(third, ledger), APRIL).is_empty


def test_each_charge_has_its_own_tax_line_naming_it():
    p = plan(dataset(charge("X1", "O1", "100.00", day(3), tax="5.00"),
                     charge("X2", "O1", "40.00", day(3), tax="2.00", description="Goggles")))
    invoice = op(p, "invoice:order:O1")
    assert lines(invoice) == [("item:program:SW1", D("100.00"), "500"),
                              ("item:program:SW1", D("40.00"), "500"),
                              ("item:tax:T1", D("5.00"), "500"),
                              ("item:tax:T1", D("2.00"), "500")]
    assert _descriptions(invoice) == [
        "Swim Level 1 (cart line X1)", "Goggles (cart line X2)",
        "Sales tax County (cart line X1)", "Sales tax County (cart line X2)"]


def test_an_earlier_period_run_again_ignores_an_order_posted_later():
    """An order that begins in April, posted; March planned again (a period re-run, or a
    resync's ledger): nothing to plan for that order, and no failure."""
    from .helpers import APRIL, MARCH, charge, dataset, day, plan, post

    data = dataset(charge("X9", "O9", "40.00", day(3, month=4)))
    posted = post(plan(data, period=APRIL))
    assert "invoice:order:O9" in posted
    assert [o.key for o in plan(data, posted, period=MARCH).operations] == []


# Re-running an earlier period after a later one was posted (SPEC §5: it plans only what
# is missing or changed as of its own last day). Found by the end-to-end property test
# (tests/e2e/test_random_histories.py): the earlier run compared the order as of its own
# last day with documents the later run had posted, and undid them — a credit memo for
# the later supplemental (the later run then re-added it, on every re-run), an in-place
# update dropping the later lines — or crashed on an order with no charge yet.
def _march_then_april(*april_records):
    march = (charge("X1", "O1", "100.00", day(3)),)
    ledger = post(plan(dataset(*march, *april_records[:1])))
    records = (*march, *april_records)
    april = plan(dataset(*records), ledger, APRIL)
    assert april.operations
    return records, post(april, ledger)


def test_an_earlier_period_run_again_leaves_a_later_supplemental_alone():
    paid = payment("PA1", "O1", "100.00", day(4))  # the March invoice is closed
    records, ledger = _march_then_april(paid, charge("X2", "O1", "50.00", day(2, 4)))
    assert "invoice:order:O1:s1" in ledger
    assert plan(dataset(*records), ledger).is_empty  # March again
    assert plan(dataset(*records), ledger, APRIL).is_empty


def test_an_earlier_period_run_again_leaves_a_later_in_place_update_alone():
    records, ledger = _march_then_april(charge("X2", "O1", "50.00", day(2, 4)))
    assert len(ledger["invoice:order:O1"].payload["Line"]) == 2  # updated in place
    assert plan(dataset(*records), ledger).is_empty
    assert plan(dataset(*records), ledger, APRIL).is_empty


def test_an_earlier_period_run_again_skips_an_order_first_invoiced_later():
    records, ledger = _march_then_april(charge("X2", "O2", "50.00", day(2, 4)))
    assert "invoice:order:O2" in ledger
    assert plan(dataset(*records), ledger).is_empty


def test_an_earlier_period_run_again_does_not_apply_a_payment_to_a_later_invoice():
    """March's overpayment stays a credit when April adds a supplemental: March run again
    does not reach forward to it (before, it updated the payment, on the first re-run
    after April). A run covering both applies it; March again then keeps that."""
    overpaid = payment("PA1", "O1", "150.00", day(4))
    records, ledger = _march_then_april(overpaid, charge("X2", "O1", "50.00", day(2, 4)))
    assert ledger["invoice:order:O1:s1"].payload["TxnDate"] == "2026-04-02"
    assert plan(dataset(*records), ledger).is_empty
    both = plan(dataset(*records), ledger, APRIL_TO_DATE)
    [update] = ops(both)
    assert (update.action, update.key) == ("update", "payment:PA1")
    ledger = post(both, ledger)
    assert plan(dataset(*records), ledger).is_empty
    assert plan(dataset(*records), ledger, APRIL_TO_DATE).is_empty
