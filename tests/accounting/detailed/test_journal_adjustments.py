"""SPEC §3a: a posted journal entry is never rewritten; a later change is a new, dated,
labelled adjustment entry in the open period (docs/accounting-detailed.md §2.16)."""

from __future__ import annotations

from app.plan.plan import Period

from .helpers import (
    APRIL,
    CAMP,
    DEFERRED,
    SWIM,
    TAX,
    D,
    books,
    charge,
    dataset,
    day,
    lines,
    mapping,
    op,
    payment,
    plan,
    post,
    refund,
    sent_books,
)

CASH = "Merchant Settlement"
DEFER = mapping(deferred_revenue=True)
JULY = Period(day(1, 7), day(31, 7))
AUGUST = Period(day(1, 8), day(31, 8))
MAY = Period(day(1, 5), day(31, 5))


def _no_journal_update(*plans):
    for p in plans:
        assert not [o.key for o in p.operations
                    if o.entity == "JournalEntry" and o.action != "create"]


def _reclass_history(second_removal_day):
    """Swim 100 + tax 5, a camp 200 and a camp week 100, paid 405; 250 refunded on 20 March
    (spread over everything). 2 April: the camp week is removed — the refund covers it, the
    rest stays spread (``-RX`` entry). Later the swim is removed too: the refund covers it
    as well, so the part spread over the swim and its tax moves onto them exactly."""
    swim = charge("X1", "O1", "100.00", day(3), tax="5.00")
    camp = charge("X2", "O1", "200.00", day(3), program="CA1")
    week = charge("X3", "O1", "100.00", day(3), program="CA1")
    paid, refunded = payment("PA1", "O1", "405.00", day(4)), refund("R1", "PA1", "250.00",
                                                                     day(20))
    no_week = charge("X3", "O1", "100.00", day(3), program="CA1", status="removed",
                     removed_date=day(2, 4))
    no_swim = charge("X1", "O1", "100.00", day(3), tax="5.00", status="removed",
                     removed_date=second_removal_day)
    return [swim, camp, week, paid, refunded], [swim, camp, no_week, paid, refunded], [
        no_swim, camp, no_week, paid, refunded]


def test_a_later_removal_adjusts_a_posted_reclassification_instead_of_rewriting_it():
    march, april, may = _reclass_history(day(6, 5))
    ledger = post(plan(dataset(*march)))
    first = plan(dataset(*april), ledger, APRIL)
    assert [o.key for o in first.operations] == ["je:refund_reclass:R1"]
    ledger = post(first, ledger)
    later = plan(dataset(*may), ledger, MAY)
    _no_journal_update(later)
    adjustment = op(later, "je:refund_reclass:R1:adj:1")
    assert adjustment.action == "create"
    assert adjustment.payload["TxnDate"] == "2026-05-06"  # the day of the second removal
    assert adjustment.payload["DocNumber"] == "R1-RX-A1"
    assert adjustment.payload["Adjustment"] is True
    assert adjustment.payload["PrivateNote"].startswith(
        "Ledgerbridge je:refund_reclass:R1:adj:1 | Adjustment to R1-RX: Refund R1")
    # April's entry left 48.39 of the refund on the swim and 2.42 on its tax (spread); the
    # refund is now known to be for them (105.00): 53.36 more moves off the camp.
    assert sorted(lines(adjustment)) == [("Credit", "Camp", D("53.36")),
                                         ("Debit", "County T1", D("2.54")),
                                         ("Debit", "Swim Lessons", D("50.82"))]
    ledger = post(later, ledger)
    # The family keeps the camp less the refund's last 45.00; swim and its tax are gone.
    assert sent_books(ledger) == {CASH: D("155.00"), CAMP: D("-155.00")}
    assert plan(dataset(*may), ledger, MAY).is_empty
    assert plan(dataset(*may), ledger, APRIL).is_empty  # April's entry stays as posted


def test_an_adjustment_for_a_change_in_a_locked_period_lands_on_the_first_open_day():
    march, april, may = _reclass_history(day(20, 4))  # a late export: removed in April
    ledger = post(plan(dataset(*march)))
    ledger = post(plan(dataset(*april), ledger, Period(day(1, 4), day(10, 4))), ledger)
    locked = [Period(day(1), day(30, 4))]
    later = plan(dataset(*may), ledger, MAY, locked=locked)
    _no_journal_update(later)
    adjustment = op(later, "je:refund_reclass:R1:adj:1")
    assert adjustment.payload["TxnDate"] == "2026-05-01"
    assert "(change dated 2026-04-20 in a locked period)" in adjustment.payload["PrivateNote"]
    assert plan(dataset(*may), post(later, ledger), MAY, locked=locked).is_empty


def test_recognition_posted_on_the_start_date_is_adjusted_on_the_day_a_refund_moves():
    """Swim + camp (deferred, starts 1 July) paid; 100 refunded in March, spread: 66.67 on
    the camp's deferred item. July recognises 133.33. On 5 August the swim is removed — the
    refund was for it: the ``-RX`` entry puts 66.67 back in Deferred Revenue, and an
    adjustment of the recognition dated 5 August moves it to the camp's income. Before,
    August planned nothing for the recognition (its start date is in July) and a re-run of
    July rewrote the posted entry."""
    swim, camp = charge("X1", "O1", "100.00", day(3)), charge("X2", "O1", "200.00", day(3),
                                                             program="CA1")
    records = [swim, camp, payment("PA1", "O1", "300.00", day(4)),
               refund("R1", "PA1", "100.00", day(20))]
    ledger = post(plan(dataset(*records), config=DEFER))
    july = plan(dataset(*records), ledger, JULY, DEFER)
    assert lines(op(july, "je:deferred:CA1")) == [("Debit", "Deferred Revenue", D("133.33")),
                                                 ("Credit", "Camp", D("133.33"))]
    ledger = post(july, ledger)
    records[0] = charge("X1", "O1", "100.00", day(3), status="removed", removed_date=day(5, 8))
    august = plan(dataset(*records), ledger, AUGUST, DEFER)
    _no_journal_update(august)
    assert sorted(o.key for o in august.operations) == [  # the refund covers the swim
        "je:deferred:CA1:adj:1", "je:refund_reclass:R1"]
    adjustment = op(august, "je:deferred:CA1:adj:1")
    assert adjustment.payload["TxnDate"] == "2026-08-05"
    assert lines(adjustment) == [("Debit", "Deferred Revenue", D("66.67")),
                                 ("Credit", "Camp", D("66.67"))]
    ledger = post(august, ledger)
    assert sent_books(ledger, DEFER) == {CASH: D("200.00"), CAMP: D("-200.00")}
    assert sent_books(ledger, DEFER).get(DEFERRED) is None
    assert plan(dataset(*records), ledger, AUGUST, DEFER).is_empty
    assert plan(dataset(*records), ledger, JULY, DEFER).is_empty  # July's entry stays


def test_a_further_change_to_a_locked_payment_adds_a_second_adjustment():
    order = [charge("X1", "O1", "100.00", day(3), tax="5.00")]
    records = [*order, payment("PA1", "O1", "105.00", day(4))]
    ledger = post(plan(dataset(*records)))
    locked = [Period(day(1), day(31))]
    records[1] = payment("PA1", "O1", "100.00", day(4))
    ledger = post(plan(dataset(*records), ledger, APRIL, locked=locked), ledger)
    records[1] = payment("PA1", "O1", "90.00", day(4))
    later = plan(dataset(*records), ledger, MAY, locked=[*locked, APRIL])
    _no_journal_update(later)
    [entry] = later.operations
    assert (entry.key, entry.payload["TxnDate"]) == ("je:payment_adjustment:PA1:adj:1",
                                                     "2026-05-01")
    assert lines(entry) == [("Credit", "Merchant Settlement", D("10.00")),
                            ("Debit", "Accounts Receivable (A/R)", D("10.00"))]
    assert entry.payload["Line"][1]["JournalEntryLineDetail"]["Entity"] == {
        "Type": "Customer", "EntityRef": {"$ref": "customer:participant:P1"}}
    assert books(later) == {CASH: D("-10.00"), "Accounts Receivable (A/R)": D("10.00")}
    ledger = post(later, ledger)
    assert plan(dataset(*records), ledger, MAY, locked=[*locked, APRIL]).is_empty
    assert sent_books(ledger) == {CASH: D("90.00"), "Accounts Receivable (A/R)": D("15.00"),
                                  SWIM: D("-100.00"), TAX: D("-5.00")}
