"""A ledger's records, one record type at a time: payments from each transaction's first
row with one allocation per item row, refunds and voids (linked later by ``links``),
charges (see ``ledger``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any

from app.domain.records import Refund
from app.importers.convert import Preconverted, RecordBatch, TableResult, convert_table
from app.importers.ledger_columns import LedgerColumns, line_ids, picker
from app.importers.ledger_parts import (
    ONE_PER_TRANSACTION,
    UNLINKED,
    ZERO,
    Group,
    LinkRequest,
)
from app.importers.shape import split_kind


class LedgerRecords(LedgerColumns):
    """Reads each record type's rows of the ledger (see the module docstring)."""

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
        result.issues.extend(map(self._reworded, converted.issues))
        result.natural_keys.update(converted.natural_keys)
        result.batches.extend(b for b in converted.batches if b.derived)
        self.bad.update(rows[j] for j in converted.bad_rows)
        return converted

    def _read_payments(self, groups: list[Group], amounts: list[Any],
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

    def _record_amounts(self, groups: list[Group], taxes: list[Any] | None) -> Preconverted:
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

    def _read_allocations(self, groups: list[Group], amounts: list[Any],
                          taxes: list[Any] | None, result: TableResult) -> RecordBatch:
        """One allocation per item row naming a program: its program, location, amount
        and tax."""
        group_at = {i: g for g in groups for i in g.rows}
        rows = self._program_rows(groups)
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
        return replace(_own_batch(converted), quiet_merge=True)

    def _program_rows(self, groups: list[Group]) -> list[int]:
        """The rows naming a program. A payment whose rows name none is unallocated (a
        plain payment row); one naming programs on some rows only cannot be split: an
        error on the others."""
        program = self.mapping.columns.get("program", {})
        keys = [h for f, h in program.items() if f in ("program_id", "name")]
        columns = [c for c in (self.columns.cells(h) for h in keys) if c is not None]
        rows = sorted(i for g in groups for i in g.rows)
        if not columns:
            return rows
        named = [i for i in rows if any(c[i] for c in columns)]
        if len(named) == len(rows):
            return rows
        with_program = set(named)
        for group in groups:
            missing = [i for i in group.rows if i not in with_program]
            if missing and len(missing) < len(group.rows):
                for index in missing:
                    self._error(index, keys[0], "", f"no program on this row, though other "
                                f"rows of transaction {group.key} name one: each line of a "
                                "split payment is allocated to a program (class, item, "
                                "category)")
        return named

    def _agree(self, groups: list[Group]) -> None:
        """The rows of one transaction must agree on what is one per payment (a blank cell
        on an item row is fine: exports often fill them on the first row only)."""
        split = [g for g in groups if len(g.rows) > 1]
        if not split:
            return
        headers = [self.pay.get(name) for name in ONE_PER_TRANSACTION]
        customer = self.mapping.columns.get("customer", {})
        headers += [customer.get("name"), customer.get("customer_id")]
        later = [i for g in split for i in g.rows[1:]]
        firsts = [g.rows[0] for g in split for _ in g.rows[1:]]
        for header in dict.fromkeys(h for h in headers if h):
            cells = self.columns.cells(header or "")
            if cells is None:
                continue
            theirs = picker(later)(cells)
            if theirs == picker(firsts)(cells):
                continue  # every item row repeats its transaction's value (compared in C)
            if any(a and a != cells[f] for a, f in zip(theirs, firsts, strict=True)):
                for group in split:
                    self._disagreement(group, header, cells)

    def _disagreement(self, group: Group, header: str, cells: Sequence[str]) -> None:
        first = cells[group.rows[0]]
        other = next((i for i in group.rows[1:] if cells[i] and cells[i] != first), None)
        if other is not None and other not in self.bad:
            self._error(other, header, cells[other], (
                f"the rows of transaction {group.key} differ in {header}: {first!r} on row "
                f"{self.numbers[group.rows[0]]}, {cells[other]!r} here"))

    def _read_refunds(self, record_type: str, groups: list[Group], amounts: list[Any],
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

    def _read_charges(self, groups: list[Group], amounts: list[Any], taxes: list[Any] | None,
                      result: TableResult) -> None:
        """Each row a charge; rows sharing a transaction are the lines of one order."""
        rows = sorted(i for g in groups for i in g.rows)
        group_at = {i: g for g in groups for i in g.rows}
        extra: dict[str, list[Any]] = {
            "(line id)": line_ids([group_at[i] for i in rows]),
            "(order)": [group_at[i].record_id for i in rows],
            "(amount)": Preconverted(amounts[i] * group_at[i].orientation for i in rows)}
        self._payer_columns(rows, extra)
        converted = self._convert("charge", rows, extra,
                                  ("customer", "participant", "program", "location",
                                   "tax_rate"), result)
        result.batches.append(_own_batch(converted))


def _payers(ids: dict[str, list[Any]], count: int) -> list[str | None]:
    customers = ids.get("customer") or [None] * count
    participants = ids.get("participant") or [None] * count
    return [c or p for c, p in zip(customers, participants, strict=True)]


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
