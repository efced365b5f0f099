"""Request bodies as JSON with exact amounts: a ``Decimal`` goes out as a JSON number.

The standard ``json`` module can only write a ``Decimal`` by way of ``float`` (or as a
string). Plans carry money as ``Decimal`` (app/plan/operations.py) and money is
never a float, so bodies are written here: numbers exactly as the planner computed them,
everything else as ``json`` writes it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any


def dumps(value: Any) -> bytes:
    """UTF-8 JSON of ``value``; raises TypeError for a float or a non-finite Decimal."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("utf-8")


def _write(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, bool | int | str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"cannot send the amount {value}")
        out.append(format(value, "f"))
    elif isinstance(value, Mapping):
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            out.append("," if n else "")
            out.append(json.dumps(str(key), ensure_ascii=False) + ":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for n, item in enumerate(value):
            out.append("," if n else "")
            _write(item, out)
        out.append("]")
    elif isinstance(value, date):
        out.append(f'"{value.isoformat()}"')
    else:  # float included: money is never a float
        raise TypeError(f"cannot send a {type(value).__name__} to QuickBooks")
