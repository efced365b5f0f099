"""The Error log's table model: one row per job (``app/sync/error_log.py``'s rows)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from app.sync.error_log import ErrorLogRow
from app.ui.screens.row_table_model import Column, RowTableModel


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


ERROR_COLUMNS: tuple[Column[ErrorLogRow], ...] = (
    Column("Job", lambda r: str(r.job_id), lambda r: r.job_id, align_right=True),
    Column("Status", lambda r: r.status),
    Column("When (UTC)", lambda r: _when(r.time), lambda r: r.time),
    Column("What", lambda r: r.kind),
    Column("Record", lambda r: r.summary or r.record, tooltip=lambda r: r.record),
    Column("Date", lambda r: r.txn_date.isoformat() if r.txn_date else "",
           lambda r: r.txn_date or date.min),
    Column("Amount", lambda r: r.amount, lambda r: Decimal(r.amount or 0), align_right=True),
    Column("Code", lambda r: r.error_code),
    Column("Message", lambda r: r.message, tooltip=lambda r: r.message),
)


class ErrorLogModel(RowTableModel[ErrorLogRow]):
    def __init__(self) -> None:
        super().__init__(ERROR_COLUMNS)
