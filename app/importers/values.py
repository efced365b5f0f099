"""Cell values to exact types: money, plain numbers and dates, one column at a time.

Columns, not cells, are the unit: a column of plain amounts (``12.50``) is checked with
one character-set test and converted with ``map(Decimal, ...)`` at C speed; only a column
that fails the cheap test falls back to the careful per-cell parser. The careful parsers
return ``None`` for a bad cell instead of raising, so a file full of bad cells costs no
exception handling, and every bad cell gets its own reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

# (index in the column, reason) for every bad cell of a column.
CellErrors = list[tuple[int, str]]

_PLAIN_NUMBER_CHARS = frozenset("0123456789.-\n")
_MORE_THAN_CENTS = re.compile(r"\.\d{3}")
_MONEY_BODY = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{0,2})?|\.\d{1,2}", re.ASCII)
_NUMBER_BODY = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+", re.ASCII)

MONEY_REASON = (
    "not an amount: use digits with at most two decimals, e.g. 1,234.50, $1234.5, "
    "(12.00) or -12.00"
)
NUMBER_REASON = "not a number"


def parse_money(text: str) -> Decimal | None:
    """One cell to an exact amount, or ``None`` when it is not one of the accepted forms.

    Accepted: optional ``$``, optional sign (``-`` before or after the ``$``) or
    parentheses for negatives, thousands separators in groups of three, at most two
    decimals. Anything else (``1e3``, ``12,50``, ``NaN``, ``12.345``) is refused.
    """
    body, negative = _unwrap_sign(text.strip())
    if body is None:
        return None
    if body[:1] == "$":
        body = body[1:]
        if body[:1] == "-" and not negative:
            negative, body = True, body[1:]
    if not _MONEY_BODY.fullmatch(body):
        return None
    value = Decimal(body.replace(",", ""))
    return -value if negative else value


def parse_number(text: str, *, percent: bool = False) -> Decimal | None:
    """A plain decimal number (a quantity, a rate); ``%`` allowed when ``percent``."""
    body = text.strip()
    if percent and body[-1:] == "%":
        body = body[:-1].rstrip()
    unsigned, negative = _unwrap_sign(body)
    if unsigned is None or not _NUMBER_BODY.fullmatch(unsigned):
        return None
    value = Decimal(unsigned.replace(",", ""))
    return -value if negative else value


def _unwrap_sign(text: str) -> tuple[str | None, bool]:
    """Strip ``(…)`` or a leading ``-``; ``None`` for a doubled sign."""
    negative = False
    if text[:1] == "(" and text[-1:] == ")":
        negative, text = True, text[1:-1].strip()
    if text[:1] == "-":
        if negative:
            return None, False
        negative, text = True, text[1:]
    return text, negative


def money_column(cells: Sequence[str]) -> tuple[list[Decimal | None], CellErrors]:
    """Blank cells become ``None``; bad cells are reported and become ``None``."""
    distinct = set(cells)
    joined = "\n".join(distinct)
    if _PLAIN_NUMBER_CHARS.issuperset(joined) and not _MORE_THAN_CENTS.search(joined):
        try:
            return _convert_distinct(Decimal, cells, distinct), []
        except InvalidOperation:
            pass  # e.g. "1.2.3": the careful parser below names the cell
    return _careful_column(cells, parse_money, MONEY_REASON)


def number_column(
    cells: Sequence[str], *, percent: bool = False
) -> tuple[list[Decimal | None], CellErrors]:
    reason = NUMBER_REASON + (" (a percent, e.g. 8.25 or 8.25%)" if percent else "")
    distinct = set(cells)
    if _PLAIN_NUMBER_CHARS.issuperset("\n".join(distinct)):
        try:
            return _convert_distinct(Decimal, cells, distinct), []
        except InvalidOperation:
            pass
    return _careful_column(cells, lambda c: parse_number(c, percent=percent), reason)


def _convert_distinct(convert, cells: Sequence[str], distinct: set[str] | None = None) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Convert each distinct text once and look the rest up (blank -> ``None``).

    Exports repeat prices and dates endlessly; one ``Decimal``/``date`` per distinct
    text saves both the parsing and the memory (the values are immutable, so sharing
    them is safe).
    """
    distinct = set(cells) if distinct is None else distinct
    lookup = {text: convert(text) for text in distinct if text}
    lookup[""] = None
    return list(map(lookup.__getitem__, cells))


def _careful_column(cells, parse, reason):  # type: ignore[no-untyped-def]
    values: list[Decimal | None] = []
    errors: CellErrors = []
    for index, raw in enumerate(cells):
        cell = raw.strip()
        value = parse(cell) if cell else None
        if value is None and cell:
            errors.append((index, reason))
        values.append(value)
    return values, errors


class DateReader:
    """Dates of one column: ISO always; else the declared format; else unambiguous d/m/y.

    Without a declared format, ``03/04/2024`` could be either order and is refused; a
    column whose cells only make sense in different orders (``13/04`` and ``04/13``) is
    refused at the first cell that contradicts the order seen before.
    """

    def __init__(self, declared_format: str | None = None) -> None:
        self.declared_format = declared_format
        self._declared = _compile_numeric_format(declared_format) if declared_format else None
        self._order_seen: str | None = None  # "dmy" | "mdy" once a cell decided it

    def column(self, cells: Sequence[str]) -> tuple[list[date | None], CellErrors]:
        try:
            return _convert_distinct(date.fromisoformat, cells), []
        except ValueError:
            pass  # not all ISO: read cell by cell
        values: list[date | None] = []
        errors: CellErrors = []
        for index, raw in enumerate(cells):
            cell = raw.strip()
            value, reason = self.cell(cell) if cell else (None, "")
            if reason:
                errors.append((index, reason))
            values.append(value)
        return values, errors

    def cell(self, text: str) -> tuple[date | None, str]:
        """``(date, "")`` or ``(None, reason)``."""
        if _looks_iso(text):
            return _iso(text)
        if self.declared_format:
            return self._with_declared_format(text)
        return self._guess_order(text)

    def _with_declared_format(self, text: str) -> tuple[date | None, str]:
        reason = f"not a date in the chosen format {self.declared_format} (or ISO YYYY-MM-DD)"
        if self._declared is not None:
            match = self._declared.fullmatch(text)
            if match is None:
                return None, reason
            return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), reason)
        try:
            return datetime.strptime(text, self.declared_format or "").date(), ""
        except ValueError:
            return None, reason

    def _guess_order(self, text: str) -> tuple[date | None, str]:
        match = _NUMERIC_DATE.fullmatch(text)
        if match is None:
            return None, "not a date: use YYYY-MM-DD or choose the export's date format"
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 and second <= 12:
            order = "dmy"
        elif second > 12 and first <= 12:
            order = "mdy"
        elif first == second:
            return _make_date(year, first, first, "not a valid date")
        elif first <= 12 and second <= 12:
            return None, (
                "ambiguous date: day and month could be either way round; choose the date "
                "format (e.g. %m/%d/%Y or %d/%m/%Y)"
            )
        else:
            return None, "not a valid date"
        if self._order_seen not in (None, order):
            return None, (
                "date order contradicts earlier rows of this column; choose the date format"
            )
        self._order_seen = order
        day, month = (first, second) if order == "dmy" else (second, first)
        return _make_date(year, month, day, "not a valid date")


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
_FORMAT_PARTS = {"%d": r"(?P<d>\d{1,2})", "%m": r"(?P<m>\d{1,2})", "%Y": r"(?P<y>\d{4})"}


def _compile_numeric_format(fmt: str) -> re.Pattern[str] | None:
    """A regex for formats made of %d, %m, %Y and literal separators (fast and strict).

    Other formats (month names, two-digit years) fall back to ``strptime``.
    """
    if any(part not in fmt for part in _FORMAT_PARTS):
        return None
    pattern = re.escape(fmt)
    for directive, group in _FORMAT_PARTS.items():
        pattern = pattern.replace(re.escape(directive), group)
    return None if "%" in pattern else re.compile(pattern, re.ASCII)


def _looks_iso(text: str) -> bool:
    return len(text) >= 8 and text[:4].isdigit() and (len(text) == 8 or text[4] == "-")


def _iso(text: str) -> tuple[date | None, str]:
    """ISO date, or the date part of an ISO timestamp as API sources send them."""
    try:
        if len(text) > 10 and text[10] in "T ":
            return datetime.fromisoformat(text).date(), ""
        return date.fromisoformat(text), ""
    except ValueError:
        return None, "not a valid date (YYYY-MM-DD)"


def _make_date(year: int, month: int, day: int, reason: str) -> tuple[date | None, str]:
    if not (1 <= month <= 12 and 1 <= day <= 31 and year >= 1):
        return None, reason
    try:
        return date(year, month, day), ""
    except ValueError:
        return None, reason
