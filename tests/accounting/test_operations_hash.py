"""The fast content hash gives exactly the text of the canonical form it replaced."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from app.plan.operations import _canonical, content_hash

leaves = (st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.dates()
          | st.text(max_size=5) | st.integers() | st.booleans() | st.none())
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                      | st.lists(inner, max_size=3).map(tuple)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=3)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=3)
                      .map(MappingProxyType), max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=6), values, max_size=4))
def test_fast_hash_equals_the_canonical_form(payload):
    reference = json.dumps(["Invoice", "create", _canonical(payload)], separators=(",", ":"))
    assert content_hash("Invoice", "create", payload) == \
        hashlib.sha256(reference.encode("utf-8")).hexdigest()


def test_amounts_and_dates_hash_as_text():
    payload = {"Amount": Decimal("12.50"), "TxnDate": date(2026, 3, 4)}
    assert content_hash("X", "create", payload) == content_hash(
        "X", "create", {"TxnDate": "2026-03-04", "Amount": "12.50"})
