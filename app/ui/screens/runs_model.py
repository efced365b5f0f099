"""Table models of the Runs screen: the runs of a company, and one run's manifest."""

from __future__ import annotations

from datetime import date, datetime

from app.sync.runs import ManifestLine, RunRow
from app.ui.screens.row_table_model import Column, RowTableModel
from app.undo_view import UndoLine


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _period(run: RunRow) -> str:
    return f"{_day(run.period_from)} to {_day(run.period_to)}" if run.period_from else ""


def _counts(run: RunRow) -> str:
    return ", ".join(f"{v} {k}" for k, v in sorted(run.counts.items()) if v) or "nothing"


RUN_COLUMNS: tuple[Column[RunRow], ...] = (
    Column("Run", lambda r: str(r.id), lambda r: r.id, align_right=True),
    Column("Kind", lambda r: r.kind_text),
    Column("Period", _period, lambda r: (r.period_from or date.min)),
    Column("Started (UTC)", lambda r: _when(r.started_at), lambda r: r.started_at),
    Column("Finished (UTC)", lambda r: _when(r.finished_at), lambda r: r.finished_at),
    Column("Result", lambda r: r.status_text,
           tooltip=lambda r: r.message or ""),
    Column("Operations", _counts, tooltip=_counts),
)

MANIFEST_COLUMNS: tuple[Column[ManifestLine], ...] = (
    Column("Result", lambda m: m.result),
    Column("Action", lambda m: m.action),
    Column("QuickBooks entity", lambda m: m.entity),
    Column("QuickBooks id", lambda m: m.qbo_id or "", align_right=True),
    Column("Doc number", lambda m: m.doc_number or ""),
    Column("Date", lambda m: _day(m.txn_date), lambda m: m.txn_date or date.min),
    Column("Amount", lambda m: format(m.amount, ",.2f") if m.amount is not None else "",
           lambda m: m.amount, align_right=True),
    Column("Error", lambda m: " ".join(filter(None, (m.error_code, m.message))),
           tooltip=lambda m: m.message or ""),
    Column("Key", lambda m: m.key, tooltip=lambda m: m.key),
)


class RunsModel(RowTableModel[RunRow]):
    def __init__(self) -> None:
        super().__init__(RUN_COLUMNS)


class ManifestModel(RowTableModel[ManifestLine]):
    def __init__(self) -> None:
        super().__init__(MANIFEST_COLUMNS)


UNDO_COLUMNS: tuple[Column[UndoLine], ...] = (
    Column("What happens", lambda u: u.effect),
    Column("QuickBooks entity", lambda u: u.entity),
    Column("Date", lambda u: _day(u.txn_date), lambda u: u.txn_date or date.min),
    Column("Amount", lambda u: format(u.amount, ",.2f") if u.amount is not None else "",
           lambda u: u.amount, align_right=True),
    Column("Record", lambda u: u.summary, tooltip=lambda u: u.summary),
)


class UndoLinesModel(RowTableModel[UndoLine]):
    def __init__(self) -> None:
        super().__init__(UNDO_COLUMNS)
