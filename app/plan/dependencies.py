"""What a blocked or failed operation holds back: everything that depends on it.

One rule for the planners (an unmapped target blocks the records that need it) and the
poster (a failed invoice blocks its payment): dependants are found transitively through
``depends_on``, and nothing else is held back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.plan.operations import Operation


def blocked_keys(operations: Sequence[Operation], blocked: Iterable[str]) -> set[str]:
    """``blocked`` plus the key of every operation that depends on one, transitively."""
    dependants: dict[str, list[str]] = {}
    for operation in operations:
        for key in operation.depends_on:
            dependants.setdefault(key, []).append(operation.key)
    closed = set(blocked)
    waiting = list(closed)
    while waiting:
        for dependant in dependants.get(waiting.pop(), ()):
            if dependant not in closed:
                closed.add(dependant)
                waiting.append(dependant)
    return closed


def without_blocked(operations: Sequence[Operation], blocked: Iterable[str]) -> list[Operation]:
    """The operations left once ``blocked`` and their dependants are taken out."""
    dropped = blocked_keys(operations, blocked)
    return [operation for operation in operations if operation.key not in dropped]
