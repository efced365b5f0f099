"""The preview in the bookkeeper's words: a payment's lines say what they pay and its
customer is named (not keyed), and the exports carry each line's description like the
window's Line column."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from app.accounting.ledger_view import PostedRecord
from app.accounting.preview import build_preview
from app.monthly_close.exports import preview_sheets, write_tables
from app.monthly_close.preview_tree import group_preview, record_details, record_lines
from app.plan.operations import Operation
from app.plan.plan import Period, Plan
from app.plan.postings import credit, debit, reverse

JANUARY = Period(date(2025, 1, 1), date(2025, 1, 31))
DAY = date(2025, 1, 9)


def payment() -> Operation:
    return Operation("create", "Payment", "payment:PAY-1", {
        "CustomerRef": {"$ref": "customer:FAM-00068"}, "TotalAmt": "135.20",
        "DepositToAccountRef": {"value": "2", "name": "Undeposited Funds"},
        "Line": [{"Amount": "25.20", "LinkedTxn": [
                      {"TxnId": {"$ref": "invoice:order:ORD-7", "$bare": True},
                       "TxnType": "Invoice"}]},
                 {"Amount": "110.00", "LinkedTxn": [
                     {"TxnId": {"$ref": "creditmemo:CM-3", "$bare": True},
                      "TxnType": "CreditMemo"}]}]},
        "Payment PAY-1 (card) 135.20", txn_date=DAY, amount=Decimal("135.20"))


def invoice() -> Operation:
    return Operation("create", "Invoice", "invoice:order:ORD-7",
                     {"DocNumber": "ORD-7", "CustomerRef": {"$ref": "customer:FAM-00068"},
                      "Line": []}, "Invoice ORD-7 (1 lines)", txn_date=DAY,
                     amount=Decimal("25.20"))


def journal() -> Operation:
    amount = Decimal("40.00")
    return Operation("create", "JournalEntry", "je:summary:2025-01-09", {"Line": [
        {"Amount": "40.00", "Description": "Card payments 2025-01-09"},
        {"Amount": "40.00", "Description": "Tuition earned 2025-01-09"}]},
        "Journal entry 2025-01-09", txn_date=DAY, amount=amount,
        postings=(debit("Undeposited Funds", amount), credit("Tuition", amount)))


def test_a_payment_names_its_customer_and_what_each_line_pays():
    preview = build_preview(Plan((invoice(), payment()), (), JANUARY))
    ledger = {"customer:FAM-00068": PostedRecord("customer:FAM-00068", "Customer", "58",
                                                 "h", "posted", {"DisplayName": "Lee, Ana"})}
    tree = group_preview(preview, ledger)
    details = record_details(payment(), tree.names)
    assert "Customer: Lee, Ana" in details and "Deposited to: Undeposited Funds" in details
    assert "  Pays invoice ORD-7: 25.20" in details  # named by the preview's invoice
    assert "  Pays credit memo CM-3: 110.00" in details  # not created here: its key's end
    assert not any("None" in line or "customer:" in line for line in details[:-1])
    assert details[-1] == "Ledgerbridge key: payment:PAY-1"  # secondary, last
    unnamed = record_details(payment())
    assert "Customer: FAM-00068" in unnamed and "  Pays invoice ORD-7: 25.20" in unnamed


def test_the_exports_carry_each_lines_description(tmp_path):
    preview = build_preview(Plan((journal(),), (), JANUARY))
    for suffix in ("csv", "xlsx"):
        write_tables(tmp_path / f"preview.{suffix}", preview_sheets(preview))
    with (tmp_path / "preview.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    lines = [(r["account"], r["debit"], r["credit"], r["text"]) for r in rows
             if r["section"] == "line"]
    assert lines == [("Undeposited Funds", "40.00", "0.00", "Card payments 2025-01-09"),
                     ("Tuition", "0.00", "40.00", "Tuition earned 2025-01-09")]
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "preview.xlsx")["Preview"]
    rows_x = list(sheet.iter_rows(values_only=True))
    text = rows_x[0].index("text")
    assert [r[text] for r in rows_x[1:] if r[0] == "line"] == [
        "Card payments 2025-01-09", "Tuition earned 2025-01-09"]


def sale(entity: str = "Invoice") -> Operation:
    """Two lines, one described and one only by its item, as the planner's sales_postings
    credit them (a credit memo and a refund receipt reverse them)."""
    first, second = Decimal("20.00"), Decimal("5.20")
    postings = (credit("Program Income", first, "Gymnastics"),
                credit("Fees", second), debit("Accounts Receivable", first + second))
    return Operation("create", entity, f"{entity.lower()}:ORD-7", {
        "DocNumber": "ORD-7", "Line": [
            {"Amount": "20.00", "DetailType": "SalesItemLineDetail",
             "Description": "Registration: PRG-GYMN-L-002 (Ana Lee)",
             "SalesItemLineDetail": {"ItemRef": {"$ref": "item:PRG-GYMN"}}},
            {"Amount": "5.20", "DetailType": "SalesItemLineDetail",
             "SalesItemLineDetail": {"ItemRef": {"$ref": "item:FEE-CARD"}}},
            {"Amount": "25.20", "DetailType": "SubTotalLineDetail",
             "SubTotalLineDetail": {}}]},
        f"{entity} ORD-7", txn_date=DAY, amount=first + second,
        postings=postings if entity == "Invoice" else reverse(postings))


def paying() -> Operation:
    paid = payment()
    amount = Decimal("135.20")
    return Operation(paid.action, paid.entity, paid.key, paid.payload, paid.summary,
                     txn_date=DAY, amount=amount,
                     postings=(debit("Undeposited Funds", amount),
                               credit("Accounts Receivable", amount)))


def test_invoice_credit_memo_refund_and_payment_lines_say_what_the_details_pane_says(
        tmp_path):
    names = {"item:FEE-CARD": "Card fee", "invoice:order:ORD-7": "ORD-7"}
    for entity in ("Invoice", "CreditMemo", "RefundReceipt"):
        notes = [line.note for line in record_lines(sale(entity), names)]
        assert notes == ["Registration: PRG-GYMN-L-002 (Ana Lee)", "Card fee", ""], entity
        assert "  Card fee: 5.20" in record_details(sale(entity), names)  # the same words
    pays = "Pays invoice ORD-7; Pays credit memo CM-3"
    assert [line.note for line in record_lines(paying(), names)] == [pays, pays]

    preview = build_preview(Plan((sale(), paying()), (), JANUARY))
    write_tables(tmp_path / "preview.csv", preview_sheets(preview, names))
    with (tmp_path / "preview.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["key"], r["account"], r["text"]) for r in rows if r["section"] == "line"] == [
        ("invoice:ORD-7", "Program Income", "Registration: PRG-GYMN-L-002 (Ana Lee)"),
        ("invoice:ORD-7", "Fees", "Card fee"),
        ("invoice:ORD-7", "Accounts Receivable", ""),
        ("payment:PAY-1", "Undeposited Funds", pays),
        ("payment:PAY-1", "Accounts Receivable", pays)]
    assert preview.to_rows()[3][9] == "FEE-CARD"  # the CLI's CSV, without names: its code
