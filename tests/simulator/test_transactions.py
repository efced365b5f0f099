"""Transactions: totals computed by the server, links, balances, delete/void, closing date."""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.fixture
def books(qbo):
    customer = qbo.customer("Ava Stone")
    item = qbo.item("Camp Fee")
    return qbo, customer, item


def _line(item_id, amount, **detail):
    return {"DetailType": "SalesItemLineDetail", "Amount": amount,
            "SalesItemLineDetail": {"ItemRef": {"value": item_id}, **detail}}


def _pay(qbo, customer_id, total, links, **extra):
    return qbo.post("payment", {
        "CustomerRef": {"value": customer_id}, "TotalAmt": total, "TxnDate": "2025-01-20",
        "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": txn_id, "TxnType": kind}]}
                 for kind, txn_id, amount in links], **extra})


def test_invoice_totals_balance_and_subtotal_line(books):
    qbo, customer, item = books
    invoice = qbo.create("Invoice", {
        "CustomerRef": {"value": customer["Id"]}, "TxnDate": "2025-01-15",
        "Line": [_line(item["Id"], 100, Qty=2, UnitPrice=50, TaxCodeRef={"value": "NON"}),
                 _line(item["Id"], "25.50"),
                 {"DetailType": "DescriptionOnly", "Description": "note"}]})
    assert Decimal(str(invoice["TotalAmt"])) == Decimal("125.50")
    assert invoice["Balance"] == invoice["TotalAmt"]
    assert invoice["Line"][-1]["DetailType"] == "SubTotalLineDetail"
    assert [line.get("LineNum") for line in invoice["Line"][:3]] == [1, 2, 3]
    assert invoice["DocNumber"] == "1001" and invoice["DueDate"] == "2025-01-15"
    second = qbo.invoice(customer["Id"], item["Id"])
    assert second["DocNumber"] == "1002"


def test_invoice_validation_faults(books):
    qbo, customer, item = books
    ref = {"value": customer["Id"]}
    cases = [
        ({"Line": [_line(item["Id"], 10)]}, "2020"),
        ({"CustomerRef": {"value": "999"}, "Line": [_line(item["Id"], 10)]}, "610"),
        ({"CustomerRef": ref, "Line": []}, "6000"),
        ({"CustomerRef": ref, "Line": [_line(item["Id"], 99, Qty=2, UnitPrice=50)]}, "6070"),
        ({"CustomerRef": ref, "Line": [_line(item["Id"], 9, TaxCodeRef={"value": "GST"})]},
         "6100"),
        ({"CustomerRef": ref, "DocNumber": "X" * 22, "Line": [_line(item["Id"], 1)]}, "2050"),
        ({"CustomerRef": ref, "Line": [_line("999", 1)]}, "610"),
        ({"CustomerRef": ref, "Line": [_line(item["Id"], "abc")]}, "2080"),
        ({"CustomerRef": ref, "TxnDate": "15/01/2025", "Line": [_line(item["Id"], 1)]}, "2010"),
        ({"CustomerRef": ref, "Line": [{"Amount": 1, "SalesItemLineDetail": {}}]}, "2020"),
    ]
    for body, code in cases:
        assert qbo.fault(qbo.post("invoice", body))["code"] == code, body


def test_payment_applies_to_invoice_and_updates_balance(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    payment = _pay(qbo, customer["Id"], 60, [("Invoice", invoice["Id"], 60)]).json()["Payment"]
    assert payment["DepositToAccountRef"]["name"] == "Undeposited Funds"
    assert payment["UnappliedAmt"] == 0
    after = qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]
    assert after["Balance"] == 40 and after["SyncToken"] == "1"
    assert after["LinkedTxn"] == [{"TxnId": payment["Id"], "TxnType": "Payment"}]
    assert qbo.get(f"customer/{customer['Id']}").json()["Customer"]["Balance"] == 40


def test_payment_cannot_over_apply_or_cross_customers(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    over = _pay(qbo, customer["Id"], 150, [("Invoice", invoice["Id"], 150)])
    assert qbo.fault(over)["code"] == "6000"
    more_than_total = _pay(qbo, customer["Id"], 10, [("Invoice", invoice["Id"], 50)])
    assert qbo.fault(more_than_total)["code"] == "6000"
    other = qbo.customer("Someone Else")
    cross = _pay(qbo, other["Id"], 10, [("Invoice", invoice["Id"], 10)])
    assert qbo.fault(cross)["code"] == "6000"
    missing = qbo.post("payment", {"CustomerRef": {"value": customer["Id"]}})
    assert qbo.fault(missing)["code"] == "2020"


def test_a_parent_may_pay_its_sub_customers_invoices_but_not_the_reverse(books):
    qbo, parent, item = books
    child = qbo.customer("Ava Stone Jr", Job=True, BillWithParent=True,
                         ParentRef={"value": parent["Id"]})
    invoice = qbo.invoice(child["Id"], item["Id"], "100.00")
    paid = _pay(qbo, parent["Id"], 100, [("Invoice", invoice["Id"], 100)])
    assert paid.status_code == 200, paid.text
    assert Decimal(str(qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]["Balance"])) == 0
    own = qbo.invoice(parent["Id"], item["Id"], "40.00")
    upwards = _pay(qbo, child["Id"], 40, [("Invoice", own["Id"], 40)])
    assert qbo.fault(upwards)["code"] == "6000"
    billed_apart = qbo.customer("Eli Stone", Job=True, BillWithParent=False,
                                ParentRef={"value": parent["Id"]})
    separate = qbo.invoice(billed_apart["Id"], item["Id"], "25.00")
    refused = _pay(qbo, parent["Id"], 25, [("Invoice", separate["Id"], 25)])
    assert qbo.fault(refused)["code"] == "6000"  # only sub-customers billed with the parent


def test_unapplied_payment_and_credit_memo_application(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    memo = qbo.create("CreditMemo", {"CustomerRef": {"value": customer["Id"]},
                                     "TxnDate": "2025-01-16", "Line": [_line(item["Id"], 30)]})
    assert memo["RemainingCredit"] == 30
    payment = _pay(qbo, customer["Id"], 80, [("Invoice", invoice["Id"], 100),
                                             ("CreditMemo", memo["Id"], 30)]).json()["Payment"]
    assert payment["UnappliedAmt"] == 10
    assert qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]["Balance"] == 0
    assert qbo.get(f"creditmemo/{memo['Id']}").json()["CreditMemo"]["RemainingCredit"] == 0


def test_deleting_and_voiding_a_payment_restores_the_invoice(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    first = _pay(qbo, customer["Id"], 100, [("Invoice", invoice["Id"], 100)]).json()["Payment"]
    deleted = qbo.post("payment", {"Id": first["Id"], "SyncToken": first["SyncToken"]},
                       operation="delete").json()["Payment"]
    assert deleted == {"status": "Deleted", "domain": "QBO", "Id": first["Id"]}
    restored = qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]
    assert restored["Balance"] == 100 and restored["LinkedTxn"] == []
    second = _pay(qbo, customer["Id"], 100, [("Invoice", invoice["Id"], 100)]).json()["Payment"]
    voided = qbo.post("payment", {"Id": second["Id"], "SyncToken": second["SyncToken"],
                                  "sparse": True}, operation="update", include="void")
    assert voided.json()["Payment"]["TotalAmt"] == 0
    assert "Voided" in voided.json()["Payment"]["PrivateNote"]
    assert qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]["Balance"] == 100


def test_invoice_with_payment_cannot_be_deleted_or_voided(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    _pay(qbo, customer["Id"], 10, [("Invoice", invoice["Id"], 10)])
    current = qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]
    body = {"Id": invoice["Id"], "SyncToken": current["SyncToken"]}
    assert qbo.fault(qbo.post("invoice", body, operation="delete"))["code"] == "6000"
    assert qbo.fault(qbo.post("invoice", body, operation="void"))["code"] == "6000"


def test_invoice_void_zeroes_amounts_and_delete_removes(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    voided = qbo.post("invoice", {"Id": invoice["Id"], "SyncToken": "0"},
                      operation="void").json()["Invoice"]
    assert voided["TotalAmt"] == 0 and voided["Balance"] == 0
    assert voided["PrivateNote"].startswith("Voided") and voided["SyncToken"] == "1"
    stale = qbo.post("invoice", {"Id": invoice["Id"], "SyncToken": "0"}, operation="delete")
    assert qbo.fault(stale)["code"] == "5010"
    qbo.post("invoice", {"Id": invoice["Id"], "SyncToken": "1"}, operation="delete")
    assert qbo.fault(qbo.get(f"invoice/{invoice['Id']}"))["code"] == "610"


def test_invoice_sparse_update_recomputes_totals(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    updated = qbo.post("invoice", {"Id": invoice["Id"], "SyncToken": "0", "sparse": True,
                                   "Line": [_line(item["Id"], 70)]}).json()["Invoice"]
    assert updated["TotalAmt"] == 70 and updated["Balance"] == 70
    assert updated["DocNumber"] == invoice["DocNumber"]


def test_refund_receipt_pays_from_bank(books):
    qbo, customer, item = books
    refund = qbo.create("RefundReceipt", {
        "CustomerRef": {"value": customer["Id"]}, "TxnDate": "2025-02-01",
        "DepositToAccountRef": {"value": qbo.account_id("Checking")},
        "Line": [_line(item["Id"], 20)]})
    assert refund["TotalAmt"] == 20 and refund["DepositToAccountRef"]["name"] == "Checking"
    bad = qbo.post("refundreceipt", {"CustomerRef": {"value": customer["Id"]},
                                     "DepositToAccountRef": {"value": qbo.account_id("Services")},
                                     "Line": [_line(item["Id"], 20)]})
    assert qbo.fault(bad)["code"] == "6000"


def _je_line(posting, account_id, amount, entity=None):
    detail = {"PostingType": posting, "AccountRef": {"value": account_id}}
    if entity:
        detail["Entity"] = {"Type": "Customer", "EntityRef": {"value": entity}}
    return {"DetailType": "JournalEntryLineDetail", "Amount": amount,
            "JournalEntryLineDetail": detail}


def test_journal_entry_balanced_with_ar_entity(books):
    qbo, customer, _ = books
    ar, income = qbo.account_id("Accounts Receivable (A/R)"), qbo.account_id("Services")
    entry = qbo.create("JournalEntry", {"TxnDate": "2025-01-31", "Line": [
        _je_line("Debit", ar, 100, customer["Id"]), _je_line("Credit", income, 100)]})
    assert entry["TotalAmt"] == 100
    assert entry["Line"][0]["JournalEntryLineDetail"]["Entity"]["EntityRef"]["value"] == \
        customer["Id"]


def test_journal_entry_faults(books):
    qbo, _customer, _ = books
    ar, income = qbo.account_id("Accounts Receivable (A/R)"), qbo.account_id("Services")
    checking = qbo.account_id("Checking")
    cases = [
        ([_je_line("Debit", checking, 100), _je_line("Credit", income, 90)], "6000"),
        ([_je_line("Debit", ar, 100), _je_line("Credit", income, 100)], "6000"),
        ([_je_line("Debit", "999", 100), _je_line("Credit", income, 100)], "610"),
        ([_je_line("Dr", checking, 100), _je_line("Credit", income, 100)], "2010"),
    ]
    for lines, code in cases:
        reply = qbo.post("journalentry", {"TxnDate": "2025-01-31", "Line": lines})
        assert qbo.fault(reply)["code"] == code, lines


def test_deposit_moves_payment_out_of_undeposited_funds(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    payment = _pay(qbo, customer["Id"], 100, [("Invoice", invoice["Id"], 100)]).json()["Payment"]
    checking = qbo.account_id("Checking")
    deposit = qbo.create("Deposit", {
        "DepositToAccountRef": {"value": checking}, "TxnDate": "2025-01-21",
        "Line": [{"Amount": 100, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment",
                                               "TxnLineId": "0"}]},
                 {"Amount": 5, "DetailType": "DepositLineDetail",
                  "DepositLineDetail": {"AccountRef": {"value": qbo.account_id(
                      "Interest Earned")}}}]})
    assert deposit["TotalAmt"] == 105
    again = qbo.post("deposit", {"DepositToAccountRef": {"value": checking}, "Line": [
        {"Amount": 100, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment"}]}]})
    assert qbo.fault(again)["code"] == "6000"
    locked = qbo.post("payment", {"Id": payment["Id"], "SyncToken": payment["SyncToken"]},
                      operation="delete")
    assert qbo.fault(locked)["code"] == "6540"
    assert qbo.fault(qbo.post("deposit", {"Line": []}))["code"] == "2020"


def test_closing_date_blocks_writes_on_or_before_it(books):
    qbo, customer, item = books
    early = qbo.invoice(customer["Id"], item["Id"], "10.00")  # dated 2025-01-15
    qbo.admin("closing-date", {"date": "2025-01-31"})
    prefs = qbo.get("preferences").json()["Preferences"]
    assert prefs["AccountingInfoPrefs"]["BookCloseDate"] == "2025-01-31"
    on_close = qbo.post("invoice", {"CustomerRef": {"value": customer["Id"]},
                                    "TxnDate": "2025-01-31", "Line": [_line(item["Id"], 5)]})
    error = qbo.fault(on_close)
    assert error["code"] == "6210" and "period has closed" in error["Detail"]
    change = qbo.post("invoice", {"Id": early["Id"], "SyncToken": "0", "sparse": True,
                                  "TxnDate": "2025-02-10"})
    assert qbo.fault(change)["code"] == "6210"
    delete = qbo.post("invoice", {"Id": early["Id"], "SyncToken": "0"}, operation="delete")
    assert qbo.fault(delete)["code"] == "6210"
    after = qbo.post("invoice", {"CustomerRef": {"value": customer["Id"]},
                                 "TxnDate": "2025-02-01", "Line": [_line(item["Id"], 5)]})
    assert after.status_code == 200


def test_preferences_update_through_the_api_checks_sync_token(qbo):
    prefs = qbo.get("preferences").json()["Preferences"]
    reply = qbo.post("preferences", {"Id": prefs["Id"], "SyncToken": prefs["SyncToken"],
                                     "AccountingInfoPrefs": {"BookCloseDate": "2024-12-31"}})
    updated = reply.json()["Preferences"]
    assert updated["AccountingInfoPrefs"]["BookCloseDate"] == "2024-12-31"
    assert updated["AccountingInfoPrefs"]["ClassTrackingPerTxnLine"] is True
    stale = qbo.post("preferences", {"Id": prefs["Id"], "SyncToken": prefs["SyncToken"],
                                     "AccountingInfoPrefs": {"BookCloseDate": "2025-12-31"}})
    assert qbo.fault(stale)["code"] == "5010"


@pytest.mark.parametrize("entity, body", [
    ("Payment", {"TotalAmt": 5}),
    ("CreditMemo", {"Line": "sales"}),
    ("RefundReceipt", {"Line": "sales"}),
    ("JournalEntry", {"Line": "journal"}),
])
def test_closing_date_applies_to_every_transaction_kind(books, sandbox, entity, body):
    qbo, customer, item = books
    sandbox.set_closing_date("2025-06-30")
    payload = {"TxnDate": "2025-06-30", **body}
    if entity != "JournalEntry":
        payload["CustomerRef"] = {"value": customer["Id"]}
    if body.get("Line") == "sales":
        payload["Line"] = [_line(item["Id"], 5)]
    elif body.get("Line") == "journal":
        checking, income = qbo.account_id("Checking"), qbo.account_id("Services")
        payload["Line"] = [_je_line("Debit", checking, 5), _je_line("Credit", income, 5)]
    assert qbo.fault(qbo.post(entity.lower(), payload))["code"] == "6210"
    sandbox.set_closing_date(None)
    assert qbo.post(entity.lower(), payload).status_code == 200


def test_credit_memo_with_applied_credit_cannot_be_deleted(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "50.00")
    memo = qbo.create("CreditMemo", {"CustomerRef": {"value": customer["Id"]},
                                     "TxnDate": "2025-01-16", "Line": [_line(item["Id"], 20)]})
    _pay(qbo, customer["Id"], 0, [("Invoice", invoice["Id"], 20), ("CreditMemo", memo["Id"], 20)])
    current = qbo.get(f"creditmemo/{memo['Id']}").json()["CreditMemo"]
    reply = qbo.post("creditmemo", {"Id": memo["Id"], "SyncToken": current["SyncToken"]},
                     operation="delete")
    assert qbo.fault(reply)["code"] == "6000"


def test_deposited_payment_amount_is_locked_but_memo_can_change(books):
    qbo, customer, _item = books
    payment = qbo.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 40,
                                     "TxnDate": "2025-01-20"})
    qbo.create("Deposit", {"DepositToAccountRef": {"value": qbo.account_id("Checking")},
                           "TxnDate": "2025-01-21", "Line": [{"Amount": 40, "LinkedTxn": [
                               {"TxnId": payment["Id"], "TxnType": "Payment"}]}]})
    note = qbo.post("payment", {"Id": payment["Id"], "SyncToken": "0", "sparse": True,
                                "PrivateNote": "checked"})
    assert note.status_code == 200
    amount = qbo.post("payment", {"Id": payment["Id"], "SyncToken": "1", "sparse": True,
                                  "TotalAmt": 45})
    assert qbo.fault(amount)["code"] == "6540"


def test_customer_balance_with_jobs(qbo):
    parent = qbo.customer("Parent Family")
    child = qbo.create("Customer", {"DisplayName": "Child", "Job": True,
                                    "ParentRef": {"value": parent["Id"]}})
    item = qbo.item()
    qbo.invoice(parent["Id"], item["Id"], "10.00")
    qbo.invoice(child["Id"], item["Id"], "25.00")
    read = qbo.get(f"customer/{parent['Id']}").json()["Customer"]
    assert read["Balance"] == 10 and read["BalanceWithJobs"] == 35


def test_company_info_is_read_only(qbo):
    info = qbo.get("companyinfo/1").json()["CompanyInfo"]
    reply = qbo.post("companyinfo", {"Id": "1", "SyncToken": info["SyncToken"], "sparse": True,
                                     "CompanyName": "Real Company"})
    assert qbo.fault(reply)["code"] == "500"


def test_editing_a_payment_memo_leaves_the_invoice_alone(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    payment = _pay(qbo, customer["Id"], 30, [("Invoice", invoice["Id"], 30)]).json()["Payment"]
    token = qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]["SyncToken"]
    qbo.post("payment", {"Id": payment["Id"], "SyncToken": "0", "sparse": True,
                         "PrivateNote": "memo"})
    assert qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]["SyncToken"] == token
    qbo.post("payment", {"Id": payment["Id"], "SyncToken": "1", "sparse": True,
                         "TotalAmt": 50, "Line": [{"Amount": 50, "LinkedTxn": [
                             {"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    after = qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]
    assert after["Balance"] == 50 and after["SyncToken"] != token


def test_amount_rounding_is_half_up_for_the_qty_price_check(books):
    qbo, customer, item = books
    reply = qbo.post("invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [
        _line(item["Id"], "0.03", Qty=1, UnitPrice="0.025")]})
    assert reply.status_code == 200, reply.text


def test_two_lines_on_one_invoice_cannot_together_over_apply(books):
    qbo, customer, item = books
    invoice = qbo.invoice(customer["Id"], item["Id"], "100.00")
    over = _pay(qbo, customer["Id"], 120, [("Invoice", invoice["Id"], 60),
                                           ("Invoice", invoice["Id"], 60)])
    assert qbo.fault(over)["code"] == "6000"
    _pay(qbo, customer["Id"], 100, [("Invoice", invoice["Id"], 60),
                                    ("Invoice", invoice["Id"], 40)])
    assert qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"]["Balance"] == 0


def test_ar_account_ref_must_be_receivable(books):
    qbo, customer, item = books
    bad = qbo.post("invoice", {"CustomerRef": {"value": customer["Id"]},
                               "ARAccountRef": {"value": qbo.account_id("Checking")},
                               "Line": [_line(item["Id"], 5)]})
    assert qbo.fault(bad)["code"] == "6000"
    ar = qbo.account_id("Accounts Receivable (A/R)")
    good = qbo.create("Invoice", {"CustomerRef": {"value": customer["Id"]},
                                  "ARAccountRef": {"value": ar}, "Line": [_line(item["Id"], 5)]})
    assert good["ARAccountRef"]["value"] == ar


def test_header_class_ref_must_exist(books):
    qbo, customer, item = books
    bad = qbo.post("invoice", {"CustomerRef": {"value": customer["Id"]},
                               "ClassRef": {"value": "42"}, "Line": [_line(item["Id"], 5)]})
    assert qbo.fault(bad)["code"] == "610"
    summer = qbo.create("Class", {"Name": "Summer"})
    good = qbo.create("Invoice", {"CustomerRef": {"value": customer["Id"]},
                                  "ClassRef": {"value": summer["Id"]},
                                  "Line": [_line(item["Id"], 5, ClassRef={"value": summer["Id"]})]})
    assert good["ClassRef"]["name"] == "Summer"
    assert good["Line"][0]["SalesItemLineDetail"]["ClassRef"]["value"] == summer["Id"]
