"""Where the data is in an export: the header row, clean header names, the rows that are
not records.

Reports open with title lines ("Store Sales Detail", "1/1/2025 - 1/31/2025") above the
header, break header cells over two lines, put the report's date range in a column name
and repeat names; they end with a totals row and group rows under section headings with
subtotal lines. ``lay_out`` finds the header, cleans the names and sets aside every row
that is not a record, each with its reason, for the import report: never imported, never
an error, never silently dropped (only wholly blank rows are, as for every file).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from operator import itemgetter

from app.importers.mapping import TableMapping, header_key
from app.importers.names import loose_key
from app.importers.readers import Table
from app.importers.schema import ID_FIELD
from app.importers.shape import TableShape
from app.importers.values import DateReader, parse_money

HEADER_SEARCH_ROWS = 50  # a header further down than this is not looked for

@dataclass(frozen=True)
class SkippedRow:
    """A row that is not a record, for the import report."""

    row: int
    reason: str
    text: str  # the row's non-empty cells, shortened

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "reason": self.reason, "text": self.text}


@dataclass(frozen=True)
class TotalRow:
    row: int
    cells: tuple[str, ...]
    data_before: int  # how many data rows come before it (its scope ends there)


@dataclass
class Layout:
    table: Table  # the header found and cleaned; data rows only
    skipped: list[SkippedRow] = field(default_factory=list)
    # (index of the first data row under it, heading text), in file order
    sections: list[tuple[int, str]] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)

    def section_of_rows(self) -> list[str] | None:
        """The heading above each data row ("" before the first), or None without any."""
        if not self.sections:
            return None
        out = [""] * len(self.table.rows)
        bounds = [*self.sections, (len(out), "")]
        for (start, heading), (end, _) in pairwise(bounds):
            out[start:end] = [heading] * (end - start)
        return out


def clean_header(cells: Sequence[str]) -> list[str]:
    """Line breaks and runs of spaces become one space; a repeated name gets ``(2)``,
    ``(3)`` … so each column can be mapped (the first keeps its name)."""
    names = [" ".join(cell.split()) for cell in cells]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        key = header_key(name)
        if key and key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        elif key:
            seen[key] = 1
        out.append(name)
    return out


def column_index(header: Sequence[str], name: str | None) -> int | None:
    """Where a mapped column is: the exact name, else its key, else its loose key."""
    if not name:
        return None
    for key_of in (str, header_key, loose_key):
        wanted = key_of(name)
        found = next((i for i, h in enumerate(header) if key_of(h) == wanted), None)
        if found is not None:
            return found
    return None


def find_header_index(rows: Sequence[Sequence[str]], expected: set[str]) -> int:
    """The first row holding at least half the mapped columns (else the one holding most)."""
    wanted = {loose_key(h) for h in expected} - {""}
    if not wanted:
        return 0
    need = max(1, (len(wanted) + 1) // 2)
    best, best_count = 0, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = len(wanted & {loose_key(cell) for cell in row if cell.strip()})
        if count >= need:
            return index
        if count > best_count:
            best, best_count = index, count
    return best


def guess_header_index(rows: Sequence[Sequence[str]]) -> int:
    """Without a mapping: the first row that looks like a header — two or more names, as
    wide as the table, none of them an amount or a date."""
    top = rows[:HEADER_SEARCH_ROWS]
    widths = [sum(1 for cell in row if cell.strip()) for row in top]
    widest = max(widths, default=0)
    for index, (row, width) in enumerate(zip(top, widths, strict=True)):
        if width >= 2 and width >= 0.6 * widest and not any(
                _looks_like_value(cell.strip()) for cell in row if cell.strip()):
            return index
    return 0


def _looks_like_value(text: str) -> bool:
    if parse_money(text) is not None:
        return True
    value, reason = DateReader().cell(text)
    return value is not None or "ambiguous" in reason


def lay_out(table: Table, mapping: TableMapping | None) -> Layout:
    """Find the header (the preset's row, else the row naming the mapped columns, else the
    first row that looks like one) and set aside titles, totals, headings and notes."""
    rows: list[list[str]] = [table.header, *table.rows]
    numbers = [table.header_row, *table.row_numbers]
    index = _header_index(rows, numbers, mapping)
    skipped = [SkippedRow(numbers[i], "title line above the header", _text(rows[i]))
               for i in range(index) if any(cell.strip() for cell in rows[i])]
    header = clean_header(rows[index])
    body = rows[index + 1:]
    body_numbers = numbers[index + 1:]
    laid = _RowSorter(header, mapping).sort(body, body_numbers)
    laid.skipped[:0] = skipped
    laid.table = replace(table, header=header, rows=laid.table.rows,
                         row_numbers=laid.table.row_numbers, header_row=numbers[index],
                         details={**table.details, "header_row": str(numbers[index])})
    return laid


def _header_index(rows: list[list[str]], numbers: list[int], mapping: TableMapping | None) -> int:
    if mapping is not None and mapping.shape.header_row is not None:
        wanted = mapping.shape.header_row
        return next((i for i, n in enumerate(numbers) if n >= wanted), 0)
    if mapping is not None:
        return find_header_index(rows, mapping.headers())
    return guess_header_index(rows)


class _RowSorter:
    """Data rows apart from totals, section headings, repeated headers and notes."""

    def __init__(self, header: list[str], mapping: TableMapping | None) -> None:
        self.header = header
        # without a mapping (a suggestion), the default labels still find a totals row
        self.shape = mapping.shape if mapping is not None else TableShape()
        self.guessing = mapping is None
        own = mapping.columns.get(mapping.record_type, {}) if mapping is not None else {}
        id_header = (mapping.shape.group_by if mapping is not None else None) or own.get(
            ID_FIELD.get(mapping.record_type, "") if mapping is not None else "")
        self.id_index = column_index(header, id_header)
        self.date_index = column_index(header, own.get("date"))
        self.amount_index = column_index(header, own.get("amount"))

    def sort(self, rows: list[list[str]], numbers: list[int]) -> Layout:
        candidates = self._candidates(rows)
        if not candidates:
            return Layout(Table("", self.header, rows, numbers))
        laid = Layout(Table("", self.header, [], []))
        data, data_numbers = laid.table.rows, []
        start = 0
        for index in candidates:
            data.extend(rows[start:index])
            data_numbers.extend(numbers[start:index])
            start = index + 1
            if self._keep(rows[index], numbers[index], len(data), laid):
                data.append(rows[index])
                data_numbers.append(numbers[index])
        data.extend(rows[start:])
        data_numbers.extend(numbers[start:])
        laid.table.row_numbers = data_numbers
        return laid

    def _candidates(self, rows: list[list[str]]) -> list[int]:
        """Rows that may not be data: without an ID or a date, or repeating the header.
        Every data row has both, so a long export costs two column scans."""
        if self.id_index is None or self.date_index is None:
            return list(range(len(rows)))
        i, d = self.id_index, self.date_index
        a = self.amount_index if self.amount_index is not None else i
        top, header_id, key_cells = max(i, d, a), self.header[i], itemgetter(i, d, a)
        return [n for n, row in enumerate(rows)
                if len(row) <= top or not all(map(str.strip, key_cells(row)))
                or row[i] == header_id]

    def _keep(self, row: list[str], number: int, data_count: int, laid: Layout) -> bool:
        cells = [cell.strip() for cell in row]
        filled = [(i, c) for i, c in enumerate(cells) if c]
        if not filled:
            return False  # a blank row: dropped, as in every file
        if [" ".join(c.split()) for c in cells[:len(self.header)]] == self.header:
            laid.skipped.append(SkippedRow(number, "the header repeated", _text(row)))
            return False
        labels = filled[:1] if self.guessing else filled  # unsure where the key columns are
        if any(self.shape.is_total_label(c) for _, c in labels):
            laid.totals.append(TotalRow(number, tuple(cells), data_count))
            laid.skipped.append(SkippedRow(number, "totals row", _text(row)))
            return False
        keys = {i for i in (self.id_index, self.date_index, self.amount_index) if i is not None}
        if len(filled) == 1 and filled[0][0] != self.amount_index:
            heading = filled[0][1]
            laid.sections.append((data_count, heading))
            meaning = self.shape.section_meaning(heading)
            note = {"failed": ": rows under it are failed payments",
                    "voided": ": rows under it are voided (deleted) payments",
                    "skip": ": rows under it are not imported"}.get(meaning, "")
            laid.skipped.append(SkippedRow(number, f"section heading{note}", _text(row)))
            return False
        if keys and self._no_record(cells):
            laid.skipped.append(SkippedRow(
                number, "not a record: no transaction ID, date or amount", _text(row)))
            return False
        return True

    def _no_record(self, cells: list[str]) -> bool:
        """No ID, date or amount at all; or no amount and either no ID or date, or a label
        first (a footer such as ``Report generated:, 3/31/2025``)."""
        def has(index: int | None) -> bool:
            return index is not None and index < len(cells) and bool(cells[index])

        if not (has(self.id_index) or has(self.date_index) or has(self.amount_index)):
            return True
        if self.amount_index is None or has(self.amount_index):
            return False
        label = next(cell for cell in cells if cell)
        return not (has(self.id_index) and has(self.date_index)) or label.endswith(":")


def _text(row: Sequence[str]) -> str:
    text = " | ".join(cell.strip() for cell in row if cell.strip())
    return text if len(text) <= 120 else text[:117] + "..."
