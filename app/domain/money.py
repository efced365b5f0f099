"""The one way money enters the program: exact ``Decimal``, never ``float``.

Floats cannot represent most cent amounts exactly, so every constructor here refuses
them outright instead of converting and hiding a rounding error.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class MoneyError(ValueError):
    """A value that cannot be an exact amount of money."""


def money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as an exact Decimal; refuse floats, NaN and infinities."""
    if isinstance(value, (bool, float)):
        raise MoneyError(f"money must not be a {type(value).__name__}: {value!r}")
    try:
        result = value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise MoneyError(f"not an amount: {value!r}") from exc
    if not result.is_finite():
        raise MoneyError(f"not a finite amount: {value!r}")
    return result


def cents(value: Decimal | int | str) -> Decimal:
    """Round to the cent, half away from zero (how a bookkeeper rounds)."""
    return money(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(value: Decimal) -> str:
    """Format an amount for storage and the QBO wire: plain digits, two decimals."""
    return format(cents(value), "f")
