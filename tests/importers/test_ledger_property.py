"""Property: a random book written as a ledger — in each shape, with title lines, split
rows, signed or typed refunds, ``$`` and ``(…)`` amounts and a totals row — imports to
exactly the records the same book imports to from canonical files (issue 14)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.importers.pipeline import import_paths
from tests.importers.ledger_writer import (
    SHAPES,
    ledger_preset,
    random_book,
    write_canonical,
    write_ledger,
)

COMPARED = ("customer", "program", "location", "tax_rate", "payment", "payment_allocation",
            "refund")


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), families=st.integers(1, 6), payments=st.integers(1, 25),
       refund_share=st.sampled_from((0.0, 0.3, 0.8)), shape=st.sampled_from(SHAPES))
def test_a_ledger_imports_to_the_same_records_as_canonical_files(
        seed: int, families: int, payments: int, refund_share: float, shape: str) -> None:
    rng = random.Random(seed)
    book = random_book(rng, families, payments, refund_share)
    with tempfile.TemporaryDirectory() as temp:
        canonical_folder, ledger = Path(temp) / "canonical", Path(temp) / "ledger.csv"
        write_canonical(canonical_folder, book, shape)
        total = write_ledger(ledger, book, shape, rng)
        canonical = import_paths([canonical_folder])
        shaped = import_paths([ledger], ledger_preset(shape))
    assert canonical.ok, [i.as_text() for i in canonical.errors]
    assert shaped.ok, [i.as_text() for i in shaped.errors]
    for record_type in COMPARED:
        assert set(shaped.records.get(record_type, [])) == set(
            canonical.records.get(record_type, [])), record_type
    # the totals row was read for what it is, and held against the rows above it
    last = shaped.files[0]["skipped"][-1]
    assert last["reason"] == "totals row" and f"{abs(total):,.2f}".replace(",", "") in \
        last["text"].replace(",", "")
    assert not [i for i in shaped.issues if "totals row" in i.reason]
