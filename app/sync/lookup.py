"""Finding a record we may already have written, when QBO could not tell us.

A dropped response leaves a write's outcome unknown, and QBO's requestid replay is
reported unreliable (SPEC §5). The poster stamps a key in every record it creates
(DocNumber, DisplayName, PrivateNote); ``Lookup`` finds it again so the client adopts
the record instead of creating a second one. ``carries_changes`` does the same for a
sparse update: does the record already hold what we sent?
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.sync.query import quote


@dataclass(frozen=True)
class Lookup:
    """How to find a record we may already have created: ``field`` equals ``value``.

    ``where`` narrows the search when ``field`` is not filterable in QBO (PrivateNote):
    then the query uses ``where`` and the match on ``field`` is made here.
    """

    field: str
    value: str
    where: str | None = None

    def statement(self, entity: str) -> str:
        if self.where:
            return f"SELECT * FROM {entity} WHERE {self.where}"
        return f"SELECT * FROM {entity} WHERE {self.field} = {quote(self.value)}"

    def matches(self, record: dict[str, Any]) -> bool:
        found = record.get(self.field)
        return isinstance(found, str) and (found == self.value or self.value in found.split())


def carries_changes(
    current: dict[str, Any], sent: dict[str, Any], *, skip: tuple[str, ...]
) -> bool:
    for key, value in sent.items():
        if key in skip:
            continue
        if isinstance(value, dict) and isinstance(current.get(key), dict):
            if not carries_changes(current[key], value, skip=()):
                return False
        elif current.get(key) != value:
            return False
    return True
