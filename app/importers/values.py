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
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

# (index in the column, reason) for every bad cell of a column.
CellErrors = list[tuple[int, str]]

_PLAIN_NUMBER_CHARS = frozenset("0123456789.-\n")
_MORE_THAN_CENTS = re.compile(r"\.\d{3}")
_MONEY_BODY = r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{0,2})?|\.\d{1,2})"
_SIGNED_MONEY = re.compile(r"(-)?(\$)?(-)?" + _MONEY_BODY, re.ASCII)  # -$12.00, $-12.00
_BRACKETED_MONEY = re.compile(r"\(\s*\$?" + _MONEY_BODY + r"\s*\)", re.ASCII)  # ($12.00)
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
    text = text.strip()
    match = _SIGNED_MONEY.fullmatch(text)
    if match is not None:
        before, _, after, body = match.groups()
        if before and after:
            return None  # a doubled sign
        value = Decimal(body.replace(",", "") if "," in body else body)
        return -value if before or after else value
    match = _BRACKETED_MONEY.fullmatch(text)
    if match is None:
        return None
    body = match[1]
    return -Decimal(body.replace(",", "") if "," in body else body)


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
    """Each distinct text parsed once (``$125.00`` repeats endlessly in an export); the
    parsers strip the cell and give ``None`` for a blank or a bad one."""
    texts = list(set(cells))
    parsed = list(map(parse, texts))
    lookup = dict(zip(texts, parsed, strict=True))
    values: list[Decimal | None] = list(map(lookup.__getitem__, cells))
    if None not in parsed:
        return values, []
    bad = {text for text, value in zip(texts, parsed, strict=True)
           if value is None and text.strip()}
    errors: CellErrors = [(i, reason) for i, raw in enumerate(cells) if raw in bad] if bad else []
    return values, errors


class DateReader:
    """Dates of one column: ISO always; else the declared format; else unambiguous d/m/y.

    Without a declared format, ``03/04/2024`` could be either order and is refused; a
    column whose cells only make sense in different orders (``13/04`` and ``04/13``) is
    refused at the first cell that contradicts the order seen before. Forms that cannot
    be misread are accepted whatever the declared format: a month written as a word
    (``Jan 5, 2025``, ``05-Jan-2025``), an Excel serial day number (``45672``, what a
    date cell becomes when its formatting is lost), epoch seconds or milliseconds (in
    ``timezone``, default the computer's own), and a time after the date
    (``1/5/2025 10:30 AM``), which is dropped.
    """

    def __init__(self, declared_format: str | None = None,
                 timezone: tzinfo | None = None) -> None:
        self.declared_format = declared_format
        self.timezone = timezone
        self._declared = _compile_numeric_format(declared_format) if declared_format else None
        self._order_seen: str | None = None  # "dmy" | "mdy" once a cell decided it

    def column(self, cells: Sequence[str]) -> tuple[list[date | None], CellErrors]:
        try:
            return _convert_distinct(date.fromisoformat, cells), []
        except ValueError:
            pass  # not all ISO: read each distinct text, in the order the file has them
        results: dict[str, tuple[date | None, str]] = {}
        for raw in dict.fromkeys(cells):
            cell = raw.strip()
            results[raw] = self.cell(cell) if cell else (None, "")
        values = [results[raw][0] for raw in cells]
        bad = {raw for raw, (_, reason) in results.items() if reason}
        errors: CellErrors = (
            [(i, results[raw][1]) for i, raw in enumerate(cells) if raw in bad] if bad else [])
        return values, errors

    def cell(self, text: str) -> tuple[date | None, str]:
        """``(date, "")`` or ``(None, reason)``."""
        if _looks_iso(text):
            return _iso(text)
        if text.isdigit() or _SERIAL.fullmatch(text):
            return self._number(text)
        time = _TIME_SUFFIX.search(text)
        if time is not None and time.start() > 0:
            text = text[:time.start()]
        named = _named_month(text)
        if named is not None:
            return named
        if self.declared_format:
            return self._with_declared_format(text)
        return self._guess_order(text)

    def _number(self, text: str) -> tuple[date | None, str]:
        """An Excel serial day (5 digits) or epoch seconds (10) / milliseconds (13)."""
        whole = text.split(".", 1)[0]
        if len(whole) == 5:
            return EXCEL_EPOCH + timedelta(days=int(whole)), ""
        if len(whole) in (10, 13) and "." not in text:
            seconds = int(whole) / (1000 if len(whole) == 13 else 1)
            try:
                return datetime.fromtimestamp(seconds, self.timezone).date(), ""
            except (OverflowError, OSError, ValueError):
                return None, "not a valid date (epoch time out of range)"
        return None, ("not a date: use YYYY-MM-DD, the export's date format, an Excel day "
                      "number (5 digits) or epoch seconds/milliseconds")

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


def date_order_evidence(cells: Sequence[str]) -> set[str]:
    """The day/month orders the numeric dates of a column prove: ``{"dmy"}``, ``{"mdy"}``,
    both (contradictory), or none (every date could be read either way)."""
    orders = set()
    for text in set(cells):
        match = _NUMERIC_DATE.fullmatch(_without_time(text.strip()))
        if match is None:
            continue
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            orders.add("dmy")
        elif second > 12 >= first:
            orders.add("mdy")
    return orders


def has_numeric_dates(cells: Sequence[str]) -> bool:
    return any(_NUMERIC_DATE.fullmatch(_without_time(c.strip())) for c in set(cells))


def _without_time(text: str) -> str:
    time = _TIME_SUFFIX.search(text)
    return text[:time.start()] if time is not None and time.start() > 0 else text


EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 after Lotus's 1900 leap-year bug
_SERIAL = re.compile(r"\d{5}\.\d+", re.ASCII)
_TIME_SUFFIX = re.compile(
    r"(?:[ T]+|\s*,\s*)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?$", re.ASCII)
_HAS_LETTER = re.compile(r"[A-Za-z]")
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for name in names}
_MONTH_FIRST = re.compile(
    r"(?:[A-Za-z]{3,9}\.?,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})",
    re.ASCII)
_DAY_FIRST = re.compile(r"(?:[A-Za-z]{3,9}\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]"
                        r"([A-Za-z]{3,9})\.?[\s,-]+(\d{4})", re.ASCII)


def _named_month(text: str) -> tuple[date | None, str] | None:
    """``Jan 5, 2025``, ``January 5th 2025``, ``5 Jan 2025``, ``05-Jan-2025`` (English)."""
    if text.isascii() and not _HAS_LETTER.search(text):
        return None
    match = _MONTH_FIRST.fullmatch(text)
    if match is not None:
        month, day, year = match[1], match[2], match[3]
    else:
        match = _DAY_FIRST.fullmatch(text)
        if match is None:
            return None
        day, month, year = match[1], match[2], match[3]
    number = _MONTHS.get(month.lower())
    if number is None:
        return None, f"not a date: unknown month {month!r}"
    return _make_date(int(year), number, int(day), "not a valid date")


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
