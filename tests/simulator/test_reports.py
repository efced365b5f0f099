"""TrialBalance: computed from every kind of posted transaction, debits equal credits."""

from __future__ import annotations

from decimal import Decimal


def _totals(report):
    summary = report["Rows"]["Row"][-1]["Summary"]["ColData"]
    return Decimal(summary[1]["value"]), Decimal(summary[2]["value"])


def _by_account(report):
    rows = {}
    for row in report["Rows"]["Row"][:-1]:
        name, debit, credit = (cell["value"] for cell in row["ColData"])
        rows[name] = Decimal(debit or 0) - Decimal(credit or 0)
    return rows


def test_trial_balance_of_a_busy_month_balances(qbo):
    customer = qbo.customer("Ava")
    item = qbo.item()
    checking = qbo.account_id("Checking")
    invoice = qbo.invoice(customer["Id"], item["Id"], "300.00")
    payment = qbo.create("Payment", {"CustomerRef": {"value": customer["Id"]},
                                     "TotalAmt": 200, "TxnDate": "2025-01-20",
                                     "Line": [{"Amount": 200, "LinkedTxn": [
                                         {"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    qbo.create("Deposit", {"DepositToAccountRef": {"value": checking}, "TxnDate": "2025-01-21",
                           "Line": [{"Amount": 200, "LinkedTxn": [
                               {"TxnId": payment["Id"], "TxnType": "Payment"}]}]})
    sales_line = [{"DetailType": "SalesItemLineDetail", "Amount": 40,
                   "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}}}]
    qbo.create("CreditMemo", {"CustomerRef": {"value": customer["Id"]},
                              "TxnDate": "2025-01-22", "Line": sales_line})
    qbo.create("RefundReceipt", {"CustomerRef": {"value": customer["Id"]},
                                 "TxnDate": "2025-01-23", "Line": sales_line,
                                 "DepositToAccountRef": {"value": checking}})
    fees = qbo.account_id("Bank Charges & Fees")
    qbo.create("JournalEntry", {"TxnDate": "2025-01-31", "Line": [
        {"DetailType": "JournalEntryLineDetail", "Amount": 15, "JournalEntryLineDetail": {
            "PostingType": "Debit", "AccountRef": {"value": fees}}},
        {"DetailType": "JournalEntryLineDetail", "Amount": 15, "JournalEntryLineDetail": {
            "PostingType": "Credit", "AccountRef": {"value": checking}}}]})
    report = qbo.get("reports/TrialBalance", end_date="2025-01-31",
                     accounting_method="Accrual").json()
    assert report["Header"]["ReportName"] == "TrialBalance"
    debits, credits = _totals(report)
    assert debits == credits
    rows = _by_account(report)
    assert rows["Checking"] == Decimal("200") - 40 - 15
    assert rows["Accounts Receivable (A/R)"] == Decimal("300") - 200 - 40
    assert rows["Services"] == Decimal("-300") + 40 + 40
    assert "Undeposited Funds" not in rows  # deposited in full


def test_trial_balance_end_date_and_prior_year_income(qbo):
    customer = qbo.customer("Old")
    item = qbo.item()
    qbo.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "TxnDate": "2024-06-01",
                           "Line": [{"DetailType": "SalesItemLineDetail", "Amount": 50,
                                     "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}}}]})
    qbo.invoice(customer["Id"], item["Id"], "10.00")  # 2025-01-15
    rows_2024 = _by_account(qbo.get("reports/TrialBalance", end_date="2024-12-31").json())
    assert rows_2024["Services"] == Decimal("-50")
    report = qbo.get("reports/TrialBalance", end_date="2025-01-10").json()
    rows = _by_account(report)
    assert rows["Retained Earnings"] == Decimal("-50") and "Services" not in rows
    assert rows["Accounts Receivable (A/R)"] == Decimal("50")
    debits, credits = _totals(report)
    assert debits == credits == Decimal("50")


def test_unknown_report_and_cash_basis_are_refused(qbo):
    assert qbo.fault(qbo.get("reports/ProfitAndLoss"))["code"] == "500"
    assert qbo.fault(qbo.get("reports/TrialBalance", accounting_method="Cash"))["code"] == "2010"
