"""Files to tables of text: CSV (any encoding Excel writes, any common delimiter) and .xlsx.

A reader only turns bytes into a header and rows of strings; what the columns mean is
the mapping's business. Every cell is text here (an .xlsx number becomes its shortest
decimal text), so CSV, Excel and API data all go through the same parsers.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from app.yielding import sliced_list

DELIMITERS = (",", ";", "\t", "|")


class ReadError(Exception):
    """A file that cannot be read at all (missing, undecodable, no such sheet)."""


@dataclass
class Table:
    """A header and its rows, as text; ``row_numbers`` are what a spreadsheet shows."""

    name: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: Sequence[int]
    source_kind: str = "csv"  # "csv" | "xlsx" | "api"
    sha256: str | None = None
    details: dict[str, str] = field(default_factory=dict)  # encoding, delimiter, sheet
    header_row: int = 1  # the spreadsheet row of the header (blank lines above it skipped)

    @property
    def stem(self) -> str:
        return Path(self.name.split("[", 1)[0]).stem.lower()


def read_path(path: Path, *, sheet: str | None = None) -> Table:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet=sheet)
    return read_csv(path)


def read_csv(path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    text, encoding = decode(raw)
    delimiter, text = _delimiter_and_body(text)
    try:
        rows = sliced_list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ReadError(f"{path.name} is not readable as CSV: {exc}") from exc
    return _table(
        path.name, rows, sha256=hashlib.sha256(raw).hexdigest(),
        details={"encoding": encoding, "delimiter": delimiter},
    )


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding used: BOMs first, then UTF-8, then Windows cp1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_or_fail(raw, "utf-16"), "utf-16"
    if len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] != 0:
        return _decode_or_fail(raw, "utf-16-le"), "utf-16-le"  # UTF-16 without a BOM
    if len(raw) >= 4 and raw[0] == 0 and raw[2] == 0 and raw[1] != 0:
        return _decode_or_fail(raw, "utf-16-be"), "utf-16-be"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_or_fail(raw, "cp1252"), "cp1252"


def _decode_or_fail(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"cannot decode the file as UTF-8, UTF-16 or Windows-1252 (byte {exc.start})"
        ) from exc


def _delimiter_and_body(text: str) -> tuple[str, str]:
    """Excel's ``sep=;`` first line wins; else the commonest delimiter in the header."""
    first_line, _, rest = text.partition("\n")
    stripped = first_line.strip()
    if stripped.lower().startswith("sep=") and len(stripped) == 5:
        return stripped[4], rest
    return sniff_delimiter(first_line), text


def sniff_delimiter(header_line: str) -> str:
    """Count candidate delimiters outside quotes in the header line; ties go to ``,``."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals
    return best if counts[best] else ","


def read_xlsx(path: Path, *, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # only .xlsx pays

    try:
        raw = path.read_bytes()
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise ReadError(f"cannot open {path.name} as an Excel workbook: {exc}") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends from a non-xlsx file
        raise ReadError(f"cannot open {path.name} as an Excel workbook: {exc}") from exc
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(workbook.sheetnames)
            raise ReadError(f"{path.name} has no sheet {sheet!r} (sheets: {names})")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        rows = [[cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table(
        f"{path.name}[{worksheet.title}]", rows, source_kind="xlsx",
        sha256=hashlib.sha256(raw).hexdigest(), details={"sheet": worksheet.title},
    )


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a bookkeeper would read in the cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _table(name: str, lines: list[list[str]], **kwargs) -> Table:  # type: ignore[no-untyped-def]
    """The first non-blank line is the header; blank rows (Excel leaves them at the end)
    are dropped, keeping true row numbers."""
    start = next((i for i, line in enumerate(lines) if any(c.strip() for c in line)), None)
    if start is None:
        return Table(name, [], [], range(0), **kwargs)
    header = [cell.strip() for cell in lines[start]]
    rows = lines[start + 1:]
    first = start + 2
    width = len(header)
    if [] not in rows and [""] * width not in rows:  # C-level scans: the common case
        return Table(name, header, rows, range(first, len(rows) + first), header_row=first - 1,
                     **kwargs)
    kept = [row for row in rows if any(row)]
    numbers = [n for n, row in enumerate(rows, first) if any(row)]
    return Table(name, header, kept, numbers, header_row=first - 1, **kwargs)
