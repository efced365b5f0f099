"""The file's own totals rows, checked against the rows above them.

A report's ``Total:`` row is skipped, never imported; but its figure is a free check that
every row was exported and read. A subtotal covers the rows since the previous totals
row, a grand total all the rows; and a report may count every row or only the money that
counts (not the failed, deleted or skipped rows): any of these matching is enough. A
difference is a warning (the rows are what is imported; the total may count things the
export leaves out).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from app.importers.issues import WARNING, ImportIssue
from app.importers.layout import Layout
from app.importers.values import parse_money

ZERO = Decimal(0)


def check_totals(layout: Layout, amount_index: int | None,
                 amounts: Sequence[Decimal | None], uncounted: set[int],
                 file: str) -> list[ImportIssue]:
    """``amounts``: each data row's amount as written (signed; None counts as 0);
    ``uncounted``: rows that are not money received or paid back (failed, voided, skipped)."""
    if amount_index is None or not layout.totals:
        return []
    counted = [None if i in uncounted else a for i, a in enumerate(amounts)] if uncounted \
        else amounts
    issues = []
    previous = 0
    for total in layout.totals:
        cell = total.cells[amount_index] if amount_index < len(total.cells) else ""
        stated = parse_money(cell) if cell else None
        if stated is None:
            continue
        end = total.data_before
        since = _sum(amounts[previous:end])
        if stated != since:  # then the others: a grand total, or only the money that counts
            overall = _sum(amounts[:end]) if previous else since
            sums = (overall, *(() if counted is amounts else (
                _sum(counted[previous:end]), _sum(counted[:end]))))
        else:
            overall, sums = since, (since,)
        if stated not in sums:
            issues.append(ImportIssue(
                file, total.row, layout.table.header[amount_index], cell,
                f"the file's totals row says {stated}, but the {end - previous} rows since the "
                f"last total add up to {since} (all {end} rows above: {overall}); check that "
                "the export is complete", WARNING))
        previous = end
    return issues


def _sum(amounts: Sequence[Decimal | None]) -> Decimal:
    return sum(filter(None, amounts), ZERO)
