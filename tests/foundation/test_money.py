from decimal import Decimal

import pytest

from app.domain.money import MoneyError, cents, money, money_str


@pytest.mark.parametrize("value", [1.5, 0.1, True, float("nan")])
def test_money_refuses_floats_and_bools(value):
    with pytest.raises(MoneyError):
        money(value)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "abc", ""])
def test_money_refuses_non_amounts(value):
    with pytest.raises(MoneyError):
        money(value)


def test_money_is_exact():
    assert money("0.1") + money("0.2") == Decimal("0.3")
    assert money(12) == Decimal(12)


def test_cents_round_half_away_from_zero():
    assert cents("2.345") == Decimal("2.35")
    assert cents("-2.345") == Decimal("-2.35")
    assert money_str(Decimal("7")) == "7.00"
