"""Payloads at rest: amounts as exact text in JSON, ``Decimal`` again when read back.

JSON has no exact decimal type and a JSON number read by most libraries becomes a
float, so the ledger and the job table keep every amount as its decimal text. The
fields QBO carries money (and quantities) in are the ones turned back into ``Decimal``
(through ``money()``), so a payload read back hashes and sends exactly as planned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.money import money

# Payload fields that hold amounts (QBO names); everything else is kept as stored.
AMOUNT_FIELDS = frozenset({"Amount", "TotalAmt", "UnitPrice", "Qty"})


def to_text(value: Any) -> Any:
    """A JSON-ready copy: ``Decimal`` as plain decimal text, dates as ISO strings."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        return {str(k): to_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_text(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError(f"a payload must not hold a float: {value!r}")
    return value


def from_text(value: Any, name: str = "") -> Any:
    """The payload with every amount field back as an exact ``Decimal``."""
    if isinstance(value, Mapping):
        return {k: from_text(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [from_text(v, name) for v in value]
    if name in AMOUNT_FIELDS and value is not None:
        return money(value)  # exact text or a whole number; a float is refused, not rounded
    return value
