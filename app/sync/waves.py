"""The order of sending: waves of operations that may go out together.

The planners emit a plan in SPEC §3a's order (accounts and classes, items, customers,
sub-customers, invoices, payments, receipts and credit memos, journal entries) and
within it by date. A wave is a run of consecutive operations of one stage of that order
and one action (refund receipts and credit memos of one day interleave: they still go
together) none of which depends on another in the wave or touches the same record: its
operations can be sent in parallel batches, and every wave starts only when the one
before it has finished, so the plan's order is kept wherever it matters (a payment
voided before another is applied, an invoice before its payment).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.plan.operations import Operation

BATCHABLE = frozenset({"create", "update", "deactivate", "reactivate"})
BATCH_SIZE = 30
STAGES = {"Account": 0, "Class": 0, "Item": 1, "Customer": 2, "Invoice": 3, "Payment": 4,
          "RefundReceipt": 5, "CreditMemo": 5, "SalesReceipt": 5, "JournalEntry": 6}


def _kind(operation: Operation) -> tuple[int, str]:
    return STAGES.get(operation.entity, len(STAGES)), operation.action


def waves(operations: Sequence[Operation]) -> list[list[Operation]]:
    result: list[list[Operation]] = []
    current: list[Operation] = []
    keys: set[str] = set()
    for operation in operations:
        same_kind = bool(current) and _kind(current[0]) == _kind(operation)
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
    """A wave cut into batch requests of up to ``size`` (a batch may mix entities); an
    operation that cannot go in a batch (a void, a delete) is a request of its own."""
    batchable = [op for op in wave if op.action in BATCHABLE]
    for start in range(0, len(batchable), size):
        yield batchable[start:start + size]
    for operation in wave:
        if operation.action not in BATCHABLE:
            yield [operation]
