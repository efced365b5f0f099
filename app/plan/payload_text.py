"""Payloads at rest: amounts as exact text in JSON, ``Decimal`` again when read back.

JSON has no exact decimal type and a JSON number read by most libraries becomes a
float, so the ledger and the job table keep every amount as its decimal text. The
fields QBO carries money (and quantities) in are the ones turned back into ``Decimal``
(through ``money()``), so a payload read back hashes and sends exactly as planned.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
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


def _amounts_hook(obj: dict[str, Any]) -> dict[str, Any]:
    for name in AMOUNT_FIELDS.intersection(obj):
        if obj[name] is not None:
            obj[name] = money(obj[name])
    return obj


def parse_payload(text: str) -> dict[str, Any]:
    """A stored payload's JSON text, amounts as ``Decimal`` (``from_text`` while parsing)."""
    parsed = json.loads(text, object_hook=_amounts_hook)
    return parsed if isinstance(parsed, dict) else {}


class LazyPayload(Mapping[str, Any]):
    """A stored payload parsed on first use: a plan reads back only the records it needs,
    so loading a long history costs what the period needs, not what was ever posted."""

    __slots__ = ("_parsed", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._parsed: dict[str, Any] | None = None

    def _value(self) -> dict[str, Any]:
        if self._parsed is None:
            self._parsed = parse_payload(self._text)
        return self._parsed

    def __getitem__(self, key: str) -> Any:
        return self._value()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())

    def __repr__(self) -> str:
        return f"LazyPayload({self._text[:60]!r})"
