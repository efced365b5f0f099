"""Query statements: quoting that a hostile or Irish name cannot break, and paging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync.query import has_paging, literal, page_statement, quote, select_where


def test_apostrophe_is_backslash_escaped() -> None:
    assert quote("O'Brien") == "'O\\'Brien'"
    assert select_where("Customer", DisplayName="O'Brien") == (
        "SELECT * FROM Customer WHERE DisplayName = 'O\\'Brien'"
    )


def _unquote(literal_text: str) -> str:
    """The reading a QBO-like parser makes of a single-quoted literal."""
    assert literal_text[0] == literal_text[-1] == "'"
    out, escaped = [], False
    for char in literal_text[1:-1]:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            assert char != "'", "an unescaped quote would end the literal early"
            out.append(char)
    return "".join(out)


@settings(max_examples=200)
@given(st.text())
def test_quote_round_trips(value: str) -> None:
    assert _unquote(quote(value)) == value


def test_literals() -> None:
    assert literal(True) == "true"
    assert literal(date(2025, 1, 31)) == "'2025-01-31'"
    assert literal(Decimal("12.50")) == "12.50"
    with pytest.raises(TypeError):
        literal(1.5)


def test_names_are_checked() -> None:
    with pytest.raises(ValueError):
        select_where("Customer; DROP", Id="1")
    with pytest.raises(ValueError):
        select_where("Customer", **{"Display Name": "x"})


def test_paging_detection_ignores_literals() -> None:
    assert has_paging("SELECT * FROM Customer MAXRESULTS 10")
    assert not has_paging("SELECT * FROM Customer WHERE DisplayName = 'MAXRESULTS Ltd'")
    assert page_statement("SELECT * FROM Item", 1001) == (
        "SELECT * FROM Item STARTPOSITION 1001 MAXRESULTS 1000"
    )
