from datetime import date
from decimal import Decimal

import pytest

from app.importers.values import DateReader, money_column, parse_money, parse_number


@pytest.mark.parametrize(("text", "expected"), [
    ("1,234.50", "1234.50"), ("$1234.5", "1234.5"), ("(12.00)", "-12.00"), ("-12.00", "-12.00"),
    ("12", "12"), ("0.5", "0.5"), (".5", "0.5"), ("$1,000,000.00", "1000000.00"),
    ("($12.00)", "-12.00"), ("-$12.00", "-12.00"), ("$-12.00", "-12.00"), (" 12.00 ", "12.00"),
])
def test_accepted_money_forms(text: str, expected: str) -> None:
    value = parse_money(text)
    assert value == Decimal(expected) and isinstance(value, Decimal)


@pytest.mark.parametrize("text", [
    "1e3", "NaN", "Infinity", "12,50", "1,23.00", "12.345", "--12", "(-12)", "12-",
    "$", "abc", "1_000", "١٢", "12.00 USD", "€12", "1.2.3", "(12",
])
def test_other_money_forms_are_refused(text: str) -> None:
    assert parse_money(text) is None


def test_money_column_reports_each_bad_cell_and_keeps_blanks() -> None:
    values, errors = money_column(["12.50", "", "1e3", "(3.00)", "1.2.3"])
    assert values == [Decimal("12.50"), None, None, Decimal("-3.00"), None]
    assert [i for i, _ in errors] == [2, 4]


def test_plain_column_fast_path_still_refuses_malformed_numbers() -> None:
    values, errors = money_column(["1.2.3", "12"])
    assert values == [None, Decimal(12)] and [i for i, _ in errors] == [0]
    assert money_column(["12.345"])[1]


def test_numbers_and_percents() -> None:
    assert parse_number("8.875") == Decimal("8.875")
    assert parse_number("8.25%", percent=True) == Decimal("8.25")
    assert parse_number("8.25%") is None
    assert parse_number("two") is None


def test_iso_dates_always_work() -> None:
    values, errors = DateReader("%d/%m/%Y").column(["2025-01-31", "31/01/2025"])
    assert values == [date(2025, 1, 31)] * 2 and not errors


def test_ambiguous_day_month_is_an_error_unless_the_format_was_chosen() -> None:
    values, errors = DateReader().column(["03/04/2025"])
    assert values == [None] and "ambiguous" in errors[0][1]
    assert DateReader("%m/%d/%Y").column(["03/04/2025"])[0] == [date(2025, 3, 4)]
    assert DateReader("%d/%m/%Y").column(["03/04/2025"])[0] == [date(2025, 4, 3)]


def test_unambiguous_dates_without_a_format_but_not_mixed_orders() -> None:
    values, errors = DateReader().column(["13/04/2025", "04/04/2025", "04/13/2025"])
    assert values[:2] == [date(2025, 4, 13), date(2025, 4, 4)]
    assert values[2] is None and "contradicts" in errors[0][1]


@pytest.mark.parametrize("text", ["2025-02-30", "31/31/2025", "yesterday", "2025/13/01"])
def test_invalid_dates(text: str) -> None:
    assert DateReader().column([text])[1]


def test_declared_format_refuses_other_shapes_and_impossible_dates() -> None:
    reader = DateReader("%m/%d/%Y")
    assert reader.column(["02/30/2025"])[1] and reader.column(["2025.01.01"])[1]
    assert DateReader("%b %d, %Y").column(["Jan 05, 2025"])[0] == [date(2025, 1, 5)]


def test_timestamps_from_apis_keep_their_date() -> None:
    assert DateReader().cell("2025-01-05T23:10:00Z") == (date(2025, 1, 5), "")
