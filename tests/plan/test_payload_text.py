"""Payloads at rest: amounts as exact text, read back as the same Decimals and hash."""

from datetime import date
from decimal import Decimal

import pytest

from app.plan.operations import Operation, content_hash
from app.plan.payload_text import from_text, to_text

PAYLOAD = {"TxnDate": "2025-01-03", "Line": [
    {"Amount": Decimal("12.50"), "SalesItemLineDetail": {"Qty": Decimal("1"),
                                                         "UnitPrice": Decimal("12.50"),
                                                         "ItemRef": {"$ref": "item:P1"}}},
    {"Amount": Decimal("-0.01"), "Description": "rounding"}], "TotalAmt": Decimal("12.49")}


def test_amounts_become_exact_text_and_come_back_as_the_same_decimals():
    stored = to_text(PAYLOAD)
    assert stored["Line"][0]["Amount"] == "12.50"
    assert stored["Line"][0]["SalesItemLineDetail"]["Qty"] == "1"
    back = from_text(stored)
    assert back == PAYLOAD
    assert str(back["Line"][0]["Amount"]) == "12.50"  # the scale survives too


def test_the_hash_of_a_payload_read_back_is_the_hash_planned():
    planned = Operation("create", "Invoice", "invoice:order:A1", PAYLOAD, "Invoice A1")
    again = Operation("create", "Invoice", "invoice:order:A1", from_text(to_text(PAYLOAD)),
                      "Invoice A1")
    assert again.hash == planned.hash == content_hash("Invoice", "create", to_text(PAYLOAD))


def test_only_amount_fields_are_turned_back_into_decimals():
    back = from_text({"DocNumber": "12.50", "Amount": "3", "Active": True, "Job": False})
    assert back == {"DocNumber": "12.50", "Amount": Decimal("3"), "Active": True, "Job": False}


def test_floats_and_dates():
    with pytest.raises(TypeError, match="float"):
        to_text({"Amount": 12.5})
    assert to_text({"TxnDate": date(2025, 1, 3)}) == {"TxnDate": "2025-01-03"}
