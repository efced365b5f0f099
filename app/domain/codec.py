"""Canonical records to and from JSON-safe dicts (for the local store and exports).

Amounts become their exact decimal text and dates ISO text, so nothing passes through a
float and a record read back equals the record written.
"""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from app.domain.money import money
from app.domain.records import RECORD_TYPES


@cache
def _field_kinds(record_type: str) -> dict[str, type]:
    """Field name -> Decimal, date or str, from the dataclass annotations."""
    cls = RECORD_TYPES[record_type]
    hints = typing.get_type_hints(cls)
    kinds: dict[str, type] = {}
    for f in dataclasses.fields(cls):
        args = typing.get_args(hints[f.name]) or (hints[f.name],)
        kinds[f.name] = next((t for t in (Decimal, date) if t in args), str)
    return kinds


def record_to_json(record: Any) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name, kind in _field_kinds(record.record_type).items():
        value = getattr(record, name)
        if value is None:
            out[name] = None
        elif kind is Decimal:
            out[name] = format(value, "f")
        elif kind is date:
            out[name] = value.isoformat()
        else:
            out[name] = str(value)
    return out


def record_from_json(record_type: str, data: dict[str, Any]) -> Any:
    kinds = _field_kinds(record_type)
    values: dict[str, Any] = {}
    for name, kind in kinds.items():
        raw = data.get(name)
        if raw is None:
            continue  # the dataclass default applies
        if kind is Decimal:
            values[name] = money(raw)
        elif kind is date:
            values[name] = date.fromisoformat(raw)
        else:
            values[name] = raw
    return RECORD_TYPES[record_type](**values)
