"""How an export is laid out, beyond which column is which field: a preset's shape options.

Real exports are ledgers: title lines above the header, payments, refunds, voids and
charges in one list told apart by a type column or the amount's sign, one payment over
several item rows sharing a transaction ID, totals and section rows between the data.
``TableShape`` says how to read such a table; every option has a default that suits the
common case, and all of them are written into the preset file so a bookkeeper sees and
edits them (docs/importing.md, "Ledgers").
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from app.domain.records import is_valid_tender

# What a row of a ledger is. A kind may carry a tender ("payment:coupon": a discount row
# is a payment by coupon whatever the method column says).
PAYMENT, FAILED, BY_SIGN = "payment", "failed", "by_sign"
REFUND_KINDS = ("refund", "chargeback", "echeck_return")
VOID, CHARGE, SKIP = "void", "charge", "skip"
KINDS = (PAYMENT, FAILED, BY_SIGN, *REFUND_KINDS, VOID, CHARGE, SKIP)
_KINDS_WITH_TENDER = (PAYMENT, FAILED, BY_SIGN)

# Built-in words for a type column (case-insensitive); a preset's own values win.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    PAYMENT: ("payment", "pmt", "paid", "sale", "purchase", "payment received",
              "online payment", "auto payment", "autopay", "auto-pay", "recurring payment"),
    "refund": ("refund", "refunded", "partial refund", "full refund", "return"),
    "chargeback": ("chargeback", "charge back", "dispute"),
    "echeck_return": ("ach return", "echeck return", "returned echeck", "returned payment",
                      "nsf"),
    VOID: ("void", "voided", "reversal", "payment reversal"),
    FAILED: ("failed", "declined", "failed payment"),
    CHARGE: ("charge", "fee", "tuition", "invoice", "bill", "billing"),
    "payment:coupon": ("discount", "coupon", "promo", "promo code"),
    "payment:house_credit": ("credit", "account credit", "credit applied"),
    "payment:gift_card": ("gift card", "gift card redemption"),
}
DEFAULT_KINDS: dict[str, str] = {
    word: kind for kind, words in _KIND_WORDS.items() for word in words
}

# Rows whose label cell matches one of these (case-insensitive globs) are totals.
DEFAULT_TOTAL_LABELS = ("total", "total:*", "total *", "totals*", "grand total*",
                        "subtotal*", "sub-total*", "sub total*", "* total", "* total:*",
                        "* totals", "* totals:*", "* subtotal*", "* sub-total*")
# Section headings (a row with one cell) and what they mean for the rows under them.
SECTION_MEANINGS = ("failed", "voided", "skip", "")
DEFAULT_SECTIONS: dict[str, str] = {
    "*deleted*": "voided", "*voided*": "voided", "*failed*": "failed",
    "*declined*": "failed",
}


class ShapeError(ValueError):
    """A shape option a preset cannot use (an unknown kind, a bad tender)."""


@dataclass(frozen=True)
class TableShape:
    """How to read one table of an export (see the module docstring)."""

    header_row: int | None = None  # spreadsheet row of the header; None: find it
    row_kind: str | None = None  # the type column; None: the amount's sign decides
    kinds: Mapping[str, str] = field(default_factory=dict)  # type value -> kind
    group_by: str | None = None  # rows sharing this column are one transaction
    skip_labels: tuple[str, ...] = DEFAULT_TOTAL_LABELS
    sections: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SECTIONS))
    section_field: str | None = None  # "payment.tender": a heading names the value
    amount_includes_tax: bool = False  # the amount column is the line total with tax
    walk_in: str | None = None  # the customer for rows without a payer
    fixed: Mapping[str, str] = field(default_factory=dict)  # "tax_rate.name" -> value
    timezone: str | None = None  # for epoch timestamps; None: the computer's own

    def kind_of(self, value: str) -> str | None:
        """A type cell's kind: the preset's map, then the built-in words; None: unknown."""
        key = value.strip().casefold()
        own = {k.strip().casefold(): v for k, v in self.kinds.items()}
        return own.get(key) or DEFAULT_KINDS.get(key)

    def is_total_label(self, text: str) -> bool:
        lowered = " ".join(text.split()).casefold()
        return any(fnmatch.fnmatchcase(lowered, p.casefold()) for p in self.skip_labels)

    def section_meaning(self, heading: str) -> str:
        lowered = " ".join(heading.split()).casefold()
        return next((meaning for pattern, meaning in self.sections.items()
                     if fnmatch.fnmatchcase(lowered, pattern.casefold())), "")


@cache
def split_kind(kind: str) -> tuple[str, str | None]:
    """``"payment:coupon"`` -> ``("payment", "coupon")``; ``"refund"`` -> ``("refund", None)``."""
    base, _, tender = kind.partition(":")
    return base, (tender or None)


def check_kind(kind: str) -> None:
    base, tender = split_kind(kind)
    if base not in KINDS:
        raise ShapeError(f"unknown row kind {kind!r}: use one of {', '.join(KINDS)}")
    if tender is not None and (base not in _KINDS_WITH_TENDER or not is_valid_tender(tender)):
        raise ShapeError(f"row kind {kind!r}: only payment, failed and by_sign take a tender, "
                         "and it must be a canonical one (card, cash, coupon, custom:<name> …)")


def shape_to_json(shape: TableShape) -> dict[str, Any]:
    return {
        "header_row": shape.header_row,
        "row_kind": {"column": shape.row_kind, "values": dict(shape.kinds)},
        "group_by": shape.group_by,
        "skip_labels": list(shape.skip_labels),
        "sections": dict(shape.sections),
        "section_field": shape.section_field,
        "amount_includes_tax": shape.amount_includes_tax,
        "walk_in": shape.walk_in,
        "fixed": dict(shape.fixed),
        "timezone": shape.timezone,
    }


def shape_from_json(data: Mapping[str, Any]) -> TableShape:
    """The shape keys of a preset's table (all optional); ``ShapeError`` when unusable."""
    row_kind = data.get("row_kind") or {}
    if not isinstance(row_kind, Mapping):
        raise ShapeError("row_kind must be {\"column\": ..., \"values\": {...}}")
    kinds = {str(k): str(v) for k, v in (row_kind.get("values") or {}).items()}
    for kind in kinds.values():
        check_kind(kind)
    sections = {str(k): str(v) for k, v in (data.get("sections") or {}).items()} \
        if "sections" in data else dict(DEFAULT_SECTIONS)
    for meaning in sections.values():
        if meaning not in SECTION_MEANINGS:
            raise ShapeError(f"unknown section meaning {meaning!r}: use failed, voided, skip "
                             "or \"\"")
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ShapeError("header_row is the spreadsheet row number of the header (1, 2 …)")
    timezone = data.get("timezone")
    if timezone is not None:
        timezone_info(str(timezone))  # refuse an unknown zone when the preset is read
    labels = data.get("skip_labels")
    return TableShape(
        header_row=header_row,
        row_kind=row_kind.get("column") or None,
        kinds=kinds,
        group_by=data.get("group_by") or None,
        skip_labels=tuple(str(p) for p in labels) if labels is not None
        else DEFAULT_TOTAL_LABELS,
        sections=sections,
        section_field=data.get("section_field") or None,
        amount_includes_tax=bool(data.get("amount_includes_tax", False)),
        walk_in=data.get("walk_in") or None,
        fixed={str(k): str(v) for k, v in (data.get("fixed") or {}).items()},
        timezone=str(timezone) if timezone is not None else None,
    )


def timezone_info(name: str | None):  # type: ignore[no-untyped-def]
    """``None`` (the computer's own zone), UTC, or an IANA zone such as America/Chicago."""
    if name is None:
        return None
    from datetime import UTC

    if name.upper() == "UTC":
        return UTC
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, OSError, ImportError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ShapeError(f"unknown time zone {name!r}: use UTC or a name such as "
                         "America/Chicago") from exc
    except KeyError as exc:
        raise ShapeError(f"unknown time zone {name!r}: use UTC or a name such as "
                         "America/Chicago") from exc
