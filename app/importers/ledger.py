"""A payments export read as a ledger: payments, refunds, voids and charges in one list.

Registration systems export transactions, not canonical files. One list holds payments,
refunds, voids, charges, credits and discounts, told apart by a type column (through the
preset's ``row_kind`` map and built-in words) or, without one, by the amount's sign; one
payment may span several item rows sharing a transaction ID (``group_by``). The reader:

1. parses the amount column once, and decides each row's kind (a blank type takes its
   transaction's; an unknown one is an error naming the value and the map to add it to);
2. groups rows by (transaction, kind) — by (transaction, kind, date) for refunds and voids
   — and turns each group the right way up: a refund written ``($25.00)`` or ``25.00``
   is a refund of 25.00, a payment's discount line keeps its sign against the payment;
3. converts each record type's rows with the ordinary converter (every cell checked, the
   referenced families, students, programs and locations derived), adding synthetic
   columns for what the ledger decided (``(id)``, ``(amount)``, ``(tender)`` …);
4. makes one payment per transaction with one allocation per item row, so a payment is
   never counted once per row; the rows of one payment must agree on its date, payer,
   tender and status;
5. leaves refunds and voids that name no payment to ``links.resolve_links`` (they may
   refund a payment in another file or an earlier import), and checks the file's own
   totals rows against its rows (``totals.check_totals``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any

from app.domain.records import Refund
from app.importers.convert import (
    Preconverted,
    RecordBatch,
    TableColumns,
    TableResult,
    convert_table,
)
from app.importers.issues import HEADER_ROW, ImportIssue
from app.importers.layout import Layout, SkippedRow, column_index
from app.importers.mapping import Preset, TableMapping
from app.importers.names import family_name, split_full_name
from app.importers.readers import Table
from app.importers.shape import (
    BY_SIGN,
    CHARGE,
    FAILED,
    PAYMENT,
    REFUND_KINDS,
    SKIP,
    VOID,
    split_kind,
)
from app.importers.totals import check_totals
from app.importers.values import money_column

ZERO = Decimal(0)
# refund.payment_id of a refund or void that names no payment, until links.py finds it
UNLINKED = "\x00unlinked"
_RECORD_OF = {PAYMENT: "payment", FAILED: "payment", **dict.fromkeys(REFUND_KINDS, "refund"),
              VOID: "void", CHARGE: "charge"}
# what a payment has one of, however many item rows it spans
_ONE_PER_TRANSACTION = ("date", "tender", "status", "order_id", "reference", "customer_id",
                        "participant_id")


@dataclass
class LinkRequest:
    """A refund or void whose payment is found across the whole import (links.py)."""

    kind: str  # "refund" | "void"
    record: Refund  # a void is read as a refund of the whole payment
    key: str  # the row's transaction ID
    payer: str | None  # the customer (else participant) key on the row
    file: str
    row: int
    batch: RecordBatch | None = None  # refunds: where the record is, to be replaced
    index: int = -1


class _Group:
    """The rows of one transaction of one kind: one record."""

    __slots__ = ("key", "kind", "record_id", "rows", "total")

    def __init__(self, key: str, kind: str) -> None:
        self.key = key
        self.kind = kind  # the row kind, by_sign resolved ("payment:coupon", "refund" …)
        self.rows: list[int] = []
        self.total: Decimal = ZERO
        self.record_id = ""

    @property
    def record_type(self) -> str:
        return _record_type_of(self.kind)

    @property
    def orientation(self) -> int:
        return -1 if self.total < 0 else 1


class LedgerReader:
    def __init__(self, layout: Layout, mapping: TableMapping, preset: Preset | None) -> None:
        self.layout = layout
        self.table = layout.table
        self.mapping = mapping
        self.shape = mapping.shape
        self.preset = preset
        self.issues: list[ImportIssue] = []
        self.skipped: list[SkippedRow] = list(layout.skipped)
        self.columns = TableColumns(self.table, self.issues, clean=True)
        self.numbers = self.table.row_numbers
        self.pay = dict(mapping.columns.get("payment", {}))
        self.id_header = self.shape.group_by or self.pay.get("payment_id")
        self.bad: set[int] = set()
        self.uncounted: set[int] = set()  # rows that are not money moved (for totals)
        self.fatal = False

    # --- reporting ----------------------------------------------------------------------
    def _error(self, index: int, header: str, value: str, reason: str) -> None:
        self.bad.add(index)
        self.issues.append(ImportIssue(self.table.name, self.numbers[index], header, value,
                                       reason))

    def _header_error(self, header: str, reason: str) -> None:
        self.fatal = True
        self.issues.append(ImportIssue(self.table.name, HEADER_ROW, header, "", reason))

    def _skip(self, index: int, reason: str) -> None:
        row = self.table.rows[index]
        text = " | ".join(c.strip() for c in row if c.strip())
        self.skipped.append(SkippedRow(self.numbers[index], reason, text[:120]))

    def _column(self, header: str | None, what: str) -> Sequence[str] | None:
        if not header:
            return None
        cells = self.columns.cells(header)
        if cells is None:
            self._header_error(header, f"column not found in the file (mapped to {what})")
        return cells

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
        by_type: dict[str, list[_Group]] = {}
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
        self.statuses: list[str] | None = None
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

    def _groups(self, kinds: list[str | None], amounts: list[Any]) -> list[_Group]:
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
        groups: dict[tuple[str, str | None, str], _Group] = {}
        for label, rows in members.items():
            if label[1] is None:
                continue
            if self.bad:
                rows = [i for i in rows if i not in self.bad]
                if not rows:
                    continue
            group = groups[label] = _Group("" if label[0].startswith("\x00") else label[0],
                                           label[1])
            group.rows = rows
            group.total = amounts[rows[0]] if len(rows) == 1 else sum(
                itemgetter(*rows)(amounts), ZERO)
        out = []
        by_sign_payments: dict[tuple[str, str], _Group] = {}
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

    # --- one record type at a time ----------------------------------------------------------
    def _convert(self, record_type: str, rows: list[int], extra: dict[str, list[Any]],
                 derived: Sequence[str], result: TableResult) -> TableResult:
        """Convert these rows of the table as ``record_type`` with the ordinary converter
        (every cell checked, referenced records derived), with the ledger's columns added."""
        mapping = self._mapping_for(record_type, rows, extra, derived)
        extra, mapping = self._named(record_type, extra, mapping)
        table, transposed = self._sub_table(rows)
        converted = convert_table(table, mapping, self.preset, extra=extra,
                                  transposed=transposed, unique_ids=False, stripped=True)
        result.issues.extend(map(self._walk_in_hint, converted.issues))
        result.natural_keys.update(converted.natural_keys)
        result.batches.extend(b for b in converted.batches if b.derived)
        self.bad.update(rows[j] for j in converted.bad_rows)
        return converted

    def _read_payments(self, groups: list[_Group], amounts: list[Any],
                       taxes: list[Any] | None, result: TableResult) -> None:
        """One payment per transaction, from its first row; its amount the rows' sum."""
        self._agree(groups)
        firsts = [g.rows[0] for g in groups]
        extra: dict[str, list[Any]] = {
            "(id)": [g.record_id for g in groups],
            "(amount)": self._record_amounts(groups, taxes)}
        self._payer_columns(firsts, extra)
        self._tender_and_status(firsts, groups, extra)
        converted = self._convert("payment", firsts, extra, ("customer", "participant"),
                                  result)
        own = _own_batch(converted)
        if own.failed_all:
            result.batches.append(own)
            return
        allocated = "program" in self.mapping.columns
        if allocated:
            allocations = self._read_allocations(groups, amounts, taxes, result)
        failed = {g.record_id for g in groups if any(i in self.bad for i in g.rows)} \
            if self.bad else set()
        payments = _without(own, failed, "payment_id")
        payments.failed_keys |= failed
        result.batches.append(payments)
        if allocated:
            result.batches.append(_without(allocations, failed, "payment_id"))
        unpaid = {p.payment_id for p in payments.records if p.status != "completed"}
        for group in (g for g in groups if g.record_id in unpaid) if unpaid else ():
            self.uncounted.update(group.rows)

    def _record_amounts(self, groups: list[_Group], taxes: list[Any] | None) -> Preconverted:
        """Each transaction's total, the right way up, with its tax unless the amounts
        include it already."""
        totals = Preconverted(g.total if g.total >= 0 else -g.total for g in groups)
        if taxes is None or self.shape.amount_includes_tax:
            return totals
        for n, group in enumerate(groups):
            rows = group.rows
            tax = taxes[rows[0]] if len(rows) == 1 else sum(
                filter(None, itemgetter(*rows)(taxes)), ZERO)
            if tax:
                totals[n] += tax if group.total >= 0 else -tax
        return totals

    def _read_allocations(self, groups: list[_Group], amounts: list[Any],
                          taxes: list[Any] | None, result: TableResult) -> RecordBatch:
        """One allocation per item row: its program, location, amount and tax."""
        rows = sorted(i for g in groups for i in g.rows)
        group_at = {i: g for g in groups for i in g.rows}
        flipped = {i for g in groups if g.total < 0 for i in g.rows}
        lines = Preconverted(amounts[i] if i not in flipped else -amounts[i] for i in rows)
        line_taxes = Preconverted(
            None if taxes is None or taxes[i] is None
            else (taxes[i] if i not in flipped else -taxes[i]) for i in rows)
        if taxes is not None and self.shape.amount_includes_tax:
            lines = Preconverted(a - t if t is not None else a
                                 for a, t in zip(lines, line_taxes, strict=True))
        extra: dict[str, list[Any]] = {"(id)": [group_at[i].record_id for i in rows],
                                       "(line amount)": lines, "(line tax)": line_taxes}
        derived: tuple[str, ...] = ("program", "location", "tax_rate")
        if "participant" in self.mapping.columns:  # every student of a split payment
            self._payer_columns(rows, extra)
            derived += ("customer", "participant")
        converted = self._convert("payment_allocation", rows, extra, derived, result)
        own = _own_batch(converted)
        programs = converted.ids.get("program") or [None] * len(rows)
        unallocated = self._check_programs(rows, programs, group_at)
        return _without(own, unallocated, "payment_id", quiet_merge=True)

    def _check_programs(self, rows: list[int], programs: list[Any],
                        group_at: dict[int, _Group]) -> set[str]:
        """A payment whose rows name no program is unallocated (a plain payment row); one
        naming programs on some rows only cannot be split: an error on the others. Returns
        the payments left unallocated."""
        missing = [(j, index) for j, index in enumerate(rows) if programs[j] is None]
        if not missing:
            return set()
        header = self.mapping.columns.get("program", {}).get("name") or next(
            iter(self.mapping.columns.get("program", {}).values()), "")
        position = {index: j for j, index in enumerate(rows)}
        unallocated = set()
        for _, index in missing:
            group = group_at[index]
            if all(programs[position[i]] is None for i in group.rows):
                unallocated.add(group.record_id)
            elif index not in self.bad:
                self._error(index, header, "", f"no program on this row, though other rows "
                            f"of transaction {group.key} name one: each line of a split "
                            "payment is allocated to a program (class, item, category)")
        return unallocated

    def _agree(self, groups: list[_Group]) -> None:
        """The rows of one transaction must agree on what is one per payment (a blank cell
        on an item row is fine: exports often fill them on the first row only)."""
        split = [g for g in groups if len(g.rows) > 1]
        if not split:
            return
        headers = [self.pay.get(name) for name in _ONE_PER_TRANSACTION]
        customer = self.mapping.columns.get("customer", {})
        headers += [customer.get("name"), customer.get("customer_id")]
        later = [i for g in split for i in g.rows[1:]]
        firsts = [g.rows[0] for g in split for _ in g.rows[1:]]
        for header in dict.fromkeys(h for h in headers if h):
            cells = self.columns.cells(header or "")
            if cells is None:
                continue
            theirs = _picker(later)(cells)
            if theirs == _picker(firsts)(cells):
                continue  # every item row repeats its transaction's value (compared in C)
            if any(a and a != cells[f] for a, f in zip(theirs, firsts, strict=True)):
                for group in split:
                    self._disagreement(group, header, cells)

    def _disagreement(self, group: _Group, header: str, cells: Sequence[str]) -> None:
        first = cells[group.rows[0]]
        other = next((i for i in group.rows[1:] if cells[i] and cells[i] != first), None)
        if other is not None and other not in self.bad:
            self._error(other, header, cells[other], (
                f"the rows of transaction {group.key} differ in {header}: {first!r} on row "
                f"{self.numbers[group.rows[0]]}, {cells[other]!r} here"))

    def _read_refunds(self, record_type: str, groups: list[_Group], amounts: list[Any],
                      taxes: list[Any] | None, result: TableResult) -> None:
        """Refunds (and voids, read as refunds of a whole payment) from each group's first
        row; those naming no payment are linked across the import (links.py)."""
        firsts = [g.rows[0] for g in groups]
        totals = self._record_amounts(groups, taxes)
        link = self.mapping.columns.get("refund", {}).get("payment_id")
        links = self._column(link, "refund.payment_id") if link else None
        extra: dict[str, list[Any]] = {
            "(id)": [g.record_id for g in groups], "(amount)": totals,
            "(kind)": [split_kind(g.kind)[0] if record_type == "refund" else "refund"
                       for g in groups],
            "(link)": [links[i] or UNLINKED for i in firsts] if links is not None
            else [UNLINKED] * len(firsts)}
        self._payer_columns(firsts, extra)
        converted = self._convert(record_type, firsts, extra, ("customer", "participant"),
                                  result)
        own = _own_batch(converted)
        if own.failed_all:
            result.batches.append(own)
            return
        payers = _payers(converted.ids, len(firsts))
        records: list[Refund] = []
        rows: list[int] = []
        requests: list[LinkRequest] = []
        made = iter(own.records)
        for j, (group, total) in enumerate(zip(groups, totals, strict=True)):
            if j in converted.bad_rows:
                continue
            refund = next(made)
            if any(i in self.bad for i in group.rows):
                own.failed_keys.add(group.record_id)
                continue
            if total <= 0:
                self._error(group.rows[0], self.pay.get("amount", ""), str(total),
                            f"a {record_type} is money paid back: above zero")
                own.failed_keys.add(group.record_id)
                continue
            request = LinkRequest(record_type, refund, group.key, payers[j], self.table.name,
                                  self.numbers[group.rows[0]])
            if record_type == "void":
                requests.append(request)
                continue
            if refund.payment_id == UNLINKED:
                request.index = len(records)
                requests.append(request)
            records.append(refund)
            rows.append(self.numbers[group.rows[0]])
        if record_type == "refund":
            batch = RecordBatch("refund", self.table.name, records, rows,
                                failed_keys=own.failed_keys,
                                failed_refs=[r for r in own.failed_refs if r[2] != UNLINKED])
            for request in requests:
                request.batch = batch
            result.batches.append(batch)
        result.links.extend(requests)

    def _read_charges(self, groups: list[_Group], amounts: list[Any], taxes: list[Any] | None,
                      result: TableResult) -> None:
        """Each row a charge; rows sharing a transaction are the lines of one order."""
        rows = sorted(i for g in groups for i in g.rows)
        group_at = {i: g for g in groups for i in g.rows}
        extra: dict[str, list[Any]] = {
            "(line id)": _line_ids([group_at[i] for i in rows]),
            "(order)": [group_at[i].record_id for i in rows],
            "(amount)": Preconverted(amounts[i] * group_at[i].orientation for i in rows)}
        self._payer_columns(rows, extra)
        converted = self._convert("charge", rows, extra,
                                  ("customer", "participant", "program", "location",
                                   "tax_rate"), result)
        result.batches.append(_own_batch(converted))

    # --- the converter's view of the ledger ------------------------------------------------
    def _named(self, record_type: str, extra: dict[str, list[Any]],
               mapping: TableMapping) -> tuple[dict[str, list[Any]], TableMapping]:
        """Synthetic columns take the name of the export's column they stand for, so every
        error and note names a column the bookkeeper can find (the synthetic one shadows
        the original in the converter)."""
        customer = self.mapping.columns.get("customer", {})
        full = self.mapping.columns.get("participant", {}).get("full_name", "")
        names = {
            "(id)": self.id_header,
            "(line id)": self.id_header,
            "(amount)": self.pay.get("amount"),
            "(tender)": self.pay.get("tender"),
            "(status)": self.pay.get("status"),
            "(family)": customer.get("name"),
            "(family id)": customer.get("customer_id"),
            "(first name)": f"{full} (first name)",
            "(last name)": f"{full} (last name)",
            "(link)": self.mapping.columns.get("refund", {}).get("payment_id"),
            "(kind)": self.shape.row_kind,
        }
        rename = {key: names.get(key) or key for key in extra}
        columns = {rtype: {f: rename.get(h, h) for f, h in fields_.items()}
                   for rtype, fields_ in mapping.columns.items()}
        named = {rename[key]: cells for key, cells in extra.items()}
        return named, TableMapping(mapping.record_type, columns, mapping.date_format,
                                   mapping.shape)

    def _walk_in_hint(self, issue: ImportIssue) -> ImportIssue:
        """A ledger row without a payer: say how a bookkeeper records walk-in sales."""
        if not issue.reason.startswith("a payment needs customer_id or participant_id"):
            return issue
        payer = (self.mapping.columns.get("customer", {}).get("name")
                 or next(iter(self.mapping.columns.get("participant", {}).values()),
                         issue.column))
        return replace(issue, column=payer, reason=(
            "no payer on this row (no family or student): a walk-in sale? set walk_in in "
            "the preset (e.g. \"walk_in\": \"Walk-in\") to record such rows to one customer"))

    def _sub_table(self, rows: list[int]) -> tuple[Table, Any]:
        columns = self.columns.stripped_columns()[:len(self.table.header)]
        if len(rows) == len(self.numbers):
            return (Table(self.table.name, self.table.header, [], self.numbers), columns)
        pick = _picker(rows)
        numbers = pick(self.numbers)
        return (Table(self.table.name, self.table.header, [], numbers),
                _PickedColumns(columns, pick))

    def _payer_columns(self, rows: list[int], extra: dict[str, list[Any]]) -> None:
        """The family's name tidied (``Smith/Jones`` = ``Smith / Jones``); walk-in rows;
        a student's whole name split into first and last."""
        customer = self.mapping.columns.get("customer", {})
        participant = self.mapping.columns.get("participant", {})
        names = self.columns.cells(customer.get("name", "")) if "name" in customer else None
        student = (self.columns.cells(participant["full_name"])
                   if "full_name" in participant else None)
        student_parts = [self.columns.cells(participant[f]) for f in ("first_name", "last_name")
                         if f in participant]
        if names is not None:
            tidy = {name: family_name(name) for name in set(names)}
            families = [tidy[names[i]] for i in rows]
            walk_in = self.shape.walk_in
            if walk_in:
                for n, index in enumerate(rows):
                    if not families[n] and not _has_student(index, student, student_parts):
                        families[n] = walk_in
                ids_header = customer.get("customer_id")
                ids = self.columns.cells(ids_header) if ids_header else None
                if ids is not None:
                    extra["(family id)"] = [ids[i] or (walk_in if families[n] == walk_in else "")
                                            for n, i in enumerate(rows)]
            extra["(family)"] = families
        if student is not None:
            self._split_students(rows, student, participant["full_name"], names, extra)

    def _split_students(self, rows: list[int], student: Sequence[str], header: str,
                        names: Sequence[str] | None, extra: dict[str, list[Any]]) -> None:
        first, last = [], []
        for index in rows:
            whole = student[index]
            parts = split_full_name(whole, names[index] if names is not None else None) \
                if whole else ("", "")
            if parts is None:
                self._error(index, header, whole, "a student's name needs a first and a last "
                            "name (one word, and no family name to take the surname from)")
                parts = ("", "")
            first.append(parts[0])
            last.append(parts[1])
        extra["(first name)"], extra["(last name)"] = first, last

    def _tender_and_status(self, rows: list[int], groups: list[_Group],
                           extra: dict[str, list[Any]]) -> None:
        """A kind's tender (a discount row is a coupon) or a heading's; a failed kind's or
        a failed/deleted section's status."""
        tender_header = self.pay.get("tender")
        tenders = self.columns.cells(tender_header, strip=False) if tender_header else None
        kind_tenders = [split_kind(g.kind)[1] for g in groups]
        section = self.shape.section_field == "payment.tender"
        headings = self.layout.section_of_rows() if section else None
        if any(kind_tenders) or section:
            extra["(tender)"] = [
                t or (headings[i].rstrip(": ") if headings is not None and not (
                    tenders and tenders[i].strip()) else (tenders[i] if tenders else ""))
                for i, t in zip(rows, kind_tenders, strict=True)]
        status_header = self.pay.get("status")
        statuses = self.columns.cells(status_header) if status_header else None
        overrides = self.statuses
        if overrides is not None or any(split_kind(g.kind)[0] == FAILED for g in groups):
            extra["(status)"] = [
                FAILED if split_kind(g.kind)[0] == FAILED else (
                    (overrides[i] if overrides is not None else "")
                    or (statuses[i] if statuses is not None else ""))
                for i, g in zip(rows, groups, strict=True)]

    def _mapping_for(self, record_type: str, rows: list[int], extra: dict[str, list[Any]],
                     derived: Sequence[str]) -> TableMapping:
        count = len(rows)
        columns: dict[str, dict[str, str]] = {}
        for rtype in derived:
            mapped = dict(self.mapping.columns.get(rtype, {}))
            if rtype == "customer" and "(family)" in extra:
                mapped["name"] = "(family)"
                if "(family id)" in extra:
                    mapped["customer_id"] = "(family id)"
            if rtype == "participant" and "(first name)" in extra:
                mapped.pop("full_name", None)
                mapped["first_name"], mapped["last_name"] = "(first name)", "(last name)"
            for qualified, value in self.shape.fixed.items():
                owner, _, name = qualified.partition(".")
                if owner == rtype:
                    mapped[name] = f"(fixed {qualified})"
                    extra[f"(fixed {qualified})"] = [value] * count
            if rtype == "program" and mapped and record_type == "payment_allocation" and (
                    "location_id" not in mapped):
                # each line carries its location: a program taught at several places is
                # one program, not tied to the location of whichever row came last
                mapped["location_id"] = "(no location)"
                extra["(no location)"] = [""] * count
            if mapped:
                columns[rtype] = mapped
        primary = "refund" if record_type == "void" else record_type
        columns[primary] = self._own_columns(record_type, extra)
        if primary == "payment" and "customer" in columns and "participant" in columns:
            columns["payment"]["participant_id"] = "(no participant)"  # the family pays
            extra["(no participant)"] = [""] * count
        field_ = self.shape.section_field
        if field_ and field_ != "payment.tender" and field_.partition(".")[0] in columns:
            owner, _, name = field_.partition(".")
            headings = self.layout.section_of_rows() or [""] * len(self.numbers)
            columns[owner][name] = "(section)"
            extra["(section)"] = [headings[i].rstrip(": ") for i in rows]
        return TableMapping(primary, columns, self.mapping.date_format, self.shape)

    def _own_columns(self, record_type: str, extra: dict[str, list[Any]]) -> dict[str, str]:
        pay = self.pay
        if record_type == "payment":
            own = {k: v for k, v in pay.items() if k not in ("payment_id", "amount")}
            own.update({"payment_id": "(id)", "amount": "(amount)"})
            for name in ("tender", "status"):
                if f"({name})" in extra:
                    own[name] = f"({name})"
            return own
        if record_type == "payment_allocation":
            own = {"payment_id": "(id)", "amount": "(line amount)"}
            if self.mapping.columns.get("payment_allocation", {}).get("tax_amount"):
                own["tax_amount"] = "(line tax)"
            return own
        if record_type in ("refund", "void"):
            mapped = dict(self.mapping.columns.get("refund", {}))
            own = {"refund_id": "(id)", "amount": "(amount)", "kind": "(kind)",
                   "payment_id": "(link)"}
            own["date"] = mapped.get("date") or pay.get("date", "")
            tender = mapped.get("tender") or pay.get("tender")
            if tender:
                own["tender"] = tender
            return own
        mapped = dict(self.mapping.columns.get("charge", {}))
        own = {**{k: v for k, v in mapped.items() if k not in ("charge_id", "amount")},
               "charge_id": "(line id)", "amount": "(amount)"}
        own.setdefault("order_id", "(order)")
        own.setdefault("date", pay.get("date", ""))
        tax = self.mapping.columns.get("payment_allocation", {}).get("tax_amount")
        if tax:
            own.setdefault("tax_amount", tax)
        return own


def read_ledger(layout: Layout, mapping: TableMapping, preset: Preset | None) -> TableResult:
    return LedgerReader(layout, mapping, preset).run()


# --- helpers ----------------------------------------------------------------------------


@cache
def _record_type_of(kind: str) -> str:
    return _RECORD_OF[split_kind(kind)[0]]


def _name_records(groups: list[_Group]) -> None:
    """Record IDs: the transaction ID; a second record of the same type on one transaction
    (a discount row beside the payment, two refunds on different days) gets a suffix."""
    slots = [(_record_type_of(g.kind), g.key) for g in groups]
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


def _line_ids(group_of: list[Any]) -> list[str]:
    """A charge's ID: its transaction's, numbered when the transaction has several lines."""
    seen: dict[int, int] = {}
    out = []
    for group in group_of:
        n = seen.get(id(group), 0) + 1
        seen[id(group)] = n
        out.append(group.record_id if len(group.rows) == 1 else f"{group.record_id}-{n}")
    return out


def _picker(rows: list[int]):  # type: ignore[no-untyped-def]
    if not rows:
        return lambda column: []
    if len(rows) == 1:
        return lambda column: [column[rows[0]]]
    getter = itemgetter(*rows)
    return lambda column: list(getter(column))


def _has_student(index: int, student: Sequence[str] | None,
                 parts: list[Sequence[str] | None]) -> bool:
    if student is not None and student[index]:
        return True
    return any(p is not None and p[index] for p in parts)


def _payers(ids: dict[str, list[Any]], count: int) -> list[str | None]:
    customers = ids.get("customer") or [None] * count
    participants = ids.get("participant") or [None] * count
    return [c or p for c, p in zip(customers, participants, strict=True)]


def _positions(values: list[Any], wanted: Any) -> list[int]:
    """Where ``wanted`` is in ``values`` (one C-level scan when it is nowhere)."""
    if wanted not in values:
        return []
    return [i for i, value in enumerate(values) if value == wanted]


class _PickedColumns(list):  # type: ignore[type-arg]
    """A sub-table's columns, each picked from the table's only when the converter reads
    it (most columns of a wide export are not mapped)."""

    def __init__(self, columns: Sequence[Sequence[str]], pick: Any) -> None:
        super().__init__([None] * len(columns))
        self._columns = columns
        self._pick = pick

    def __getitem__(self, index: Any) -> Any:
        value = super().__getitem__(index)
        if value is None and isinstance(index, int) and index < len(self._columns):
            value = self._pick(self._columns[index])
            super().__setitem__(index, value)
        return value


def _own_batch(converted: TableResult) -> RecordBatch:
    return next(b for b in converted.batches if not b.derived)


def _without(batch: RecordBatch, failed: set[str], name: str, *,
             quiet_merge: bool = False) -> RecordBatch:
    """The batch without the records of failed transactions (and of unallocated ones)."""
    if failed:
        keep = [n for n, r in enumerate(batch.records) if getattr(r, name) not in failed]
        if len(keep) != len(batch.records):
            batch = replace(batch, records=[batch.records[n] for n in keep],
                            rows=[batch.rows[n] for n in keep], columns={})
    return replace(batch, quiet_merge=quiet_merge) if quiet_merge else batch


def _unique(issues: list[ImportIssue]) -> list[ImportIssue]:
    """Each sub-table reports a missing column or a natural key once: keep one of each."""
    return list(dict.fromkeys(issues))

