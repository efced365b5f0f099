"""Records dated on or before QuickBooks' closing date: hold them, or re-date them.

QuickBooks refuses (or asks a password for) changes dated in a closed period. The
bookkeeper chooses per post (SPEC §5): ``hold`` (the default) keeps them back, listed,
and posts them once the date moves; ``redate`` posts a new record on the first open day
with a memo naming its own date; ``export`` holds them and writes their journal lines
to a CSV file for the accountant to enter in the closed period. A change to a record
already in the closed period (an update, a void) cannot be re-dated without moving the
original: it is always held.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.domain.money import money_str
from app.plan.operations import Operation

POLICIES = ("hold", "redate", "export")


@dataclass(frozen=True)
class ClosedPeriodDecision:
    held: dict[str, str] = field(default_factory=dict)  # ledger key -> why
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)  # re-dated fields


def closing_date(preferences: Mapping[str, Any]) -> date | None:
    """The books' closing date from the company's Preferences, if one is set."""
    text = (preferences.get("AccountingInfoPrefs") or {}).get("BookCloseDate")
    return date.fromisoformat(str(text)[:10]) if text else None


def apply_policy(operations: Sequence[Operation], closed_through: date | None,
                 policy: str = "hold") -> ClosedPeriodDecision:
    if policy not in POLICIES:
        raise ValueError(f"unknown closed-period choice {policy!r}: {', '.join(POLICIES)}")
    decision = ClosedPeriodDecision()
    if closed_through is None:
        return decision
    first_open = closed_through + timedelta(days=1)
    for operation in operations:
        day = operation.txn_date
        if day is None or day > closed_through:
            continue
        if policy == "redate" and operation.action == "create" \
                and "TxnDate" in operation.payload:
            decision.overrides[operation.key] = _redated(operation, day, first_open)
            continue
        if operation.action != "create":
            why = "a change to a record already posted there: it is sent once the " \
                  "accountant moves the closing date (it cannot be re-dated)"
        elif policy == "export":
            why = "exported for the accountant to enter in the closed period"
        else:
            why = "held until the accountant moves the closing date, or post with " \
                  "--closed-period redate"
        decision.held[operation.key] = (
            f"dated {day.isoformat()}, on or before the closing date "
            f"{closed_through.isoformat()} in QuickBooks; {why}")
    return decision


def _redated(operation: Operation, day: date, first_open: date) -> dict[str, Any]:
    memo = f"re-dated from {day.isoformat()} (books closed through " \
           f"{(first_open - timedelta(days=1)).isoformat()})"
    note = str(operation.payload.get("PrivateNote") or "")
    return {"TxnDate": first_open.isoformat(),
            "PrivateNote": f"{note} | {memo}" if note else memo}


EXPORT_COLUMNS = ("date", "record", "key", "account", "class", "debit", "credit", "memo")


def write_held_lines(path: Path, operations: Sequence[Operation],
                     decision: ClosedPeriodDecision) -> int:
    """The held records' journal lines as CSV (formula-safe); returns the lines written."""
    from app.accounting.preview import postings_of, safe_cell

    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for operation in operations:
            if operation.key not in decision.held:
                continue
            day = operation.txn_date.isoformat() if operation.txn_date else ""
            for posting in postings_of(operation):
                writer.writerow([safe_cell(cell) for cell in (
                    day, operation.summary, operation.key, posting.account,
                    posting.class_name or "", money_str(posting.debit),
                    money_str(posting.credit), _stamp(operation))])
                written += 1
    return written


def _stamp(operation: Operation) -> str:
    """The memo to enter with the lines: the record's own stamp, so a later resync finds
    an entry the accountant typed with it, and nothing is posted twice."""
    note = operation.payload.get("PrivateNote")
    return str(note) if note else f"Ledgerbridge {operation.key}"
