"""A payments export read as a ledger: payments, refunds, voids and charges in one list.

Registration systems export transactions, not canonical files. One list holds payments,
refunds, voids, charges, credits and discounts, told apart by a type column (through the
preset's ``row_kind`` map and built-in words) or, without one, by the amount's sign; one
payment may span several item rows sharing a transaction ID (``group_by``). The reader:

1. parses the amount column once, and decides each row's kind (a blank type takes its
   transaction's; an unknown one is an error naming the value and the map to add it to);
2. groups rows by (transaction, kind) — by (transaction, kind, day) for refunds, voids and
   rows whose sign decides — and turns each group the right way up: a refund written
   ``($25.00)`` or ``25.00`` is a refund of 25.00, a payment's discount line keeps its
   sign against the payment;
3. converts each record type's rows with the ordinary converter (every cell checked, the
   referenced families, students, programs and locations derived), adding synthetic
   columns for what the ledger decided (``(id)``, ``(amount)``, ``(tender)`` …);
4. makes one payment per transaction with one allocation per item row, so a payment is
   never counted once per row; the rows of one payment must agree on its date, payer,
   tender and status;
5. leaves refunds and voids that name no payment to ``links.resolve_links`` (they may
   refund a payment in another file or an earlier import), and checks the file's own
   totals rows against its rows (``totals.check_totals``).

The reader is one class over three modules: ``ledger_parts`` (its state and reporting),
``ledger_columns`` (the converter's view: synthetic columns and mappings) and
``ledger_records`` (one record type at a time); this module decides kinds and groups.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from app.importers.convert import RecordBatch, TableResult
from app.importers.issues import ImportIssue
from app.importers.layout import Layout, column_index
from app.importers.ledger_parts import UNLINKED, ZERO, Group, LinkRequest, record_type_of
from app.importers.ledger_records import LedgerRecords
from app.importers.mapping import Preset, TableMapping
from app.importers.shape import BY_SIGN, FAILED, PAYMENT, REFUND_KINDS, SKIP, VOID, split_kind
from app.importers.totals import check_totals
from app.importers.values import money_column

__all__ = ["UNLINKED", "LinkRequest", "read_ledger"]


class LedgerReader(LedgerRecords):
    """Reads one laid-out payments table as a ledger (the module docstring)."""

    # --- reading ------------------------------------------------------------------------
    def run(self) -> TableResult:
        amount_header = self.pay.get("amount")
        if not amount_header:
            self._header_error("", "no column is mapped to the required field payment.amount")
        kinds = self._kinds()
        amounts = self._money(amount_header, "payment.amount", kinds, required=True)
        tax_header = self.mapping.columns.get("payment_allocation", {}).get("tax_amount")
        taxes = self._money(tax_header, "payment_allocation.tax_amount", kinds, required=False)
        self._column(self.id_header, "payment.payment_id")
        if self.fatal or amounts is None:
            return self._unreadable()
        groups = self._groups(kinds, amounts)
        by_type: dict[str, list[Group]] = {}
        for group in groups:
            by_type.setdefault(group.record_type, []).append(group)
        result = TableResult([], self.issues)
        if "charge" in by_type:  # first: its programs, with their locations, win
            self._read_charges(by_type["charge"], amounts, taxes, result)
        if "payment" in by_type:
            self._read_payments(by_type["payment"], amounts, taxes, result)
        for record_type in ("refund", "void"):
            if record_type in by_type:
                self._read_refunds(record_type, by_type[record_type], amounts, taxes, result)
        result.issues = _unique(self.issues)
        result.skipped = sorted(self.skipped, key=lambda s: s.row)
        if not any(issue.is_error for issue in result.issues):
            amount_index = column_index(self.table.header, amount_header)
            uncounted = self.uncounted | {i for i, k in enumerate(kinds) if k is None}
            result.issues.extend(check_totals(self.layout, amount_index, amounts, uncounted,
                                              self.table.name))
        return result

    def _unreadable(self) -> TableResult:
        batch = RecordBatch("payment", self.table.name, [], [], failed_all=True)
        return TableResult([batch], _unique(self.issues), skipped=self.skipped)

    def _money(self, header: str | None, what: str, kinds: list[str | None], *,
               required: bool) -> list[Any] | None:
        """A money column of the rows that are read (skipped rows may hold anything)."""
        cells = self._column(header, what)
        if cells is None:
            return None
        raw = self.columns.cells(header or "", strip=False) or cells
        values, errors = money_column(raw)
        for index, reason in errors:
            if kinds[index] is not None:
                self._error(index, header or "", raw[index], reason)
        if required:
            for index in [i for i, v in enumerate(values) if v is None and not cells[i]]:
                if kinds[index] is not None:
                    self._error(index, header or "", "", f"required ({what})")
        return values

    def _kinds(self) -> list[str | None]:
        """Each row's kind; None for a row set aside (skipped, or an error reported)."""
        count = self.columns.count
        column = self.shape.row_kind
        cells = self._column(column, "the row type (row_kind)") if column else None
        if cells is None:
            return self._apply_sections([BY_SIGN] * count)
        known = {value: self.shape.kind_of(value) for value in set(cells) if value}
        kinds: list[str | None] = [known.get(value) if value else "" for value in cells]
        for index in _positions(kinds, None):
            value = cells[index]
            self._error(index, column or "", value, (
                f"{value!r} is not a known row type: add it to the preset's row_kind "
                f"values, e.g. \"{value}\": \"payment\" (or refund, chargeback, void, "
                "failed, charge, skip, payment:coupon …)"))
        kinds = self._inherit_blank_kinds(kinds)
        for index in _positions(kinds, SKIP):
            self._skip(index, f"row type {cells[index]!r} is set to skip in the preset"
                       if cells[index] else "an item of a transaction set to skip")
            kinds[index] = None
        return self._apply_sections(kinds)

    def _inherit_blank_kinds(self, kinds: list[str | None]) -> list[str | None]:
        """A row with a blank type is an item of its transaction: it takes the type of the
        transaction's first typed row (else the amount's sign decides)."""
        if "" not in kinds:
            return kinds
        ids = self.columns.cells(self.id_header or "") or [""] * len(kinds)
        first: dict[str, str] = {}
        for key, kind in zip(ids, kinds, strict=True):
            if kind and key and key not in first:
                first[key] = kind
        return [first.get(key, BY_SIGN) if kind == "" else kind
                for key, kind in zip(ids, kinds, strict=True)]

    def _apply_sections(self, kinds: list[str | None]) -> list[str | None]:
        """Rows under a "Deleted" / "Failed" heading are payments with that status; other
        rows there, and rows under a heading set to skip, are not imported."""
        headings = self.layout.section_of_rows()
        if headings is None:
            return kinds
        meaning_of = {h: self.shape.section_meaning(h) for h in set(headings)}
        self.statuses = [""] * len(kinds)
        for index, heading in enumerate(headings):
            meaning, kind = meaning_of[heading], kinds[index]
            if not meaning or kind is None:
                continue
            if meaning == SKIP:
                self._skip(index, f"under the section heading {heading!r}, set to skip")
                kinds[index] = None
            elif split_kind(kind)[0] in (PAYMENT, FAILED, BY_SIGN):
                self.statuses[index] = meaning  # a by_sign refund there is skipped later
            else:
                self._skip(index, f"under the section heading {heading!r}: only payments "
                                  f"are read there (as {meaning})")
                kinds[index] = None
        return kinds

    def _groups(self, kinds: list[str | None], amounts: list[Any]) -> list[Group]:
        """Rows by (transaction, kind[, day]): runs of consecutive rows first (exports list
        a transaction's items together), then runs of one label anywhere are joined."""
        count = len(kinds)
        ids = self.columns.cells(self.id_header or "") or [""] * count
        if "" in ids:  # a row without an ID is a transaction of its own (and an error)
            ids = [key or f"\x00{n}" for n, key in enumerate(ids)]
        dated = {k for k in set(kinds) if k is not None and (
            split_kind(k)[0] in REFUND_KINDS or split_kind(k)[0] in (VOID, BY_SIGN))}
        dates = self.columns.cells(self.pay.get("date", "")) or [""] * count
        days = [d if k in dated else "" for d, k in zip(dates, kinds, strict=True)] \
            if dated else [""] * count
        members: dict[tuple[str, str | None, str], list[int]] = {}
        for index, label in enumerate(zip(ids, kinds, days, strict=True)):
            members.setdefault(label, []).append(index)
        groups: dict[tuple[str, str | None, str], Group] = {}
        for label, rows in members.items():
            if label[1] is None:
                continue
            if self.bad:
                rows = [i for i in rows if i not in self.bad]
                if not rows:
                    continue
            group = groups[label] = Group("" if label[0].startswith("\x00") else label[0],
                                           label[1])
            group.rows = rows
            group.total = amounts[rows[0]] if len(rows) == 1 else sum(
                itemgetter(*rows)(amounts), ZERO)
        out = []
        by_sign_payments: dict[tuple[str, str], Group] = {}
        for group in groups.values():
            base, tender = split_kind(group.kind)
            if base == BY_SIGN:
                # a transaction's rows of one day are one event, its sign the total's: a
                # discount line stays in its payment, a later negative row is a refund
                group.kind = "refund" if group.total < 0 else (
                    f"{PAYMENT}:{tender}" if tender else PAYMENT)
                earlier = by_sign_payments.get((group.key, group.kind))
                if group.kind != "refund" and group.key and earlier is not None:
                    earlier.rows.extend(group.rows)  # one payment: its rows must agree
                    earlier.total += group.total
                    continue
                if group.kind != "refund":
                    by_sign_payments[(group.key, group.kind)] = group
            if group.kind == "refund" and self.statuses is not None and any(
                    self.statuses[i] for i in group.rows):
                for index in group.rows:
                    self._skip(index, "a refund under a heading read as "
                                      f"{self.statuses[index]} payments: not imported")
                continue
            out.append(group)
        _name_records(out)
        return out


def read_ledger(layout: Layout, mapping: TableMapping, preset: Preset | None) -> TableResult:
    return LedgerReader(layout, mapping, preset).run()


def _name_records(groups: list[Group]) -> None:
    """Record IDs: the transaction ID; a second record of the same type on one transaction
    (a discount row beside the payment, two refunds on different days) gets a suffix."""
    slots = [(record_type_of(g.kind), g.key) for g in groups]
    if len(set(slots)) == len(slots):
        for group in groups:  # the common case: one record per transaction and type
            group.record_id = group.key
        return
    taken: dict[tuple[str, str], int] = {}
    for group in groups:
        if group.key == "":
            group.record_id = ""
            continue
        slot = (group.record_type, group.key)
        count = taken.get(slot, 0)
        taken[slot] = count + 1
        if count == 0:
            group.record_id = group.key
        else:
            base, tender = split_kind(group.kind)
            group.record_id = f"{group.key}/{tender or base}" + (
                f"/{count + 1}" if count > 1 else "")


def _positions(values: list[Any], wanted: Any) -> list[int]:
    """Where ``wanted`` is in ``values`` (one C-level scan when it is nowhere)."""
    if wanted not in values:
        return []
    return [i for i, value in enumerate(values) if value == wanted]


def _unique(issues: list[ImportIssue]) -> list[ImportIssue]:
    """Each sub-table reports a missing column or a natural key once: keep one of each."""
    return list(dict.fromkeys(issues))
