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
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import itemgetter
from typing import Any

from app.domain.records import PaymentAllocation, Refund
from app.importers.convert import (
    RecordBatch,
    TableColumns,
    TableResult,
    construct_all,
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
_PAYMENT_FIELDS_ONE_PER_TRANSACTION = ("date", "tender", "status", "customer_id", "order_id",
                                       "reference")
_DERIVED_FOR = {
    "payment": ("customer", "participant", "program", "location", "tax_rate"),
    "refund": ("customer", "participant"),
    "void": ("customer", "participant"),
    "charge": ("customer", "participant", "program", "location", "tax_rate"),
}


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


@dataclass
class _Group:
    key: str
    kind: str  # the row kind, by_sign resolved ("payment:coupon", "refund" …)
    rows: list[int] = field(default_factory=list)
    total: Decimal = ZERO
    record_id: str = ""

    @property
    def record_type(self) -> str:
        return _RECORD_OF[split_kind(self.kind)[0]]

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
        for record_type in ("charge", "payment", "refund", "void"):
            if record_type in by_type:
                self._read(record_type, by_type[record_type], amounts, taxes, result)
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
        for index, (value, kind) in enumerate(zip(cells, kinds, strict=True)):
            if kind is None:
                self._error(index, column or "", value, (
                    f"{value!r} is not a known row type: add it to the preset's row_kind "
                    f"values, e.g. \"{value}\": \"payment\" (or refund, chargeback, void, "
                    "failed, charge, skip, payment:coupon …)"))
        kinds = self._inherit_blank_kinds(kinds)
        for index, kind in enumerate(kinds):
            if kind == SKIP:
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
        ids = self.columns.cells(self.id_header or "") or [""] * len(kinds)
        dates = self.columns.cells(self.pay.get("date", "")) or [""] * len(kinds)
        groups: dict[tuple[str, str, str], _Group] = {}
        for index, (key, kind) in enumerate(zip(ids, kinds, strict=True)):
            if kind is None or index in self.bad:
                continue
            base = split_kind(kind)[0]
            dated = base in REFUND_KINDS or base in (VOID, BY_SIGN)
            day = dates[index] if dated else ""
            label = (key, kind, day) if key else (f"\x00{index}", kind, day)
            group = groups.get(label)
            if group is None:
                group = groups[label] = _Group(key, kind)
            group.rows.append(index)
            group.total += amounts[index]
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

    # --- one record type ------------------------------------------------------------------
    def _read(self, record_type: str, groups: list[_Group], amounts: list[Any],
              taxes: list[Any] | None, result: TableResult) -> None:
        rows = sorted(i for g in groups for i in g.rows)
        position = {index: n for n, index in enumerate(rows)}
        group_of = [None] * len(rows)  # type: list[_Group | None]
        for group in groups:
            for index in group.rows:
                group_of[position[index]] = group
        extra = self._synthetic(record_type, rows, group_of, amounts)
        mapping = self._mapping_for(record_type, extra)
        extra, mapping = self._named(record_type, extra, mapping)
        table, transposed = self._sub_table(rows)
        converted = convert_table(table, mapping, self.preset, extra=extra,
                                  transposed=transposed, unique_ids=False)
        result.issues.extend(map(self._walk_in_hint, converted.issues))
        result.natural_keys.update(converted.natural_keys)
        bad = {rows[j] for j in converted.bad_rows} | (self.bad & set(rows))
        derived = [b for b in converted.batches if b.derived]
        result.batches.extend(derived)
        if any(b.failed_all for b in converted.batches):
            result.batches.extend(b for b in converted.batches if b.failed_all)
            return
        if record_type == "payment":
            self._payments(converted, groups, rows, position, taxes, bad, result)
        elif record_type == "charge":
            result.batches.extend(b for b in converted.batches if not b.derived)
        else:
            self._refunds(record_type, converted, groups, position, taxes, bad, result)

    def _named(self, record_type: str, extra: dict[str, list[str]],
               mapping: TableMapping) -> tuple[dict[str, list[str]], TableMapping]:
        """Synthetic columns take the name of the export's column they stand for, so every
        error and note names a column the bookkeeper can find (the synthetic one shadows
        the original in the converter)."""
        customer = self.mapping.columns.get("customer", {})
        full = self.mapping.columns.get("participant", {}).get("full_name", "")
        names = {
            "(id)": self.id_header if record_type != "charge" else "(order)",
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

    def _sub_table(self, rows: list[int]) -> tuple[Table, list[Sequence[str]]]:
        columns = self.columns.tidied()[:len(self.table.header)]
        if len(rows) == len(self.numbers):
            return (Table(self.table.name, self.table.header, [], self.numbers), columns)
        pick = _picker(rows)
        numbers = pick(self.numbers)
        return (Table(self.table.name, self.table.header, [], numbers),
                [pick(column) for column in columns])

    def _synthetic(self, record_type: str, rows: list[int], group_of: list[Any],
                   amounts: list[Any]) -> dict[str, list[str]]:
        """The columns the ledger decides, for one record type's rows."""
        extra: dict[str, list[str]] = {
            "(id)": [g.record_id for g in group_of],
            "(amount)": [str(amounts[i] * g.orientation) for i, g in zip(rows, group_of,
                                                                         strict=True)],
        }
        self._payer_columns(rows, extra)
        if record_type == "payment":
            self._tender_and_status(rows, group_of, extra)
        elif record_type in ("refund", "void"):
            extra["(kind)"] = [split_kind(g.kind)[0] if record_type == "refund" else "refund"
                               for g in group_of]
            link = self.mapping.columns.get("refund", {}).get("payment_id")
            cells = self._column(link, "refund.payment_id") if link else None
            extra["(link)"] = ([cells[i] or UNLINKED for i in rows] if cells is not None
                               else [UNLINKED] * len(rows))
        else:
            extra["(line id)"] = _line_ids(group_of)
        if self.shape.section_field:
            headings = self.layout.section_of_rows() or [""] * len(self.numbers)
            extra["(section)"] = [headings[i].rstrip(": ") for i in rows]
        for qualified, value in self.shape.fixed.items():
            extra[f"(fixed {qualified})"] = [value] * len(rows)
        return extra

    def _payer_columns(self, rows: list[int], extra: dict[str, list[str]]) -> None:
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
                        names: Sequence[str] | None, extra: dict[str, list[str]]) -> None:
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

    def _tender_and_status(self, rows: list[int], group_of: list[Any],
                           extra: dict[str, list[str]]) -> None:
        tender_header = self.pay.get("tender")
        tenders = self.columns.cells(tender_header, strip=False) if tender_header else None
        kind_tenders = [split_kind(g.kind)[1] for g in group_of]
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
        if overrides is not None or any(split_kind(g.kind)[0] == FAILED for g in group_of):
            extra["(status)"] = [
                FAILED if split_kind(g.kind)[0] == FAILED else (
                    (overrides[i] if overrides is not None else "")
                    or (statuses[i] if statuses is not None else ""))
                for i, g in zip(rows, group_of, strict=True)]

    def _mapping_for(self, record_type: str, extra: dict[str, list[str]]) -> TableMapping:
        columns: dict[str, dict[str, str]] = {}
        for rtype in _DERIVED_FOR[record_type]:
            mapped = dict(self.mapping.columns.get(rtype, {}))
            if rtype == "customer" and "(family)" in extra:
                mapped["name"] = "(family)"
                if "(family id)" in extra:
                    mapped["customer_id"] = "(family id)"
            if rtype == "participant" and "(first name)" in extra:
                mapped.pop("full_name", None)
                mapped["first_name"], mapped["last_name"] = "(first name)", "(last name)"
            for qualified in self.shape.fixed:
                owner, _, name = qualified.partition(".")
                if owner == rtype:
                    mapped[name] = f"(fixed {qualified})"
            if self.shape.section_field and self.shape.section_field.startswith(rtype + "."):
                mapped[self.shape.section_field.partition(".")[2]] = "(section)"
            if rtype == "program" and mapped and record_type == "payment" and (
                    "location_id" not in mapped):
                # each line carries its location: a program taught at several places is
                # one program, not tied to the location of whichever row came last
                mapped["location_id"] = "(no location)"
                extra["(no location)"] = [""] * len(next(iter(extra.values())))
            if mapped:
                columns[rtype] = mapped
        own = self._own_columns(record_type, extra)
        primary = "refund" if record_type == "void" else record_type
        columns[primary] = own
        return TableMapping(primary, columns, self.mapping.date_format, self.shape)

    def _own_columns(self, record_type: str, extra: dict[str, list[str]]) -> dict[str, str]:
        pay = self.pay
        if record_type == "payment":
            own = {k: v for k, v in pay.items() if k not in ("payment_id", "amount")}
            own.update({"payment_id": "(id)", "amount": "(amount)"})
            for name in ("tender", "status"):
                if f"({name})" in extra:
                    own[name] = f"({name})"
            if self.shape.section_field and self.shape.section_field.startswith("payment."):
                own[self.shape.section_field.partition(".")[2]] = "(section)"
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
        own.setdefault("order_id", "(id)")
        own.setdefault("date", pay.get("date", ""))
        tax = self.mapping.columns.get("payment_allocation", {}).get("tax_amount")
        if tax:
            own.setdefault("tax_amount", tax)
        return own

    # --- payments: one per transaction, one allocation per row ---------------------------
    def _payments(self, converted: TableResult, groups: list[_Group], rows: list[int],
                  position: dict[int, int], taxes: list[Any] | None, bad: set[int],
                  result: TableResult) -> None:
        values = converted.values.get("payment", {})
        own = next(b for b in converted.batches if not b.derived)
        program_ids = converted.ids.get("program")
        failed = set(own.failed_keys)
        payments, payment_rows, lines = [], [], []
        for group in groups:
            members = [position[i] for i in group.rows]
            if program_ids is not None:
                self._check_programs(group, members, program_ids, bad)
            if any(i in bad for i in group.rows) or not self._agree(group, members, values):
                failed.add(group.record_id)
                continue
            allocated = program_ids is not None and program_ids[members[0]] is not None
            tax_total = ZERO
            for j, index in zip(members, group.rows, strict=True):
                tax = _oriented(taxes, index, group)
                if allocated:
                    lines.append((j, index, group, tax))
                tax_total += tax or ZERO
            amount = sum((values["amount"][j] for j in members), ZERO)
            if not self.shape.amount_includes_tax:
                amount += tax_total
            first = members[0]
            if (values.get("status") or [None] * len(rows))[first] not in (None, "completed"):
                self.uncounted.update(group.rows)
            # the family pays: a student is the payer only of a payment with no family
            customer = (values.get("customer_id") or [None] * len(rows))[first]
            participant = values.get("participant_id")
            payer = participant[first] if customer is None and participant is not None and len(
                {participant[j] for j in members}) == 1 else None
            payments.append((first, amount, payer))
            payment_rows.append(self.numbers[group.rows[0]])
        records = [_payment(own, values, first, amount, payer)
                   for first, amount, payer in payments]
        result.batches.append(RecordBatch("payment", self.table.name, records, payment_rows,
                                          failed_keys=failed, failed_refs=own.failed_refs))
        if program_ids is not None:
            result.batches.append(self._allocations(converted, lines))

    def _check_programs(self, group: _Group, members: list[int], program_ids: list[Any],
                        bad: set[int]) -> None:
        """A payment whose rows name no program is unallocated (a plain payment row); one
        that names programs on some rows only cannot be split: an error on the others."""
        missing = [index for j, index in zip(members, group.rows, strict=True)
                   if program_ids[j] is None]
        if not missing or len(missing) == len(members):
            return
        header = self.mapping.columns.get("program", {}).get("name") or next(
            iter(self.mapping.columns.get("program", {}).values()), "")
        for index in missing:
            if index not in bad:
                self._error(index, header, "", f"no program on this row, though other rows "
                            f"of transaction {group.key} name one: each line of a split "
                            "payment is allocated to a program (class, item, category)")
                bad.add(index)

    def _agree(self, group: _Group, members: list[int], values: dict[str, Any]) -> bool:
        """The rows of one payment must agree on what is one per payment."""
        if len(members) == 1:
            return True
        for name in _PAYMENT_FIELDS_ONE_PER_TRANSACTION:
            column = values.get(name)
            if column is None:
                continue
            first = column[members[0]]
            for j, index in zip(members[1:], group.rows[1:], strict=True):
                if column[j] != first and column[j] is not None:
                    header = self.pay.get(name, name)
                    self._error(index, header, str(column[j]), (
                        f"the rows of transaction {group.key} differ in {name}: "
                        f"{first} on row {self.numbers[group.rows[0]]}, {column[j]} here"))
                    return False
        return True

    def _allocations(self, converted: TableResult, lines: list[tuple]) -> RecordBatch:  # type: ignore[type-arg]
        ids = converted.ids
        includes_tax = self.shape.amount_includes_tax
        amounts = converted.values["payment"]["amount"]
        payment_ids, programs, values, locations, rates, tax_values = [], [], [], [], [], []
        location_ids, rate_ids = ids.get("location"), ids.get("tax_rate")
        for j, _index, group, tax in lines:
            payment_ids.append(group.record_id)
            programs.append(ids["program"][j])
            values.append(amounts[j] - tax if includes_tax and tax is not None else amounts[j])
            locations.append(location_ids[j] if location_ids is not None else None)
            rates.append(rate_ids[j] if rate_ids is not None else None)
            tax_values.append(tax)
        names = ["payment_id", "program_id", "amount", "location_id", "tax_rate_id",
                 "tax_amount"]
        records = construct_all(PaymentAllocation, names,
                                [payment_ids, programs, values, locations, rates, tax_values],
                                len(lines))
        rows = [self.numbers[index] for _, index, _, _ in lines]
        return RecordBatch("payment_allocation", self.table.name, records, rows,
                           quiet_merge=True)

    # --- refunds and voids ----------------------------------------------------------------
    def _refunds(self, record_type: str, converted: TableResult, groups: list[_Group],
                 position: dict[int, int], taxes: list[Any] | None, bad: set[int],
                 result: TableResult) -> None:
        values = converted.values.get("refund", {})
        own = next(b for b in converted.batches if not b.derived)
        payers = _payers(converted.ids, len(position))
        failed = set(own.failed_keys)
        records: list[Refund] = []
        record_rows: list[int] = []
        requests: list[LinkRequest] = []
        for group in groups:
            members = [position[i] for i in group.rows]
            if any(i in bad for i in group.rows):
                failed.add(group.record_id)
                continue
            first = members[0]
            amount = sum((values["amount"][j] for j in members), ZERO)
            if not self.shape.amount_includes_tax:  # money paid back includes its tax
                amount += sum((_oriented(taxes, i, group) or ZERO for i in group.rows), ZERO)
            if amount <= 0:
                self._error(group.rows[0], self.pay.get("amount", ""), str(amount),
                            f"a {record_type} is money paid back: above zero")
                failed.add(group.record_id)
                continue
            refund = Refund(group.record_id, values["payment_id"][first], values["date"][first],
                            amount, values["kind"][first] or "refund",
                            (values.get("tender") or [None] * len(position))[first])
            request = LinkRequest(record_type, refund, group.key, payers[first],
                                  self.table.name, self.numbers[group.rows[0]])
            if record_type == "void":
                requests.append(request)
                continue
            if refund.payment_id == UNLINKED:
                request.index = len(records)
                requests.append(request)
            records.append(refund)
            record_rows.append(self.numbers[group.rows[0]])
        if record_type == "refund":
            batch = RecordBatch("refund", self.table.name, records, record_rows,
                                failed_keys=failed,
                                failed_refs=[r for r in own.failed_refs if r[2] != UNLINKED])
            for request in requests:
                request.batch = batch
            result.batches.append(batch)
        result.links.extend(requests)


def read_ledger(layout: Layout, mapping: TableMapping, preset: Preset | None) -> TableResult:
    return LedgerReader(layout, mapping, preset).run()


# --- helpers ----------------------------------------------------------------------------


def _name_records(groups: list[_Group]) -> None:
    """Record IDs: the transaction ID; a second record of the same type on one transaction
    (a discount row beside the payment, two refunds on different days) gets a suffix."""
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


def _oriented(taxes: list[Any] | None, index: int, group: _Group) -> Decimal | None:
    if taxes is None or taxes[index] is None:
        return None
    return taxes[index] * group.orientation


def _has_student(index: int, student: Sequence[str] | None,
                 parts: list[Sequence[str] | None]) -> bool:
    if student is not None and student[index]:
        return True
    return any(p is not None and p[index] for p in parts)


def _payers(ids: dict[str, list[Any]], count: int) -> list[str | None]:
    customers = ids.get("customer") or [None] * count
    participants = ids.get("participant") or [None] * count
    return [c or p for c, p in zip(customers, participants, strict=True)]


def _payment(own: RecordBatch, values: dict[str, Any], first: int, amount: Decimal,
             participant: str | None) -> Any:
    from app.domain.records import Payment

    def get(name: str, default: Any = None) -> Any:
        column = values.get(name)
        return column[first] if column is not None else default

    return Payment(get("payment_id"), get("date"), get("tender"), amount,
                   get("customer_id"), participant, get("order_id"),
                   get("status") or "completed", get("reference"))


def _unique(issues: list[ImportIssue]) -> list[ImportIssue]:
    """Each sub-table reports a missing column or a natural key once: keep one of each."""
    return list(dict.fromkeys(issues))

