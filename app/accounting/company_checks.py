"""Pre-flight rules about the QuickBooks company itself (SPEC §5), checked on a plan.

Pure: the company's Preferences arrive as the dict QuickBooks returned. Every problem
becomes an issue in the preview with its fix, so none is discovered at post time:
records dated on or before the books' closing date, classes sent to a company that
does not track them, a company whose currency set-up Ledgerbridge does not handle, and
customers made inactive in QuickBooks that the plan still names (QuickBooks refuses a
transaction for an inactive customer: error 610).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.accounting.ledger_view import LedgerView
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


def inactive_customers(plan: Plan, ledger: LedgerView,
                       inactive: Mapping[str, str]) -> list[Issue]:
    """One issue per customer the plan names that QuickBooks holds as inactive.

    ``inactive``: QuickBooks id -> display name, as QuickBooks listed its inactive
    customers. A customer an undo made inactive is not among them: the post makes it
    active again itself (its ledger state is "inactive", not "posted").
    """
    users: dict[str, list[str]] = {}
    for operation in plan.operations:
        named = [k for k in operation.depends_on if k.startswith("customer:")]
        if operation.entity == "Customer" and operation.action != "create":
            named.append(operation.key)
        for key in named:
            users.setdefault(key, []).extend(operation.sources or (operation.key,))
    issues = []
    for key, sources in sorted(users.items()):
        record = ledger.get(key)
        if record is None or record.state != "posted" or record.qbo_id is None \
                or record.qbo_id not in inactive:
            continue
        name = inactive[record.qbo_id] or key
        issues.append(Issue(
            "error", "customer_inactive",
            f"Customer {name!r} (QuickBooks id {record.qbo_id}) is inactive in QuickBooks; "
            f"QuickBooks would refuse the records of this period that name it (error 610)",
            f"Reactivate customer {name} in QuickBooks (Sales > Customers > include "
            "inactive > Make active), or, if it was made inactive on purpose, correct the "
            "records in the registration system and import again; then Check again",
            sources=tuple(sorted(set(sources)))))
    return issues
