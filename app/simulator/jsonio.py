"""JSON in and out with exact decimals: amounts never pass through float.

The standard ``json`` module cannot emit a Decimal as a bare number, so Decimals are
written as tagged strings and the tags are removed afterwards. QBO sends amounts as JSON
numbers, and so must we; a client that parses them as float is the client's concern.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

_TAG = "\u0000dec:"
_TAGGED = re.compile(r'"\\u0000dec:(-?[0-9.Ee+-]+)"')


class JsonInputError(ValueError):
    """The request body is not JSON."""


def loads(text: str | bytes) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise JsonInputError(str(exc)) from exc


def _default(value: Any) -> str:
    if isinstance(value, Decimal):
        return _TAG + _decimal_text(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text


def dumps(value: Any) -> str:
    text = json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))
    return _TAGGED.sub(lambda m: m.group(1), text)
