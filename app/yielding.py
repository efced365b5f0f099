"""Long loops in slices, so a worker thread lets the GUI thread run between them.

A loop that runs inside one C call — ``list(csv.reader(...))``, ``zip(*rows)`` over a
hundred thousand rows, freeing a dataset of four hundred thousand records — holds
Python's GIL from its first item to its last: the window's event loop, which needs the
GIL for every Python slot it calls, waits that long (measured: 130–220 ms for the
100,000-payment demo set, bench/gui_responsiveness.py). Done in slices of a few
milliseconds, the interpreter hands the GIL over between them (SPEC §10: no stall over
50 ms). The work and its result are the same; the cost is a Python loop per slice.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any, TypeVar

Item = TypeVar("Item")
SLICE = 10_000  # items per slice: a few milliseconds of C-level work
_heap_settled = False


def settle_heap() -> None:
    """Freeze what the process holds now, for good (the desktop app, after start-up).

    ``importers.pipeline.collector_paused`` then keeps what big work builds frozen too.
    Full collections are made ten times rarer: CPython runs one once the objects that
    survived since the last exceed a quarter of those counted as long-lived, and frozen
    objects no longer count, so after a freeze a post of thousands of records set off a
    full scan (measured at up to ~100 ms, holding the GIL) every few seconds. Young
    collections, which free nearly all cyclic garbage, run as before.
    (A flag, not ``gc.get_freeze_count()``: that walks every frozen object, holding the
    GIL.)"""
    global _heap_settled
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, old * 10)
    _heap_settled = True


def heap_settled() -> bool:
    return _heap_settled


def sliced_list(items: Iterable[Item]) -> list[Item]:
    """``list(items)``, built a slice at a time."""
    found: list[Item] = []
    source = iter(items)
    while chunk := list(islice(source, SLICE)):
        found.extend(chunk)
    return found


def transposed(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """The columns of ``rows`` (each of ``width`` cells), a slice of rows at a time."""
    columns: list[list[Any]] = [[] for _ in range(width)]
    for start in range(0, len(rows), SLICE):
        for column, cells in zip(columns, zip(*rows[start:start + SLICE], strict=True),
                                 strict=True):
            column.extend(cells)
    return columns


def release(items: list[Any]) -> None:
    """Empty ``items`` from the end, a slice at a time: what only it held is freed in
    slices rather than all at once (the list must be the last reference to them)."""
    while items:
        del items[-SLICE // 4:]


def release_records(holders: list[Any]) -> None:
    """Free datasets' records and ledgers' rows in slices.

    ``holders`` holds each ``Dataset`` (its records) or dict (its values) and must be the
    last reference to them: each is taken out and dropped first (its tuples and indexes
    go at once, cheaply, while the list below still holds the records), then the records
    are released a slice at a time."""
    items: list[Any] = []
    while holders:
        holder = holders.pop()
        if isinstance(holder, dict):
            items.extend(holder.values())
            holder.clear()
        else:
            items.extend(holder.all_records())
        del holder
    release(items)
