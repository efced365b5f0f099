"""Text as exports leave it: HTML entities, stray spaces, headers with dates, whole names.

Small pure helpers shared by the layout, the converter and the ledger reader.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from app.importers.mapping import header_key

_DATE_TOKEN = re.compile(
    r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2},?)?"
    r"\s+\d{4}\b", re.IGNORECASE)
_CONNECTORS = re.compile(r"\b(?:from|to|thru|through|between|and)\b", re.IGNORECASE)
_UNTIDY = ("&", "\xa0", "  ", "\n", "\t", "\r")
_SLASH = re.compile(r"\s*/\s*")
_FAMILY_WORDS = re.compile(r"^(?:the\s+)|\s+(?:family|household)$", re.IGNORECASE)


def loose_key(header: str) -> str:
    """The header's key without the dates in it: ``Revenue 1/1/2025 - 12/31/2025`` and next
    year's ``Revenue 1/1/2026 - 12/31/2026`` are the same column (``revenue``)."""
    text = _DATE_TOKEN.sub(" ", header)
    if text != header:
        text = _CONNECTORS.sub(" ", text)
    return header_key(text)


def tidy_cells(cells: Sequence[str]) -> Sequence[str]:
    """HTML entities decoded (``&amp;``, ``&nbsp;``) and runs of spaces, tabs, line breaks
    and non-breaking spaces made one space; the same list back when nothing needs it."""
    joined = "\x00".join(cells)
    if not any(mark in joined for mark in _UNTIDY):
        return cells
    lookup = {cell: tidy(cell) for cell in set(cells)}
    return list(map(lookup.__getitem__, cells))


def tidy(cell: str) -> str:
    if "&" in cell:
        cell = html.unescape(cell)
    return " ".join(cell.split())


def family_name(name: str) -> str:
    """``Smith/Jones``, ``Smith / Jones`` and ``Smith  /Jones`` are one family, written
    ``Smith / Jones``: a family with two surnames is one customer, never two."""
    return _SLASH.sub(" / ", name) if "/" in name else name


def surname_of(family: str) -> str | None:
    """The surname in a family's name: ``Lee, Pat`` -> Lee; ``Smith / Jones`` -> Smith;
    ``The Ng Family`` -> Ng."""
    text = family.split(",", 1)[0] if "," in family else family.split("/", 1)[0]
    words = _FAMILY_WORDS.sub("", text.strip()).split()
    return words[-1] if words else None


def split_full_name(full: str, family: str | None) -> tuple[str, str] | None:
    """A student's whole name to (first, last): ``Lee, Emma`` and ``Emma Lee`` give
    (Emma, Lee); ``Emma Rose Lee`` gives (Emma Rose, Lee); a single word takes the family's
    surname; None when there is no surname to be had."""
    if "," in full:
        last, first = (part.strip() for part in full.split(",", 1))
        if first and last:
            return first, last
        full = first or last
    words = full.split()
    if len(words) >= 2:
        return " ".join(words[:-1]), words[-1]
    if len(words) == 1 and family:
        surname = surname_of(family)
        if surname:
            return words[0], surname
    return None
