"""A file set to canonical records plus every issue: read, map, convert, cross-check.

Pure: no database. The caller (CLI, wizard, store) decides what to do with the result;
``ImportResult.ok`` is False whenever any error was found, and then nothing is stored.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.records import FILE_NAMES, PaymentAllocation
from app.importers.convert import RecordBatch, convert_table
from app.importers.issues import ERROR, FILE_LEVEL, WARNING, ImportIssue
from app.importers.layout import SkippedRow, clean_header, lay_out
from app.importers.ledger import read_ledger
from app.importers.links import resolve_links
from app.importers.mapping import Preset, TableMapping, canonical_type, identity_mapping
from app.importers.payouts import PAYOUT_REFUSAL, looks_like_payouts
from app.importers.readers import ReadError, Table, read_path
from app.importers.validate import KnownRecords, cross_check
from app.yielding import heap_settled

READABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


@dataclass
class ImportResult:
    records: dict[str, list[Any]]  # record type -> records, one per key
    issues: list[ImportIssue]
    files: list[dict[str, Any]] = field(default_factory=list)
    natural_keys: dict[str, str] = field(default_factory=dict)
    # Types read from their own table (not derived): a full export may mark these missing.
    primary_types: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {rtype: len(records) for rtype, records in self.records.items() if records}


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder contributes its readable files, in name order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in READABLE_SUFFIXES))
        else:
            out.append(path)
    return out


def read_tables(
    paths: Iterable[Path], issues: list[ImportIssue], preset: Preset | None = None,
    sheet: str | None = None,
) -> Iterator[Table]:
    """Tables one at a time (only one file's rows are in memory); unreadable files -> issues."""
    for path in expand_paths(paths):
        rule = preset.rule_for(path.name) if preset else None
        try:
            yield read_path(path, sheet=(rule.sheet if rule and rule.sheet else sheet))
        except ReadError as exc:
            issues.append(ImportIssue(path.name, FILE_LEVEL, "", "", str(exc)))


def mapping_for(table: Table, preset: Preset | None) -> TableMapping | None:
    rule = preset.rule_for(table.name.split("[", 1)[0]) if preset else None
    if rule is not None:
        return rule.mapping
    record_type = canonical_type(table.stem)
    return identity_mapping(record_type, table.header) if record_type else None


def _from_preset(table: Table, preset: Preset | None) -> bool:
    return preset is not None and preset.rule_for(table.name.split("[", 1)[0]) is not None


def import_paths(
    paths: Iterable[Path],
    preset: Preset | None = None,
    *,
    sheet: str | None = None,
    known: KnownRecords | None = None,
) -> ImportResult:
    read_issues: list[ImportIssue] = []
    with collector_paused():
        tables = read_tables(paths, read_issues, preset, sheet)
        result = _import_tables(tables, preset, known, read_issues, release_rows=True)
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of records are
    built or stored.

    The import allocates millions of small containers and creates no reference cycles;
    with the collector on, its repeated full scans cost more than the import itself.
    Reference counting still frees everything as usual. On the way out the new objects
    are moved to the oldest generation without a scan (``freeze`` then ``unfreeze``):
    otherwise the first young collection after re-enabling would walk every one of them
    at once. Cyclic garbage among them is still found by the next full collection.
    A process that keeps its long-lived heap frozen (the desktop app, after start-up:
    ``app.yielding.settle_heap``) keeps what was built here frozen too:
    ``unfreeze`` would hand its whole heap back to the full collections, whose scans stall
    its event loop; only cyclic garbage made in here is then kept, never collected.
    """
    was_enabled = gc.isenabled()
    settled = heap_settled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            if not settled:
                gc.unfreeze()
            gc.enable()


def import_tables(
    tables: Iterable[Table], preset: Preset | None = None, *, known: KnownRecords | None = None
) -> ImportResult:
    with collector_paused():
        return _import_tables(tables, preset, known, [])


def _import_tables(
    tables: Iterable[Table], preset: Preset | None, known: KnownRecords | None,
    issues: list[ImportIssue], *, release_rows: bool = False,
) -> ImportResult:
    batches: list[RecordBatch] = []
    files: list[dict[str, Any]] = []
    natural_keys: dict[str, str] = {}
    links: list[Any] = []
    for table in tables:
        table.header = clean_header(table.header)
        mapping = mapping_for(table, preset)
        entry = _file_entry(table, mapping)
        files.append(entry)
        if not table.header:
            issues.append(ImportIssue(table.name, FILE_LEVEL, "", "", "the file is empty"))
            continue
        if mapping is None:
            issues.append(ImportIssue(table.name, FILE_LEVEL, "", "", _unknown_file(table)))
            continue
        converted = _convert(table, mapping, preset)
        entry.update(rows=converted.data_rows, rows_read=converted.rows_read,
                     header_row=table.header_row,
                     skipped=[s.as_dict() for s in converted.skipped])
        if release_rows:
            table.rows = []  # this file's cells are records now: free them before the next
        issues.extend(converted.issues)
        batches.extend(_merge_allocation_lines(b, issues) for b in converted.batches)
        natural_keys.update(converted.natural_keys)
        links.extend(converted.links)
    batches = resolve_links(batches, links, known, issues)
    batches = _merge_batches(batches, issues)
    issues.extend(cross_check(batches, known))
    records: dict[str, list[Any]] = {}
    made: dict[str, Counter[str]] = {}
    for batch in batches:
        records.setdefault(batch.record_type, []).extend(batch.records)
        made.setdefault(batch.file, Counter())[batch.record_type] += len(batch.records)
    for entry in files:
        entry["records"] = {t: n for t, n in sorted(made.get(entry["path"], {}).items()) if n}
    primary = {b.record_type for b in batches if not b.derived}
    order = {entry["path"]: n for n, entry in enumerate(files)}
    issues.sort(key=lambda i: (order.get(i.file, -1), i.row))
    return ImportResult(records, issues, files, natural_keys, primary)


@dataclass
class _Converted:
    batches: list[RecordBatch]
    issues: list[ImportIssue]
    natural_keys: dict[str, str]
    skipped: list[SkippedRow]
    links: list[Any]
    data_rows: int

    @property
    def rows_read(self) -> int:
        """Rows under the header, data and not (blank rows aside), plus title lines."""
        return self.data_rows + len(self.skipped)


def _convert(table: Table, mapping: TableMapping, preset: Preset | None) -> _Converted:
    """Canonical files as they are; a preset's files laid out first (header row, totals,
    headings), and a payments table read as a ledger."""
    if not _from_preset(table, preset):
        result = convert_table(table, mapping, preset)
        return _Converted(result.batches, result.issues, result.natural_keys, [], [],
                          len(table.rows))
    layout = lay_out(table, mapping)
    table.header, table.rows = layout.table.header, layout.table.rows
    table.row_numbers, table.header_row = layout.table.row_numbers, layout.table.header_row
    if mapping.is_ledger:
        result = read_ledger(layout, mapping, preset)
    else:
        result = convert_table(table, mapping, preset, clean=True)
    skipped = result.skipped if mapping.is_ledger else layout.skipped  # the ledger's has both
    return _Converted(result.batches, result.issues, result.natural_keys, skipped,
                      result.links, len(table.rows))


def _unknown_file(table: Table) -> str:
    if looks_like_payouts(table.header):
        return PAYOUT_REFUSAL
    return _UNKNOWN_FILE


_UNKNOWN_FILE = (
    "unknown kind of file: name it after its record type ("
    + ", ".join(f"{n}.csv" for n in FILE_NAMES.values())
    + ") or choose a preset that maps it (`ledgerbridge preset suggest FILE --name NAME` "
    "proposes one; `ledgerbridge preset list` shows the built-in ones)"
)


def _file_entry(table: Table, mapping: TableMapping | None) -> dict[str, Any]:
    return {
        "path": table.name,
        "sha256": table.sha256,
        "rows": len(table.rows),
        "record_type": mapping.record_type if mapping else None,
        "source_kind": table.source_kind,
        **table.details,
    }


def _merge_batches(batches: list[RecordBatch], issues: list[ImportIssue]) -> list[RecordBatch]:
    """One record per key: own tables beat derived rows; conflicting own rows are errors.

    Returns the batches with only the records they contributed, so overlapping exports
    (the same month twice) are counted once by the cross-record checks.
    """
    batch_count = Counter(b.record_type for b in batches)
    seen_by_type: dict[str, dict[str, tuple[Any, RecordBatch, int]]] = {}
    out = []
    for batch in sorted(batches, key=lambda b: b.derived):  # own tables first
        if batch_count[batch.record_type] == 1:
            out.append(batch)  # the common case: keys are unique within a table already
            continue
        seen = seen_by_type.setdefault(batch.record_type, {})
        if not seen and not batch.derived:
            seen.update((r.key, (r, batch, n)) for r, n in zip(batch.records, batch.rows,
                                                                  strict=True))
            out.append(batch)
            continue
        kept, rows = [], []
        for record, row in zip(batch.records, batch.rows, strict=True):
            earlier = seen.get(record.key)
            if earlier is None:
                seen[record.key] = (record, batch, row)
                kept.append(record)
                rows.append(row)
            elif earlier[0] != record and not batch.derived:
                issues.append(_conflict(record, batch, row, earlier))
        out.append(replace(batch, records=kept, rows=rows, columns={}))
    return out


def _conflict(record: Any, batch: RecordBatch, row: int, earlier: tuple) -> ImportIssue:  # type: ignore[type-arg]
    where = f"{earlier[1].file} row {earlier[2]}"
    return ImportIssue(batch.file, row, "", record.key,
                       f"{record.record_type} {record.key!r} is also on {where} with other values")


def _merge_allocation_lines(batch: RecordBatch, issues: list[ImportIssue]) -> RecordBatch:
    """Two split lines of one payment to the same program/location/tax become one line."""
    if batch.record_type != "payment_allocation":
        return batch
    names = ("payment_id", "program_id", "location_id", "tax_rate_id")
    if len(set(zip(*map(batch.column, names), strict=True))) == len(batch.records):
        return batch
    merged: dict[str, tuple[PaymentAllocation, int]] = {}
    for allocation, row in zip(batch.records, batch.rows, strict=True):
        earlier = merged.get(allocation.key)
        if earlier is None:
            merged[allocation.key] = (allocation, row)
            continue
        merged[allocation.key] = (_add(earlier[0], allocation), earlier[1])
        if batch.quiet_merge:
            continue
        issues.append(ImportIssue(
            batch.file, row, "", allocation.key,
            f"same payment, program, location and tax rate as row {earlier[1]}: lines added",
            WARNING,
        ))
    records = [a for a, _ in merged.values()]
    rows = [r for _, r in merged.values()]
    return replace(batch, records=records, rows=rows, columns={})


def _add(first: PaymentAllocation, second: PaymentAllocation) -> PaymentAllocation:
    tax = None
    if first.tax_amount is not None or second.tax_amount is not None:
        tax = (first.tax_amount or Decimal(0)) + (second.tax_amount or Decimal(0))
    return replace(first, amount=first.amount + second.amount, tax_amount=tax)
