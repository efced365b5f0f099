"""Incremental sync: nothing twice, edits as dated deltas, locked periods (SPEC §3b, §5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.plan.plan import Period
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


def test_manual_runs_never_overlap_and_late_events_adjust_their_run():
    config = daily_mapping(sync="manual")
    first_half = Period(date(2026, 3, 1), date(2026, 3, 15))
    data = dataset(pay("P1", 2, "card", "10.00", ("SW", "10.00", None)),
                   pay("P2", 9, "cash", "20.00", ("SW", "20.00", None)))
    ledger = posted(plan_daily(data, config, period=first_half))
    later = dataset(pay("P1", 2, "card", "10.00", ("SW", "10.00", None)),
                    pay("P2", 9, "cash", "20.00", ("SW", "20.00", None)),
                    pay("P3", 5, "cash", "7.00", ("SW", "7.00", None)),  # late, inside run 1
                    pay("P4", 20, "card", "30.00", ("SW", "30.00", None)))
    result = plan_daily(later, config, ledger=ledger)
    assert [(op.key, op.amount) for op in entries(result)] == [
        ("je:adjust:run:2026-03-02:2026-03-09:1", D("7.00")),
        ("je:summary:run:2026-03-20:2026-03-20", D("30.00")),
    ]
    assert plan_daily(later, config, ledger=posted(result, ledger)).operations == ()


def test_a_never_posted_day_in_a_locked_period_is_posted_as_an_adjustment():
    config = daily_mapping(go_live=date(2026, 1, 1))
    ledger = posted(plan_daily(dataset(), config, period=FEBRUARY))
    late = dataset(pay("P1", 14, "cash", "12.00", ("SW", "12.00", None), month=2))
    result = plan_daily(late, config, ledger=ledger, locked=[FEBRUARY])
    (op,) = entries(result)
    assert (op.key, op.txn_date) == ("je:adjust:2026-02-14:1", date(2026, 3, 1))
    assert lines_of(op) == [("Debit", "Undeposited Funds", ORG, D("12.00")),
                            ("Credit", SWIM, DOWNTOWN, D("12.00"))]
    again = plan_daily(late, config, ledger=posted(result, ledger), locked=[FEBRUARY])
    assert again.operations == ()


def test_adjustments_read_posted_payloads_by_qbo_id_or_by_planned_reference():
    """The ledger may hold what was sent with references resolved to ids, or not."""
    from app.mapping.config import Target

    config = daily_mapping(income={"Swim Lessons": Target("Tuition:Swim Lessons"),
                                   "Camp": Target("Tuition:Camp", "11")}, create_missing=True)
    data = _march()
    first = plan_daily(data, config)
    assert "account:Tuition:Swim Lessons" in by_key(first)
    ledger = posted(first)
    edited = dataset(pay("P1", 5, "card", "100.00", ("SW", "100.00", None)),
                     pay("P2", 6, "cash", "35.00", ("SW", "35.00", None)))
    known = daily_mapping(income={"Swim Lessons": Target("Tuition:Swim Lessons", "77"),
                                  "Camp": Target("Tuition:Camp", "11")})
    (adjustment,) = entries(plan_daily(edited, known, ledger=ledger))
    assert lines_of(adjustment, known) == [
        ("Debit", "Undeposited Funds", ORG, D("5.00")),
        ("Credit", "Tuition:Swim Lessons", DOWNTOWN, D("5.00"))]


def test_an_inconsistent_posted_payload_never_yields_an_unbalanced_delta():
    data = _march()
    ledger = posted(plan_daily(data))
    key = "je:summary:2026-03-05"
    payload = dict(ledger[key].payload)
    payload["Line"] = payload["Line"][:1]  # the ledger lost a line
    ledger[key] = replace(ledger[key], payload=payload)
    edited = dataset(pay("P1", 5, "card", "101.00", ("SW", "101.00", None)),
                     pay("P2", 6, "cash", "30.00", ("SW", "30.00", None)))
    result = plan_daily(edited, ledger=ledger)
    assert entries(result) == []
    (issue,) = result.blocking_issues
    assert (issue.code, issue.blocks) == ("unbalanced_entry", ("je:adjust:2026-03-05:1",))
