"""Pre-flight rules about the QuickBooks company itself (SPEC §5), checked on a plan.

Pure: the company's Preferences arrive as the dict QuickBooks returned. Every problem
becomes an issue in the preview with its fix, so none is discovered at post time:
records dated on or before the books' closing date, classes sent to a company that
does not track them, and a company whose currency set-up Ledgerbridge does not handle.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.plan.plan import Issue, Plan


def company_issues(plan: Plan, preferences: Mapping[str, Any],
                   uses_classes: bool) -> tuple[Issue, ...]:
    accounting = preferences.get("AccountingInfoPrefs") or {}
    issues = [*_closed_period(plan, accounting.get("BookCloseDate"))]
    issues += _class_tracking(accounting, uses_classes)
    issues += _currency(preferences.get("CurrencyPrefs") or {})
    return tuple(issues)


def _closed_period(plan: Plan, close_text: str | None) -> list[Issue]:
    if not close_text:
        return []
    closed = date.fromisoformat(str(close_text)[:10])
    keys = tuple(o.key for o in plan.operations
                 if o.txn_date is not None and o.txn_date <= closed)
    if not keys:
        return []
    return [Issue(
        "error", "closed_period",
        f"{len(keys)} record(s) are dated on or before {closed.isoformat()}, the date the "
        "books are closed in QuickBooks; QuickBooks would refuse them",
        "hold them until the accountant reopens the period (move the closing date in "
        "QuickBooks: Account and settings > Advanced > Close the books), or change the "
        "period you post",
        blocks=keys,
    )]


def _class_tracking(accounting: Mapping[str, Any], uses_classes: bool) -> list[Issue]:
    if not uses_classes:
        return []
    per_line = accounting.get("ClassTrackingPerTxnLine") is True
    per_transaction = accounting.get("ClassTrackingPerTxn") is True
    if per_line:
        return []
    if per_transaction:
        return [Issue("warning", "class_tracking_per_transaction",
                      "QuickBooks assigns one class per transaction, but Ledgerbridge puts "
                      "a class on each line (each location's class)",
                      "in QuickBooks, Account and settings > Advanced > Categories: "
                      "choose 'One to each row in transaction'")]
    return [Issue("error", "class_tracking_off",
                  "The mapping uses classes, but class tracking is off in QuickBooks",
                  "turn on 'Track classes' (one to each row) in QuickBooks, Account and "
                  "settings > Advanced > Categories, or remove the classes from the mapping")]


def _currency(currency: Mapping[str, Any]) -> list[Issue]:
    if currency.get("MultiCurrencyEnabled") is True:
        home = (currency.get("HomeCurrency") or {}).get("value", "?")
        return [Issue("warning", "multicurrency",
                      f"Multicurrency is on in QuickBooks (home currency {home}); Ledgerbridge "
                      "posts every amount in the home currency",
                      "check that the registration system's amounts are in the home currency")]
    return []
