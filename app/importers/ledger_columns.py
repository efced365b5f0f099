"""The converter's view of a ledger: the synthetic columns the ledger decides (a
transaction's ID and summed amount, a kind's tender, a section's status, a tidied family
name, a student's name split in two) and the mapping that reads them (see ``ledger``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any

from app.importers.convert import LazyColumns
from app.importers.issues import ImportIssue
from app.importers.ledger_parts import FAILED, Group, LedgerState
from app.importers.mapping import TableMapping
from app.importers.names import family_name, split_full_name
from app.importers.readers import Table
from app.importers.shape import split_kind


class LedgerColumns(LedgerState):
    """How the ordinary converter is told to read a ledger's rows."""

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

    def _reworded(self, issue: ImportIssue) -> ImportIssue:
        """The converter's issue in the export's own terms: a student's split name is the
        column it came from; a row without a payer says how walk-in sales are recorded."""
        full = self.mapping.columns.get("participant", {}).get("full_name")
        if full and f"{full} (first name)" in issue.column + issue.reason:
            split = f"{full} (first name) + {full} (last name)"
            issue = replace(issue, column=full if issue.column.startswith(full) else
                            issue.column, reason=issue.reason.replace(split, full))
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
        pick = picker(rows)
        numbers = pick(self.numbers)
        return (Table(self.table.name, self.table.header, [], numbers),
                LazyColumns(len(columns), lambda index: pick(columns[index])))

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

    def _tender_and_status(self, rows: list[int], groups: list[Group],
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


def line_ids(group_of: list[Any]) -> list[str]:
    """A charge's ID: its transaction's, numbered when the transaction has several lines."""
    seen: dict[int, int] = {}
    out = []
    for group in group_of:
        n = seen.get(id(group), 0) + 1
        seen[id(group)] = n
        out.append(group.record_id if len(group.rows) == 1 else f"{group.record_id}-{n}")
    return out


def picker(rows: list[int]):  # type: ignore[no-untyped-def]
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
