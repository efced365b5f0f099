"""Building QBO query statements safely.

QBO's query language takes string literals in single quotes and escapes an apostrophe
with a backslash (``'O\\'Brien'``); a backslash itself is escaped the same way so a
value can never close the literal early.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

MAX_RESULTS = 1000  # QBO's ceiling per query page
_PAGING_CLAUSE = re.compile(r"\b(STARTPOSITION|MAXRESULTS)\b", re.IGNORECASE)
_SIMPLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")


def quote(value: str) -> str:
    """A QBO string literal for ``value``."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def literal(value: object) -> str:
    """A QBO literal for a str, date, bool, int or Decimal (never a float)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, date):
        return quote(value.isoformat())
    if isinstance(value, (int, Decimal)):
        return str(value)
    raise TypeError(f"cannot use {type(value).__name__} in a QBO query")


def select_where(entity: str, **conditions: object) -> str:
    """``SELECT * FROM entity WHERE a = 'x' AND b = 'y'`` (QBO has no OR)."""
    _check_name(entity)
    clauses = []
    for field, value in conditions.items():
        _check_name(field)
        clauses.append(f"{field} = {literal(value)}")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"SELECT * FROM {entity}{where}"


def has_paging(statement: str) -> bool:
    """True when the caller chose its own page (outside string literals)."""
    without_literals = re.sub(r"'(?:\\.|[^'\\])*'", "''", statement)
    return bool(_PAGING_CLAUSE.search(without_literals))


def page_statement(statement: str, start_position: int, max_results: int = MAX_RESULTS) -> str:
    return (
        f"{statement.rstrip().rstrip(';')} STARTPOSITION {start_position} MAXRESULTS {max_results}"
    )


def _check_name(name: str) -> None:
    if not _SIMPLE_NAME.match(name):
        raise ValueError(f"not a QBO entity or field name: {name!r}")
