"""Request bodies carry Decimal amounts exactly, and never a float."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from app.sync.json_body import dumps


def test_decimals_are_exact_json_numbers_and_the_rest_is_plain_json():
    body = {"TotalAmt": Decimal("1234567890123.10"), "Qty": Decimal("0.33333"),
            "Line": [{"Amount": Decimal("-0.01")}, {"Amount": Decimal("1E+2")}],
            "Name": 'Zoë "O\'Brien"\n', "sparse": True, "Ref": None, "Count": 3,
            "TxnDate": date(2025, 1, 31)}
    text = dumps(body).decode("utf-8")
    assert '"TotalAmt":1234567890123.10' in text and '"Amount":100' in text
    parsed = json.loads(text, parse_float=Decimal)
    assert parsed["TotalAmt"] == Decimal("1234567890123.10")
    assert parsed["Line"][0]["Amount"] == Decimal("-0.01")
    assert parsed["Name"] == 'Zoë "O\'Brien"\n' and parsed["TxnDate"] == "2025-01-31"
    assert (parsed["sparse"], parsed["Ref"], parsed["Count"]) == (True, None, 3)


@pytest.mark.parametrize("bad", [1.5, Decimal("NaN"), Decimal("Infinity"), object()])
def test_floats_and_non_finite_amounts_are_refused(bad):
    with pytest.raises(TypeError):
        dumps({"Amount": bad})
