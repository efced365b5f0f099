"""Records to their canonical JSON text, a whole column at a time.

The store keeps one text per record: its SHA-256 is the content hash that tells an
unchanged record from a changed one on re-import, and the same text is the stored JSON.
The text is exactly ``json.dumps(record_to_json(r), sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` (so hashes stored by earlier versions still match), but built
column-wise: each distinct text or date of a column is encoded once, and the records are
assembled by one ``%`` template per record type instead of a dict and a JSON encoder
per record (the store spent most of its time there).
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from json.encoder import encode_basestring  # what json.dumps uses with ensure_ascii=False
from operator import attrgetter
from typing import Any

from app.domain.records import RECORD_TYPES


def _decimal_text(value: Decimal) -> str:
    return f'"{value:f}"'


def _date_text(value: date) -> str:
    return f'"{value.isoformat()}"'


def _str_text(value: Any) -> str:
    return encode_basestring(str(value))


@cache
def _fields(record_type: str) -> tuple[tuple[str, Callable[[Any], str]], ...]:
    """The record type's fields, sorted by name (``sort_keys``), with their encoders."""
    cls = RECORD_TYPES[record_type]
    hints = typing.get_type_hints(cls)
    fields = []
    for f in sorted(dataclasses.fields(cls), key=attrgetter("name")):
        args = typing.get_args(hints[f.name]) or (hints[f.name],)
        encoder = (_decimal_text if Decimal in args else _date_text if date in args
                   else _str_text)
        fields.append((f.name, encoder))
    return tuple(fields)


def canonical_texts(record_type: str, records: Sequence[Any]) -> list[str]:
    """The canonical JSON text of each record, in order.

    Each column's cells are encoded as ``"name":value`` (the first with the opening
    brace, the last with the closing one), so a record is one ``",".join`` of its cells.
    """
    fields = _fields(record_type)
    columns = []
    for position, (name, encoder) in enumerate(fields):
        prefix = ("{" if position == 0 else "") + encode_basestring(name) + ":"
        suffix = "}" if position == len(fields) - 1 else ""
        values = list(map(attrgetter(name), records))
        columns.append(_encode_column(values, encoder, prefix, suffix))
    return list(map(",".join, zip(*columns, strict=True)))


def _encode_column(values: list[Any], encoder: Callable[[Any], str], prefix: str,
                   suffix: str) -> list[str]:
    """Each cell as ``"name":value``; a distinct text is encoded once (amounts, dates,
    tenders and program IDs repeat a lot)."""
    template = f"{prefix}%s{suffix}"  # field names are identifiers: no "%" to escape
    if encoder is _decimal_text:
        # By text, not by value: Decimal("1.0") == Decimal("1.00") but their texts differ.
        if type(None) in set(map(type, values)):
            return [template % ("null" if v is None else _decimal_text(v)) for v in values]
        texts = list(map(str, values))
        distinct = set(texts)
        if any("E" in t for t in distinct):  # str() chose an exponent: format each as "f"
            return [template % _decimal_text(v) for v in values]
        quoted = {t: f'{prefix}"{t}"{suffix}' for t in distinct}
        return list(map(quoted.__getitem__, texts))
    distinct = set(values)
    if len(distinct) == len(values) and encoder is _str_text and None not in distinct:
        return list(map(template.__mod__, map(encode_basestring, values)))  # IDs: all unique
    encoded = {v: template % ("null" if v is None else encoder(v)) for v in distinct}
    return list(map(encoded.__getitem__, values))


def text_hashes(texts: Sequence[str]) -> list[str]:
    """SHA-256 hex digest of each text's UTF-8 bytes (the stored ``content_hash``)."""
    sha256 = hashlib.sha256
    return [sha256(text.encode()).hexdigest() for text in texts]
