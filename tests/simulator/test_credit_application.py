"""A credit memo applied to an invoice by a zero-amount Payment (Receive Payment, 0.00).

How QuickBooks applies a credit to an invoice, and how Ledgerbridge redeems a gift card in
the detailed style: a Payment with TotalAmt 0 whose lines apply X to the invoice and X
from the credit memo. The invoice's Balance and the credit memo's RemainingCredit fall by
X and both records change (new SyncToken, the payment in their LinkedTxn); nothing posts
to a deposit account. Over-application is refused with a validation fault.
"""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.fixture
def credit(qbo):
    """Ava's invoice of 100.00 (Camp Fee) and her credit memo of 40.00 on a gift card item
    that posts to a liability, as Intuit documents gift certificates."""
    customer = qbo.customer("Ava Stone")
    camp = qbo.item()
    holding = qbo.create("Account", {"Name": "Gift Card Holding",
                                     "AccountType": "Other Current Liability"})
    gift = qbo.create("Item", {"Name": "Gift card", "Type": "Service",
                               "IncomeAccountRef": {"value": holding["Id"]}})
    invoice = qbo.invoice(customer["Id"], camp["Id"], "100.00")
    memo = qbo.create("CreditMemo", {
        "CustomerRef": {"value": customer["Id"]}, "TxnDate": "2025-01-16",
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": "40.00",
                  "SalesItemLineDetail": {"ItemRef": {"value": gift["Id"]}}}]})
    return qbo, customer, invoice, memo


def _apply(qbo, customer_id, total, invoice_amount, memo_amount, invoice_id, memo_id):
    return qbo.post("payment", {
        "CustomerRef": {"value": customer_id}, "TotalAmt": total, "TxnDate": "2025-01-20",
        "Line": [{"Amount": invoice_amount,
                  "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]},
                 {"Amount": memo_amount,
                  "LinkedTxn": [{"TxnId": memo_id, "TxnType": "CreditMemo"}]}]})


def _read(qbo, entity, txn_id):
    return qbo.get(f"{entity.lower()}/{txn_id}").json()[entity]


def test_a_zero_amount_payment_applies_the_credit_to_the_invoice(credit):
    qbo, customer, invoice, memo = credit
    reply = _apply(qbo, customer["Id"], 0, "40.00", "40.00", invoice["Id"], memo["Id"])
    assert reply.status_code == 200, reply.text
    payment = reply.json()["Payment"]
    assert Decimal(payment["TotalAmt"]) == 0 and Decimal(payment["UnappliedAmt"]) == 0
    after_invoice, after_memo = _read(qbo, "Invoice", invoice["Id"]), _read(
        qbo, "CreditMemo", memo["Id"])
    assert Decimal(after_invoice["Balance"]) == Decimal("60.00")
    assert Decimal(after_memo["RemainingCredit"]) == 0
    assert int(after_invoice["SyncToken"]) == int(invoice["SyncToken"]) + 1
    assert int(after_memo["SyncToken"]) == int(memo["SyncToken"]) + 1
    assert {"TxnId": payment["Id"], "TxnType": "Payment"} in after_invoice["LinkedTxn"]
    assert {"TxnId": payment["Id"], "TxnType": "Payment"} in after_memo["LinkedTxn"]
    # Nothing reaches a bank or Undeposited Funds: the customer owes the rest, 60.00, and
    # the gift card liability went down by the 40.00 redeemed.
    report = qbo.get("reports/TrialBalance", end_date="2025-01-31",
                     accounting_method="Accrual").json()
    nets = {}
    for row in report["Rows"]["Row"][:-1]:
        name, debit, credit_ = (cell["value"] for cell in row["ColData"])
        nets[name] = Decimal(debit or 0) - Decimal(credit_ or 0)
    assert nets == {"Accounts Receivable (A/R)": Decimal("60.00"),
                    "Services": Decimal("-100.00"), "Gift Card Holding": Decimal("40.00")}


def test_voiding_the_application_gives_back_the_balance_and_the_credit(credit):
    qbo, customer, invoice, memo = credit
    payment = _apply(qbo, customer["Id"], 0, "40.00", "40.00", invoice["Id"],
                     memo["Id"]).json()["Payment"]
    voided = qbo.post("payment", {"Id": payment["Id"], "SyncToken": payment["SyncToken"],
                                  "sparse": True}, operation="update", include="void")
    assert voided.status_code == 200, voided.text
    assert Decimal(_read(qbo, "Invoice", invoice["Id"])["Balance"]) == Decimal("100.00")
    assert Decimal(_read(qbo, "CreditMemo", memo["Id"])["RemainingCredit"]) == Decimal("40.00")


def test_a_changed_application_moves_only_the_difference(credit):
    qbo, customer, invoice, memo = credit
    payment = _apply(qbo, customer["Id"], 0, "25.00", "25.00", invoice["Id"],
                     memo["Id"]).json()["Payment"]
    assert Decimal(_read(qbo, "CreditMemo", memo["Id"])["RemainingCredit"]) == Decimal("15.00")
    reply = qbo.post("payment", {
        "Id": payment["Id"], "SyncToken": payment["SyncToken"], "sparse": True,
        "CustomerRef": {"value": customer["Id"]}, "TotalAmt": 0,
        "Line": [{"Amount": "40.00", "LinkedTxn": [{"TxnId": invoice["Id"],
                                                     "TxnType": "Invoice"}]},
                 {"Amount": "40.00", "LinkedTxn": [{"TxnId": memo["Id"],
                                                     "TxnType": "CreditMemo"}]}]})
    assert reply.status_code == 200, reply.text
    assert Decimal(_read(qbo, "Invoice", invoice["Id"])["Balance"]) == Decimal("60.00")
    assert Decimal(_read(qbo, "CreditMemo", memo["Id"])["RemainingCredit"]) == 0


@pytest.mark.parametrize("total, to_invoice, from_memo, why", [
    (0, "50.00", "50.00", "more than the credit memo's remaining credit"),
    (0, "10.00", "40.00", "credits applied beyond the invoices they pay"),
    (0, "40.00", "10.00", "invoices applied beyond the payment and its credits"),
    (70, "110.00", "40.00", "more than the invoice's open balance"),
])
def test_over_application_is_refused_with_a_validation_fault(credit, total, to_invoice,
                                                             from_memo, why):
    qbo, customer, invoice, memo = credit
    reply = _apply(qbo, customer["Id"], total, to_invoice, from_memo, invoice["Id"],
                   memo["Id"])
    fault = reply.json()["Fault"]
    assert reply.status_code == 400, why
    assert fault["type"] == "ValidationFault"
    assert fault["Error"][0]["code"] == "6000", why
    # Nothing was applied: both records are as they were.
    assert _read(qbo, "Invoice", invoice["Id"])["SyncToken"] == invoice["SyncToken"]
    assert Decimal(_read(qbo, "CreditMemo", memo["Id"])["RemainingCredit"]) == Decimal("40.00")
