"""Pre-flight rules about the company: closing date, class tracking, currency."""

from datetime import date
from decimal import Decimal

from app.accounting.company_checks import company_issues
from app.plan.operations import Operation
from app.plan.plan import Plan


def entry(key, day):
    return Operation("create", "JournalEntry", key, {"TxnDate": day.isoformat()}, "entry",
                     txn_date=day, amount=Decimal("10.00"))


PLAN = Plan((entry("je:1", date(2026, 1, 31)), entry("je:2", date(2026, 2, 1)),
             Operation("create", "Account", "account:X", {"Name": "X"}, "account")))
TRACKED = {"AccountingInfoPrefs": {"ClassTrackingPerTxnLine": True}}


def codes(issues):
    return {i.code: i for i in issues}


def test_records_on_or_before_the_closing_date_are_held_back():
    prefs = {"AccountingInfoPrefs": {"BookCloseDate": "2026-01-31",
                                     "ClassTrackingPerTxnLine": True}}
    found = codes(company_issues(PLAN, prefs, uses_classes=True))
    assert found["closed_period"].severity == "error"
    assert found["closed_period"].blocks == ("je:1",)  # 1 Feb and the undated account pass


def test_no_closing_date_no_issue():
    assert company_issues(PLAN, TRACKED, uses_classes=True) == ()


def test_class_tracking_off_blocks_only_when_classes_are_used():
    off = {"AccountingInfoPrefs": {"ClassTrackingPerTxnLine": False,
                                   "ClassTrackingPerTxn": False}}
    assert codes(company_issues(PLAN, off, uses_classes=True))["class_tracking_off"]
    assert company_issues(PLAN, off, uses_classes=False) == ()
    per_txn = {"AccountingInfoPrefs": {"ClassTrackingPerTxn": True}}
    issue = codes(company_issues(PLAN, per_txn, uses_classes=True))
    assert issue["class_tracking_per_transaction"].severity == "warning"


def test_multicurrency_is_a_warning():
    prefs = {**TRACKED, "CurrencyPrefs": {"MultiCurrencyEnabled": True,
                                          "HomeCurrency": {"value": "CAD"}}}
    issue = codes(company_issues(PLAN, prefs, uses_classes=True))["multicurrency"]
    assert "CAD" in issue.message
