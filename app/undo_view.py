"""What the Runs screen says about undoing a run, without Qt.

Whether a run may be undone at all (and, when not, why), the undo's preview in the
bookkeeper's words — what will be deleted, restored, reversed or made inactive, and
what cannot be undone — and the refusal of an undo that later runs build on. The
preview is ``undo_run``'s own (the one ``ledgerbridge undo`` prints before it asks);
this only groups and words it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.accounting.preview import Preview
from app.domain.money import ZERO
from app.plan.operations import Operation
from app.sync.runs import RunRow, undone_runs
from app.undo import UNDOABLE_KINDS, LaterRunsBuildOnIt

# What each undo operation does to QuickBooks, as the preview table's first column says it.
EFFECTS = {"delete": "Deleted", "update": "Restored as before the run",
           "create": "Reversed (entry on the first open day)", "deactivate": "Made inactive",
           "void": "Voided"}
HEADLINE_WORDS = (("delete", "deleted"), ("update", "restored"),
                  ("create", "reversed by a reversing entry"), ("void", "voided"),
                  ("deactivate", "made inactive"))
PUT_IN_QUICKBOOKS = ("posted", "adopted")


@dataclass(frozen=True)
class UndoLine:
    effect: str
    entity: str
    summary: str
    txn_date: date | None
    amount: Decimal | None


@dataclass(frozen=True)
class UndoPreviewView:
    run_id: int
    lines: tuple[UndoLine, ...]
    notes: tuple[str, ...]  # what is not undone, and why
    keys: tuple[str, ...]  # the operations' keys: the undo sent must be the one shown
    debits: Decimal
    credits: Decimal

    @property
    def nothing_to_undo(self) -> bool:
        return not self.lines

    @property
    def headline(self) -> str:
        if self.nothing_to_undo:
            return (f"Nothing to undo: run {self.run_id}'s records are already gone from "
                    "QuickBooks or restored.")
        counts = Counter(line.effect for line in self.lines)
        parts = [f"{counts[EFFECTS[action]]} {words}" for action, words in HEADLINE_WORDS
                 if counts[EFFECTS[action]]]
        return f"Undo of run {self.run_id}: " + ", ".join(parts) + "."


def undo_preview_view(run_id: int, preview: Preview, notes: Sequence[str]) -> UndoPreviewView:
    lines = tuple(_line(operation) for operation in preview.operations)
    return UndoPreviewView(run_id, lines, tuple(notes),
                           tuple(op.key for op in preview.operations),
                           preview.total_debits, preview.total_credits)


def _line(operation: Operation) -> UndoLine:
    effect = EFFECTS.get(operation.action, operation.action)
    return UndoLine(effect, operation.entity, operation.summary, operation.txn_date,
                    operation.amount)


def why_not_undo(run: RunRow, runs: Sequence[RunRow], connection_state: str,
                 busy: str = "") -> str:
    """Why "Undo this run…" is disabled for ``run`` ("" when it may be asked)."""
    if run.kind not in UNDOABLE_KINDS:
        return (f"Run {run.id} is a {run.kind}: it changed only Ledgerbridge's own ledger, "
                "nothing in QuickBooks, so there is nothing to undo.")
    if run.status == "running":
        return f"Run {run.id} is still running."
    undone_by = undone_runs(runs).get(run.id)
    if undone_by is not None:
        return f"Run {run.id} was undone already (run {undone_by})."
    if not any(run.counts.get(result) for result in PUT_IN_QUICKBOOKS):
        return f"Run {run.id} put nothing in QuickBooks: there is nothing to undo."
    if connection_state == "reauthorisation_needed":
        return "QuickBooks needs you to sign in again first: Reconnect (the banner above)."
    if connection_state != "connected":
        return "This company is not connected to QuickBooks: reconnect it in Settings first."
    if busy:
        return (f"Wait until \"{busy}\" has finished: Ledgerbridge writes to QuickBooks one "
                "piece of work at a time.")
    return ""


@dataclass(frozen=True)
class Refusal:
    """An undo the core refused, as the preview dialog says it."""

    title: str
    reason: str
    fix: str = ""

    @property
    def text(self) -> str:
        return " ".join(part for part in (f"{self.title}.", self.reason, self.fix) if part)


def refusal_of(run_id: int, error: Exception) -> Refusal:
    """Why the undo of ``run_id`` was refused (later runs build on it, an unknown run)."""
    if isinstance(error, LaterRunsBuildOnIt):
        later = sorted(error.building)
        named = "; ".join(f"run {n} ({error.building[n]})" for n in later)
        first = " and ".join(f"run {n}" for n in reversed(later))
        return Refusal(f"Run {run_id} cannot be undone yet",
                       f"Later runs build on what it posted: {named}. Undoing it under them "
                       "would leave the books half undone (QuickBooks refuses, for example, "
                       "to delete an invoice that a later payment pays).",
                       f"Undo {first} first (the latest first), then run {run_id}.")
    reason = str(error)
    return Refusal(f"Run {run_id} cannot be undone", reason[:1].upper() + reason[1:] + ".")


def totals_text(view: UndoPreviewView) -> str:
    if view.debits == ZERO and view.credits == ZERO:
        return "No amounts change in the books (names only)."
    verdict = "balanced" if view.debits == view.credits else "NOT BALANCED"
    return (f"Effect on the books: debits {view.debits:,.2f}, credits {view.credits:,.2f} "
            f"({verdict}): the run's own effect, reversed.")
