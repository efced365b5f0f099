"""TrialBalance computed from the posted transactions, in QBO's report JSON shape.

Every sandbox transaction posts balanced amounts (see each kind's ``postings``), so the
report's debit and credit columns always agree. As in QBO, balance-sheet accounts are
cumulative to ``end_date`` while income and expense accounts show the fiscal year to
date (January start), earlier years' results being carried in Retained Earnings.
Accrual basis only; ``start_date`` is echoed in the header but, as for a trial balance
"as of" a date, does not cut off earlier balances (a deliberate simplification).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from app.simulator import errors
from app.simulator.company import Company, money, parse_date
from app.simulator.entities import KINDS, TRANSACTION_KINDS

_PROFIT_AND_LOSS = {"Revenue", "Expense"}


def _balances(company: Company, end: date) -> dict[str, Decimal]:
    year_start = date(end.year, 1, 1)
    retained = company.account_by_subtype("RetainedEarnings")["Id"]
    accounts = {a["Id"]: a for a in company.scan("Account")}
    totals: dict[str, Decimal] = {}
    for kind in TRANSACTION_KINDS:
        rules = KINDS[kind]
        for txn in company.scan(kind):
            txn_date = date.fromisoformat(txn["TxnDate"])
            if txn_date > end:
                continue
            for account_id, amount in rules.postings(company, txn):
                account = accounts.get(account_id, {})
                if account.get("Classification") in _PROFIT_AND_LOSS and txn_date < year_start:
                    account_id = retained
                totals[account_id] = totals.get(account_id, Decimal(0)) + amount
    return totals


def _cell(amount: Decimal) -> dict[str, str]:
    return {"value": f"{money(amount)}" if amount else ""}


def trial_balance(company: Company, params: dict[str, str]) -> dict[str, Any]:
    end_text = parse_date(params.get("end_date") or company.today(), "end_date")
    start_text = parse_date(params.get("start_date") or f"{end_text[:4]}-01-01", "start_date")
    method = params.get("accounting_method", "Accrual")
    if method != "Accrual":
        raise errors.invalid_property("accounting_method", "The Ledgerbridge simulator "
                                      "computes the Trial Balance on the Accrual basis only")
    totals = _balances(company, date.fromisoformat(end_text))
    accounts = sorted(company.scan("Account"), key=lambda a: a["FullyQualifiedName"].casefold())
    rows: list[dict[str, Any]] = []
    debit_total, credit_total = Decimal(0), Decimal(0)
    for account in accounts:
        amount = money(totals.get(account["Id"], Decimal(0)))
        if not amount:
            continue
        debit, credit = (amount, Decimal(0)) if amount > 0 else (Decimal(0), -amount)
        debit_total += debit
        credit_total += credit
        rows.append({"ColData": [{"value": account["FullyQualifiedName"], "id": account["Id"]},
                                 _cell(debit), _cell(credit)]})
    rows.append({"Summary": {"ColData": [{"value": "TOTAL"},
                                         {"value": f"{money(debit_total)}"},
                                         {"value": f"{money(credit_total)}"}]},
                 "type": "Section", "group": "GrandTotal"})
    return {
        "Header": {
            "Time": company.clock.iso_now(), "ReportName": "TrialBalance",
            "StartPeriod": start_text, "EndPeriod": end_text, "Currency": "USD",
            "Option": [{"Name": "AccountingMethod", "Value": method},
                       {"Name": "Simulator", "Value": "Ledgerbridge"},
                       {"Name": "NoReportData", "Value": "false" if len(rows) > 1 else "true"}],
        },
        "Columns": {"Column": [{"ColTitle": "", "ColType": "Account"},
                               {"ColTitle": "Debit", "ColType": "Money"},
                               {"ColTitle": "Credit", "ColType": "Money"}]},
        "Rows": {"Row": rows},
    }
