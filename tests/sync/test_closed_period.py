"""QuickBooks' closing date: hold by default, re-date new records on request."""

from datetime import date

import pytest

from app.plan.operations import Operation
from app.sync.closed_period import apply_policy, closing_date

CLOSED = date(2025, 1, 31)


def op(action: str, key: str, day: date) -> Operation:
    payload = {"TxnDate": day.isoformat(), "PrivateNote": f"Ledgerbridge {key} | memo"}
    return Operation(action, "JournalEntry", key, payload, key, txn_date=day)


def test_the_closing_date_is_read_from_preferences():
    assert closing_date({"AccountingInfoPrefs": {"BookCloseDate": "2025-01-31"}}) == CLOSED
    assert closing_date({"AccountingInfoPrefs": {}}) is None
    assert closing_date({}) is None


def test_hold_keeps_back_exactly_what_is_dated_on_or_before_the_closing_date():
    plan = [op("create", "je:1", date(2025, 1, 31)), op("create", "je:2", date(2025, 2, 1))]
    decision = apply_policy(plan, CLOSED, "hold")
    assert list(decision.held) == ["je:1"]
    assert "2025-01-31" in decision.held["je:1"] and "--closed-period redate" in \
        decision.held["je:1"]
    assert decision.overrides == {}


def test_redate_moves_new_records_to_the_first_open_day_with_a_memo_of_their_date():
    plan = [op("create", "je:1", date(2025, 1, 15)), op("update", "je:0", date(2025, 1, 2))]
    decision = apply_policy(plan, CLOSED, "redate")
    assert decision.overrides["je:1"]["TxnDate"] == "2025-02-01"
    note = decision.overrides["je:1"]["PrivateNote"]
    assert note.startswith("Ledgerbridge je:1 | memo | re-dated from 2025-01-15")
    assert list(decision.held) == ["je:0"]  # a change to a posted record is never re-dated


def test_no_closing_date_holds_nothing_and_an_unknown_choice_is_refused():
    assert apply_policy([op("create", "je:1", date(2020, 1, 1))], None).held == {}
    with pytest.raises(ValueError, match="unknown closed-period choice"):
        apply_policy([], CLOSED, "shred")
