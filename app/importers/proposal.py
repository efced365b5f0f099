"""A preset proposed from one export: which column is which field, and the table's shape.

``ledgerbridge preset suggest`` shows this and, with ``--save``, writes it as a preset the
bookkeeper can read and edit. Everything proposed comes from the file itself: the header
names, value patterns (dates and their day/month order, amounts and their signs, payment
methods, row types), transaction IDs repeated over several rows, a last row starting with
"Total", rows without a payer. What the file cannot tell (an ambiguous date order, a
payment method or row type nobody has mapped) is asked, never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app.domain.records import is_valid_tender
from app.importers.layout import Layout, column_index, lay_out
from app.importers.mapping import DEFAULT_VALUE_MAPS, TableMapping, TableRule, header_key
from app.importers.payouts import PAYOUT_REFUSAL, looks_like_payouts
from app.importers.readers import Table
from app.importers.shape import DEFAULT_KINDS, TableShape
from app.importers.suggest import (
    KIND_HEADERS,
    ColumnSuggestion,
    guess_record_type,
    suggest_mapping,
)
from app.importers.values import date_order_evidence, has_numeric_dates, parse_money

SAMPLE_ROWS = 25
WALK_IN = "Walk-in"


@dataclass
class Proposal:
    file: str
    record_type: str
    rule: TableRule | None  # None: the file is refused (see ``refused``)
    suggestions: list[ColumnSuggestion] = field(default_factory=list)
    value_maps: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was found, in words
    questions: list[str] = field(default_factory=list)  # what only the bookkeeper can say
    refused: str | None = None


def propose(table: Table, *, match: str | None = None, sheet: str | None = None,
            date_format: str | None = None) -> Proposal:
    file = table.name.split("[", 1)[0]
    first = lay_out(table, None)
    header, rows = first.table.header, first.table.rows
    if looks_like_payouts(header):
        return Proposal(file, "payment", None, refused=PAYOUT_REFUSAL)
    record_type = guess_record_type(file, header)
    mapping, suggestions = suggest_mapping(header, rows[:SAMPLE_ROWS], record_type)
    proposal = Proposal(file, record_type, None, suggestions)
    if first.table.header_row > 1:
        proposal.notes.append(f"the header is on row {first.table.header_row}: the lines above "
                              "it are titles, skipped")
    shape = TableShape()
    if record_type == "payment":
        shape, mapping = _Ledger(header, rows, mapping, proposal).shape()
    date_format = date_format or _date_format(header, rows, mapping, proposal)
    mapping = replace(mapping, date_format=date_format, shape=shape)
    _describe_layout(lay_out(table, mapping), proposal)
    proposal.rule = TableRule(match or file, mapping, sheet)
    return proposal


class _Ledger:
    """The shape options of a payments export, read off its columns and values."""

    def __init__(self, header: list[str], rows: list[list[str]], mapping: TableMapping,
                 proposal: Proposal) -> None:
        self.header = header
        self.rows = rows
        self.columns = {t: dict(c) for t, c in mapping.columns.items()}
        self.mapping = mapping
        self.proposal = proposal

    def cells(self, name: str | None) -> list[str]:
        index = column_index(self.header, name)
        if index is None:
            return []
        return [row[index].strip() if index < len(row) else "" for row in self.rows]

    def shape(self) -> tuple[TableShape, TableMapping]:
        pay = self.columns.setdefault("payment", {})
        row_kind, kinds = self._kind_column(pay)
        group_by = self._group_by(pay.get("payment_id"))
        walk_in = self._walk_in()
        self._tenders(pay.get("tender"))
        includes_tax = self._amount_includes_tax(pay.get("amount"))
        if "payment_id" in self.columns.get("refund", {}):
            self.proposal.notes.append(f"refunds name their payment in "
                                       f"{self.columns['refund']['payment_id']!r}")
        shape = TableShape(row_kind=row_kind, kinds=kinds, group_by=group_by, walk_in=walk_in,
                           amount_includes_tax=includes_tax)
        return shape, TableMapping(self.mapping.record_type, self.columns)

    def _kind_column(self, pay: dict[str, str]) -> tuple[str | None, dict[str, str]]:
        for name in self.header:
            values = {v for v in self.cells(name) if v}
            if not values or column_index(self.header, name) is None:
                continue
            words = sum(1 for v in values if v.casefold() in DEFAULT_KINDS)
            by_header = header_key(name) in KIND_HEADERS
            tenders = sum(1 for v in values if v.casefold() in DEFAULT_VALUE_MAPS["tender"])
            if (by_header and words) or (words >= max(1, 0.8 * len(values)) and tenders < words):
                if pay.get("tender") == name:
                    del pay["tender"]  # "Payment Type" holding Payment/Refund is not a method
                    self._unsuggest(name)
                return name, self._kinds(name, values)
        if any((parse_money(v) or 0) < 0 for v in self.cells(pay.get("amount"))):
            self.proposal.notes.append("no type column: rows with a negative amount (-25.00 "
                                       "or (25.00)) are refunds, the others payments")
        return None, {}

    def _kinds(self, name: str, values: set[str]) -> dict[str, str]:
        kinds = {v: DEFAULT_KINDS[v.casefold()] for v in sorted(values)
                 if v.casefold() in DEFAULT_KINDS}
        shown = ", ".join(f"{v} → {k}" for v, k in kinds.items())
        self.proposal.notes.append(f"{name!r} tells the rows apart: {shown}")
        for value in sorted(values - set(kinds)):
            self.proposal.questions.append(
                f"row type {value!r} in {name!r} is not known: add it to row_kind.values as "
                "payment, refund, chargeback, void, failed, charge, skip or payment:<tender>")
        return kinds

    def _unsuggest(self, header: str) -> None:
        self.proposal.suggestions = [
            ColumnSuggestion(s.header, None, None, 0.0) if s.header == header else s
            for s in self.proposal.suggestions]

    def _group_by(self, id_header: str | None) -> str | None:
        ids = [v for v in self.cells(id_header) if v]
        repeated = sum(1 for count in Counter(ids).values() if count > 1)
        if not repeated:
            return None
        self.proposal.notes.append(
            f"{repeated} transaction(s) in {id_header!r} span several rows: each is one "
            "payment, with one allocation per row")
        return id_header

    def _walk_in(self) -> str | None:
        payer_headers = [h for t in ("customer", "participant")
                         for h in self.columns.get(t, {}).values()]
        if not payer_headers:
            return None
        columns = [self.cells(h) for h in payer_headers]
        amounts = self.cells(self.columns["payment"].get("amount"))
        empty = sum(1 for n in range(len(self.rows))
                    if not any(c[n] for c in columns if c) and amounts and amounts[n])
        if not empty:
            return None
        self.proposal.notes.append(f"{empty} row(s) name no payer: recorded to one customer "
                                   f"named {WALK_IN!r} (walk_in; change or remove it)")
        return WALK_IN

    def _tenders(self, tender_header: str | None) -> None:
        known = DEFAULT_VALUE_MAPS["tender"]
        values = sorted({v for v in self.cells(tender_header) if v})
        mapped = {v: known[v.casefold()] for v in values
                  if v.casefold() in known and not is_valid_tender(v)}
        if mapped:
            self.proposal.value_maps.setdefault("tender", {}).update(mapped)
        for value in values:
            if value.casefold() not in known and not is_valid_tender(value):
                self.proposal.questions.append(
                    f"payment method {value!r} is not known: add \"{value}\": "
                    f"\"custom:{value}\" (money) or a credit type (house_credit, coupon, "
                    "gift_card, other_credit) under value_maps.tender")

    def _amount_includes_tax(self, amount_header: str | None) -> bool:
        """A tax column, and another amount column that plus the tax makes the amount on
        every row: the amount is the line total with its tax."""
        tax_header = self.columns.get("payment_allocation", {}).get("tax_amount")
        if not tax_header or not amount_header:
            return False
        amounts, taxes = self.cells(amount_header), self.cells(tax_header)
        for other in self.header:
            if other in (amount_header, tax_header):
                continue
            column = self.cells(other)
            pairs = [(parse_money(a), parse_money(t), parse_money(o))
                     for a, t, o in zip(amounts, taxes, column, strict=True) if a and o]
            if pairs and all(None not in p and p[2] + p[1] == p[0] for p in pairs):  # type: ignore[operator]
                self.proposal.notes.append(f"{amount_header!r} is {other!r} plus "
                                           f"{tax_header!r}: lines are split into revenue and "
                                           "tax (amount_includes_tax)")
                return True
        return False


def _date_format(header: list[str], rows: list[list[str]], mapping: TableMapping,
                 proposal: Proposal) -> str | None:
    name = mapping.columns.get(mapping.record_type, {}).get("date")
    index = column_index(header, name)
    if index is None:
        return None
    cells = [row[index].strip() for row in rows if index < len(row)]
    orders = date_order_evidence(cells)
    if orders == {"mdy"}:
        proposal.notes.append(f"{name!r} is month first (a day above 12 comes second): %m/%d/%Y")
        return "%m/%d/%Y"
    if orders == {"dmy"}:
        proposal.notes.append(f"{name!r} is day first (a day above 12 comes first): %d/%m/%Y")
        return "%d/%m/%Y"
    if orders:
        proposal.questions.append(f"{name!r} has dates in both day/month orders: check the "
                                  "export, then give --date-format")
    elif has_numeric_dates(cells):
        proposal.questions.append(
            f"every date in {name!r} could be day/month or month/day: say which with "
            "--date-format %m/%d/%Y (US) or --date-format %d/%m/%Y")
    return None


def _describe_layout(layout: Layout, proposal: Proposal) -> None:
    for total in layout.totals:
        proposal.notes.append(f"row {total.row} is a totals row: skipped, and the rows above "
                              "it are checked against it")
    for skipped in layout.skipped:
        if skipped.reason.startswith("section heading"):
            proposal.notes.append(f"row {skipped.row} ({skipped.text!r}) is a "
                                  f"{skipped.reason}")


def merge_value_maps(proposals: Sequence[Proposal]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for proposal in proposals:
        for key, values in proposal.value_maps.items():
            merged.setdefault(key, {}).update(values)
    return merged
