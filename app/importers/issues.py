"""What is wrong with an import, cell by cell, and the CSV the bookkeeper can keep.

Validators return lists of these instead of raising, so one pass shows every problem.
Errors block the whole import; warnings (a natural key used, a merged duplicate) do not.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

ERROR = "error"
WARNING = "warning"

HEADER_ROW = 1  # issues about the header (a missing column) point at row 1
FILE_LEVEL = 0  # issues about the whole file (unreadable, unknown type)

# Leading characters a spreadsheet would run as a formula (OWASP CSV injection list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ImportIssue:
    file: str
    row: int  # the row as a spreadsheet numbers it (header = 1); 0 for the whole file
    column: str
    value: str
    reason: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
        }

    def as_text(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        column = f" [{self.column}]" if self.column else ""
        value = f" {self.value!r}" if self.value else ""
        return f"{self.severity}: {where}{column}{value}: {self.reason}"


def errors_only(issues: Iterable[ImportIssue]) -> list[ImportIssue]:
    return [issue for issue in issues if issue.is_error]


def neutralise(cell: str) -> str:
    """Prefix an apostrophe so a spreadsheet shows the text instead of running it."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_issues_csv(issues: Iterable[ImportIssue], target: Path | TextIO) -> None:
    """The error list as CSV (UTF-8 with BOM so Excel shows accents correctly)."""
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            _write(issues, handle)
    else:
        _write(issues, target)


def _write(issues: Iterable[ImportIssue], handle: TextIO) -> None:
    writer = csv.writer(handle)
    writer.writerow(["severity", "file", "row", "column", "value", "reason"])
    for issue in issues:
        cells = [issue.severity, issue.file, str(issue.row), issue.column, issue.value]
        writer.writerow([neutralise(c) for c in cells] + [neutralise(issue.reason)])
