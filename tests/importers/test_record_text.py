"""The store's column-wise canonical text is exactly the JSON the content hash was defined by.

Hashes stored by earlier versions must still match, so the fast encoder is checked
against ``json.dumps(record_to_json(...), sort_keys=True, ...)`` on awkward values.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.codec import record_to_json
from app.domain.records import Charge, Program, TaxRate
from app.importers.record_text import canonical_texts, text_hashes
from app.importers.store import content_hash


def _reference(record: object) -> str:
    return json.dumps(record_to_json(record), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None,
                       min_value=Decimal("-1e9"), max_value=Decimal("1e9"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXT, st.none() | TEXT, st.none() | DECIMALS,
                          st.none() | st.dates()), min_size=1, max_size=8))
def test_texts_equal_the_reference_json(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    records = [Program(f"P{n}-{pid}", "n", category=category, price=price, start_date=day)
               for n, (pid, category, price, day) in enumerate(rows)]
    assert canonical_texts("program", records) == [_reference(r) for r in records]


def test_equal_decimals_with_other_texts_stay_distinct() -> None:
    """Decimal('1.0') == Decimal('1.00'): encoding by distinct value would merge them."""
    rates = [TaxRate("A", "a", Decimal("1.0")), TaxRate("B", "b", Decimal("1.00")),
             TaxRate("C", "c", Decimal("1E+2")), TaxRate("D", "d", Decimal("-0")),
             TaxRate("E", 'quote " back \\ tab \t é ☃', None)]
    texts = canonical_texts("tax_rate", rates)
    assert texts == [_reference(r) for r in rates]
    assert '"rate":"100"' in texts[2]


def test_hash_is_the_content_hash_of_the_json() -> None:
    charge = Charge("X1", "O1", "P1", "PR1", date(2026, 3, 1), Decimal("12.50"),
                    description="Ünïcode: \"quoted\"")
    [text] = canonical_texts("charge", [charge])
    assert text_hashes([text]) == [content_hash(record_to_json(charge))]
    assert json.loads(text) == record_to_json(charge)
