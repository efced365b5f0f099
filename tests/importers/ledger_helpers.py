"""Builders for ledger tests: a preset for a ledger, a file written as text, the money."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from app.importers.mapping import Preset, TableMapping, TableRule
from app.importers.pipeline import ImportResult, import_paths
from app.importers.shape import TableShape
from app.importers.validate import KnownRecords

# The Jackrabbit-style columns of the issue.
JR_COLUMNS = {
    "payment": {"payment_id": "Trans ID", "date": "Trans Date", "amount": "Amount",
                "tender": "Payment Method"},
    "customer": {"customer_id": "Family ID", "name": "Family Name"},
    "participant": {"full_name": "Student"},
    "program": {"name": "Category"},
    "location": {"name": "Location"},
}
JR_HEADER = ("Trans ID,Family ID,Family Name,Student,Trans Date,Trans Type,Category,Location,"
             "Amount,Payment Method")


def ledger_preset(columns: dict[str, dict[str, str]] | None = None, *,
                  date_format: str | None = "%m/%d/%Y", value_maps: Any = None,
                  **shape: Any) -> Preset:
    mapping = TableMapping("payment", columns or JR_COLUMNS, date_format, TableShape(**shape))
    return Preset("test", (TableRule("*", mapping),), value_maps or {})


def jr_preset(**shape: Any) -> Preset:
    return ledger_preset(row_kind="Trans Type", **shape)


def import_text(tmp_path: Path, text: str, preset: Preset, *, name: str = "ledger.csv",
                known: KnownRecords | None = None) -> ImportResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_paths([path], preset, known=known)


def by_id(result: ImportResult, record_type: str) -> dict[str, Any]:
    return {r.key: r for r in result.records.get(record_type, [])}


def net_money(result: ImportResult) -> Decimal:
    """Money received (completed payments) less money paid back (refunds)."""
    paid = sum((p.amount for p in result.records.get("payment", [])
                if p.status == "completed"), Decimal(0))
    back = sum((r.amount for r in result.records.get("refund", [])), Decimal(0))
    return paid - back


def errors(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(i.row, i.column, i.reason) for i in result.errors]


def warnings(result: ImportResult) -> list[str]:
    return [i.reason for i in result.issues if i.severity == "warning"]
