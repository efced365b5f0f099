"""The order of sending: waves of operations that may go out together.

The planners emit a plan in SPEC §3a's order (accounts and classes, items, customers,
sub-customers, invoices, payments, receipts and credit memos, journal entries) and
within it by date. A wave is a run of consecutive operations of one kind (same action
on the same entity) none of which depends on another in the wave or touches the same
record: its operations can be sent in parallel batches, and every wave starts only
when the one before it has finished, so the plan's order is kept wherever it matters.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.plan.operations import Operation

BATCHABLE = frozenset({"create", "update", "deactivate", "reactivate"})
BATCH_SIZE = 30


def waves(operations: Sequence[Operation]) -> list[list[Operation]]:
    result: list[list[Operation]] = []
    current: list[Operation] = []
    keys: set[str] = set()
    for operation in operations:
        same_kind = bool(current) and (current[0].action, current[0].entity) == (
            operation.action, operation.entity)
        conflicts = operation.key in keys or any(d in keys for d in operation.depends_on)
        if current and (not same_kind or conflicts):
            result.append(current)
            current, keys = [], set()
        current.append(operation)
        keys.add(operation.key)
    if current:
        result.append(current)
    return result


def chunks(wave: Sequence[Operation], size: int = BATCH_SIZE) -> Iterator[list[Operation]]:
    """A wave cut into batch requests (one operation a request when it cannot batch)."""
    if wave and wave[0].action not in BATCHABLE:
        size = 1
    for start in range(0, len(wave), size):
        yield list(wave[start:start + size])
