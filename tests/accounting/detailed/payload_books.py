"""The books as QuickBooks would keep them, read from the payloads sent — not from the
planner's own ``postings``, so a wrong payload cannot hide behind right postings.

Every record the ledger holds in its final state (``post`` merges sparse updates, a void
or delete drops the record) is turned into debits and credits the way QBO books it:
- Invoice: debit its A/R account with the sum of its lines; credit each line's item's
  income account.
- CreditMemo: the reverse of an invoice.
- Payment: debit the deposit account, credit A/R, each with ``TotalAmt``.
- RefundReceipt: debit each line's item's account; credit the deposit account.
- JournalEntry: its lines as posted.
Items are resolved through their own ledger payload (``IncomeAccountRef``); an account
referenced by ``{"$ref": "account:<name>"}`` is that name, one referenced by id is looked
up in ``names_by_id`` (built by the test from its mapping, not by the planner).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.accounting.ledger_view import PostedRecord

ZERO = Decimal("0")


def payload_books(ledger: Mapping[str, PostedRecord], names_by_id: Mapping[str, str],
                  default_receivable: str) -> dict[str, Decimal]:
    """Net debit per account over every live record in ``ledger`` (zero nets dropped)."""
    books: dict[str, Decimal] = {}

    def post(account: str, amount: Decimal) -> None:
        books[account] = books.get(account, ZERO) + amount

    def account(reference: Mapping[str, Any] | None) -> str:
        if reference is None:
            return default_receivable
        if "$ref" in reference:
            key = reference["$ref"]
            assert key.startswith("account:"), key
            return key.split(":", 1)[1]
        return names_by_id[reference["value"]]

    def item_account(reference: Mapping[str, Any]) -> str:
        key = reference["$ref"] if "$ref" in reference else _key_by_id(ledger, reference)
        return account(ledger[key].payload["IncomeAccountRef"])

    for record in ledger.values():
        if record.state != "posted" or record.entity in ("Item", "Customer", "Account",
                                                         "Class"):
            continue
        payload = record.payload or {}
        sales = [(item_account(line["SalesItemLineDetail"]["ItemRef"]), _d(line["Amount"]))
                 for line in payload.get("Line", ()) if "SalesItemLineDetail" in line]
        total = sum((amount for _a, amount in sales), ZERO)
        if record.entity in ("Invoice", "CreditMemo"):
            sign = 1 if record.entity == "Invoice" else -1
            post(account(payload.get("ARAccountRef")), sign * total)
            for name, amount in sales:
                post(name, -sign * amount)
        elif record.entity == "RefundReceipt":
            post(account(payload["DepositToAccountRef"]), -total)
            for name, amount in sales:
                post(name, amount)
        elif record.entity == "Payment":
            amount = _d(payload["TotalAmt"])
            if amount:  # a 0.00 payment (a gift card's credit applied) moves no money
                post(account(payload["DepositToAccountRef"]), amount)
                post(account(payload.get("ARAccountRef")), -amount)
        elif record.entity == "JournalEntry":
            for line in payload["Line"]:
                detail = line["JournalEntryLineDetail"]
                sign = 1 if detail["PostingType"] == "Debit" else -1
                post(account(detail["AccountRef"]), sign * _d(line["Amount"]))
        else:
            raise AssertionError(f"no book rule for {record.entity}")
    return {name: amount for name, amount in books.items() if amount}


def _key_by_id(ledger: Mapping[str, PostedRecord], reference: Mapping[str, Any]) -> str:
    [key] = [k for k, r in ledger.items() if r.entity == "Item" and r.qbo_id == reference["value"]]
    return key


def _d(value: Any) -> Decimal:
    assert not isinstance(value, float), value
    return Decimal(str(value))
