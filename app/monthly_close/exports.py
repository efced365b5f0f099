"""Tables the bookkeeper keeps: the preview, and the result with its reconciliation and
the run's manifest, as CSV or as an Excel workbook (openpyxl).

Every text cell is made safe for a spreadsheet (a leading ``= + - @`` is quoted, as the
CLI's CSVs do: ``safe_cell``); amounts go to Excel as exact numbers, to CSV as text.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from app.accounting.preview import Preview, safe_cell
from app.domain.money import money, money_str

Cell = str | Decimal | int
Sheet = tuple[str, Sequence[Sequence[Cell]]]  # (name, rows; the first row is the heading)
PREVIEW_AMOUNT_COLUMNS = (6, 7, 8)  # debit, credit, amount in Preview.to_rows()


def write_tables(path: Path, sheets: Sequence[Sheet]) -> None:
    """``.xlsx``: one sheet each; anything else: one CSV, the tables one after another."""
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, sheets)
        return
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        for index, (_name, rows) in enumerate(sheets):
            if index:
                writer.writerow([])
            writer.writerows([_csv_cell(c) for c in row] for row in rows)


def preview_sheets(preview: Preview, names: Mapping[str, str] | None = None) -> list[Sheet]:
    """The preview as the CLI's CSV has it (``Preview.to_rows``), amounts as numbers and
    references by ``names`` (the tree's), as the window shows them."""
    rows: list[list[Cell]] = []
    for number, row in enumerate(preview.to_rows(names)):
        cells: list[Cell] = list(row)
        if number:
            for column in PREVIEW_AMOUNT_COLUMNS:
                if row[column]:
                    cells[column] = money(row[column])
        rows.append(cells)
    return [("Preview", rows)]


def _csv_cell(cell: Cell) -> str:
    if isinstance(cell, Decimal):
        return money_str(cell)
    return safe_cell(str(cell))


def _write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(title=name[:31])
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, Decimal):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "#,##0.00"
                    cells.append(cell)
                elif isinstance(value, int):
                    cells.append(value)
                else:
                    cells.append(safe_cell(str(value)))
            sheet.append(cells)
    book.save(str(path))
