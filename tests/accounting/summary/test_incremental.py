"""Incremental sync: nothing twice, edits as dated deltas, locked periods (SPEC §3b, §5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.accounting.plan import Period
from tests.accounting.summary.scenario import (
    D,
    balance,
    by_key,
    daily_mapping,
    dataset,
    entries,
    lines_of,
    pay,
    plan_daily,
    posted,
    refund,
)

ORG = "Riverside Swim"
DOWNTOWN = "Riverside Swim:Downtown L1"
SWIM = "Tuition:Swim Lessons"
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))


def _march():
    return dataset(pay("P1", 5, "card", "100.00", ("SW", "100.00", None)),
                   pay("P2", 6, "cash", "30.00", ("SW", "30.00", None)))


def test_unchanged_data_plans_nothing_the_second_time():
    data = _march()
    first = plan_daily(data)
    assert len(entries(first)) == 2
    again = plan_daily(data, ledger=posted(first))
    assert again.operations == ()


def test_an_edit_to_a_posted_day_is_a_dated_labelled_delta():
    data = _march()
    ledger = posted(plan_daily(data))
    edited = dataset(pay("P1", 5, "card", "100.00", ("SW", "100.00", None)),
                     pay("P3", 5, "cash", "15.00", ("SW", "15.00", None)),  # arrived late
                     pay("P2", 6, "cash", "30.00", ("SW", "30.00", None)))
    (adjustment,) = entries(plan_daily(edited, ledger=ledger))
    assert adjustment.key == "je:adjust:2026-03-05:1"
    assert adjustment.txn_date == date(2026, 3, 5)
    assert adjustment.payload["Adjustment"] is True
    assert "Adjustment to daily summary 2026-03-05" in adjustment.payload["PrivateNote"]
    assert lines_of(adjustment) == [("Debit", "Undeposited Funds", ORG, D("15.00")),
                                    ("Credit", SWIM, DOWNTOWN, D("15.00"))]
    assert "je:summary:2026-03-05" in ledger  # the posted entry itself is never rewritten
    after = posted(plan_daily(edited, ledger=ledger), ledger)
    assert plan_daily(edited, ledger=after).operations == ()
    # a second change to the same day is the second adjustment
    again = dataset(pay("P1", 5, "card", "100.00", ("SW", "100.00", None)),
                    pay("P2", 6, "cash", "30.00", ("SW", "30.00", None)))
    (second,) = entries(plan_daily(again, ledger=after))
    assert second.key == "je:adjust:2026-03-05:2"
    assert lines_of(second) == [("Credit", "Undeposited Funds", ORG, D("15.00")),
                                ("Debit", SWIM, DOWNTOWN, D("15.00"))]


def test_a_payment_voided_after_posting_is_reversed_by_an_adjustment():
    data = _march()
    ledger = posted(plan_daily(data))
    voided = replace(data, payments=tuple(replace(p, status="voided") if p.payment_id == "P2"
                                          else p for p in data.payments))
    (adjustment,) = entries(plan_daily(voided, ledger=ledger))
    assert adjustment.key == "je:adjust:2026-03-06:1"
    assert lines_of(adjustment) == [("Credit", "Undeposited Funds", ORG, D("30.00")),
                                    ("Debit", SWIM, DOWNTOWN, D("30.00"))]
    assert balance(adjustment) == 0


def test_a_change_in_a_locked_period_is_adjusted_in_the_first_open_period():
    february = dataset(pay("P1", 10, "card", "40.00", ("SW", "40.00", None), month=2))
    config = daily_mapping(go_live=date(2026, 1, 1))
    feb_plan = plan_daily(february, config, period=FEBRUARY)
    ledger = posted(feb_plan)
    changed = dataset(pay("P1", 10, "card", "40.00", ("SW", "40.00", None), month=2),
                      refund("R1", "P1", 12, "40.00", month=2))
    locked = [Period(date(2026, 1, 1), FEBRUARY.end)]
    result = plan_daily(changed, config, ledger=ledger, locked=locked)
    (adjustment,) = entries(result)
    assert adjustment.key == "je:adjust:2026-02-12:1"
    assert adjustment.txn_date == date(2026, 3, 1)
    assert "locked period" in adjustment.payload["PrivateNote"]
    assert lines_of(adjustment) == [("Credit", "Merchant Settlement", ORG, D("40.00")),
                                    ("Debit", SWIM, DOWNTOWN, D("40.00"))]
    # posted: the next run plans nothing more
    assert plan_daily(changed, config, ledger=posted(result, ledger), locked=locked).operations \
        == ()


def test_an_open_earlier_day_is_left_to_its_own_period():
    february = dataset(pay("P1", 10, "card", "40.00", ("SW", "40.00", None), month=2))
    config = daily_mapping(go_live=date(2026, 1, 1))
    ledger = posted(plan_daily(february, config, period=FEBRUARY))
    changed = dataset(pay("P1", 10, "card", "45.00", ("SW", "45.00", None), month=2))
    assert plan_daily(changed, config, ledger=ledger).operations == ()  # March run
    (adjustment,) = entries(plan_daily(changed, config, ledger=ledger, period=FEBRUARY))
    assert adjustment.txn_date == date(2026, 2, 10)


def test_a_mapping_change_alone_does_not_rewrite_posted_days():
    data = _march()
    ledger = posted(plan_daily(data))
    from app.mapping.config import Target

    remapped = daily_mapping(income={"Swim Lessons": Target("Tuition:Lessons", "13"),
                                     "Camp": Target("Tuition:Camp", "11")})
    assert plan_daily(data, remapped, ledger=ledger).operations == ()


def test_a_failed_post_is_planned_again_under_the_same_key():
    data = _march()
    first = plan_daily(data)
    ledger = posted(first)
    key = "je:summary:2026-03-05"
    ledger[key] = replace(ledger[key], state="failed")
    (again,) = entries(plan_daily(data, ledger=ledger))
    assert again.key == key
    assert again.hash == by_key(first)[key].hash
