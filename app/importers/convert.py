"""One table to canonical records, column by column, with every bad cell reported.

Each mapped column is converted in one sweep (see ``values``); a row with any bad cell
is left out of the records and every one of its bad cells becomes an issue. A
denormalised table first yields the records it references (customers, programs …),
whose IDs then fill the primary record's reference fields.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any

from app.domain.records import RECORD_TYPES, is_valid_tender
from app.importers.issues import ERROR, HEADER_ROW, WARNING, ImportIssue
from app.importers.mapping import Preset, TableMapping, header_key, value_map_for
from app.importers.names import loose_key, tidy_cells
from app.importers.readers import Table
from app.importers.rules import row_rules
from app.importers.schema import (
    CHOICE,
    DATE,
    ID_FIELD,
    MONEY,
    NATURAL_KEY_FIELDS,
    NUMBER,
    PERCENT,
    REFERENCES,
    TENDER,
    TEXT,
    FieldSpec,
    record_schema,
)
from app.importers.shape import timezone_info
from app.importers.values import DateReader, money_column, number_column
from app.yielding import transposed as transposed_in_slices

# Fields the cross-checks and the allocation merge read (see ``RecordBatch.columns``).
CHECKED_FIELDS: dict[str, tuple[str, ...]] = {
    **{target: (ID_FIELD[target],) for target in set(REFERENCES.values())},
    "payment": ("payment_id", "amount"),
    "payment_allocation": ("amount", "tax_amount"),
}
for (_owner, _name) in REFERENCES:
    CHECKED_FIELDS[_owner] = (*CHECKED_FIELDS.get(_owner, ()), _name)

# Derived types in dependency order: a derived participant may name a derived customer.
_DERIVED_ORDER = ("customer", "location", "tax_rate", "program", "participant")
def tender_reason(value: str) -> str:
    """The unknown payment method named, with the value-map line that would accept it."""
    return (f"unknown payment method {value!r}: add it to the preset's value_maps.tender, "
            f"e.g. \"{value}\": \"custom:{value}\" for money, or a credit type (house_credit, "
            "coupon, gift_card, other_credit, multiplier), or a canonical tender (card, "
            "echeck, cash, check)")


@dataclass
class RecordBatch:
    """Records of one type read from one table, with the rows they came from."""

    record_type: str
    file: str
    records: list[Any]
    rows: Sequence[int]
    derived: bool = False
    failed_keys: set[str] = field(default_factory=set)  # IDs on rows that had errors
    # (row, field, value) of references on rows that had errors: still checked, so a row
    # with a bad amount *and* an unknown customer shows both at once
    failed_refs: list[tuple[int, str, str]] = field(default_factory=list)
    # the table could not be read at all (a required column missing): references to this
    # record type are not checked, or every row elsewhere would repeat that one error
    failed_all: bool = False
    # Converted values of the fields the cross-checks read, one per record, while they
    # line up with ``records`` (no row dropped): reading a column beats reading the same
    # attribute of every record. Anything that changes ``records`` must drop them.
    columns: dict[str, Sequence[Any]] = field(default_factory=dict)
    # a ledger's item rows: two lines of one payment to the same program are expected
    # (a discount line, two of one item) and are added without a warning
    quiet_merge: bool = False

    def column(self, name: str) -> Sequence[Any]:
        """One field of every record, in order."""
        values = self.columns.get(name)
        return values if values is not None else list(map(attrgetter(name), self.records))


@dataclass
class TableResult:
    batches: list[RecordBatch]
    issues: list[ImportIssue]
    natural_keys: dict[str, str] = field(default_factory=dict)  # type -> what keys it
    # for a ledger's own use: each derived type's key per row, rows with errors, and the
    # converted columns per record type (all rows, bad ones included)
    ids: dict[str, list[str | None]] = field(default_factory=dict)
    bad_rows: set[int] = field(default_factory=set)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the import report: rows that are not records, and links a ledger must resolve
    skipped: list[Any] = field(default_factory=list)
    links: list[Any] = field(default_factory=list)


class _Columns:
    """The table's cells by column, stripped once, and issues tied to them."""

    def __init__(self, table: Table, issues: list[ImportIssue], *,
                 extra: Mapping[str, Sequence[str]] | None = None, clean: bool = False,
                 transposed: Sequence[Sequence[str]] | None = None,
                 stripped: bool = False) -> None:
        self.table = table
        self._pre_stripped = stripped  # the cells come stripped already (a ledger's)
        self.issues = issues
        self.count = len(table.row_numbers) if transposed is not None else len(table.rows)
        header = list(table.header)
        self._index = {loose_key(h): i for i, h in reversed(list(enumerate(header)))}
        self._index.update({header_key(h): i for i, h in reversed(list(enumerate(header)))})
        self._index.update({h: i for i, h in reversed(list(enumerate(header)))})
        self._raw = (transposed if isinstance(transposed, list) else list(transposed)) \
            if transposed is not None else self._transpose()
        for name, cells in (extra or {}).items():  # synthetic columns a ledger adds
            self._index[name] = len(self._raw)
            self._raw.append(cells)
        self._clean = clean
        self._tidied: set[int] = set()
        self._stripped: dict[int, list[str]] = {}

    def _transpose(self) -> list[Sequence[str]]:
        width = len(self.table.header)
        rows = self.table.rows
        if set(map(len, rows)) - {width}:
            rows = [self._fit(row, width, n) for row, n in zip(rows, self.table.row_numbers,
                                                                     strict=True)]
        if not rows:
            return [() for _ in range(width)]
        return list(transposed_in_slices(rows, width))  # see app/yielding.py

    def _fit(self, row: list[str], width: int, row_number: int) -> list[str]:
        """Excel trims trailing empty cells (pad them); extra non-empty cells are an error."""
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            extra = next(cell for cell in row[width:] if cell.strip())
            self.error(row_number, "", extra, f"row has {len(row)} cells, the header {width}")
        return row[:width] + [""] * (width - len(row))

    def cells(self, header: str, *, strip: bool = True) -> Sequence[str] | None:
        """A column's cells; unstripped for converters that strip only the odd bad cell."""
        index = self.index_of(header)
        if index is None:
            return None
        if self._clean and index not in self._tidied:
            self._raw[index] = tidy_cells(self._raw[index])
            self._tidied.add(index)
        if not strip or self._pre_stripped:
            return self._raw[index]
        if index not in self._stripped:
            self._stripped[index] = list(map(str.strip, self._raw[index]))
        return self._stripped[index]

    def stripped_columns(self) -> list[Sequence[str]]:
        """Every column tidied and stripped, each made when first asked for: what a ledger
        picks its sub-tables from."""
        return LazyColumns(len(self._raw), self._stripped_at)

    def _stripped_at(self, index: int) -> Sequence[str]:
        if self._clean and index not in self._tidied:
            self._raw[index] = tidy_cells(self._raw[index])
            self._tidied.add(index)
        if index not in self._stripped:
            self._stripped[index] = list(map(str.strip, self._raw[index]))
        return self._stripped[index]

    def index_of(self, header: str) -> int | None:
        index = self._index.get(header)
        if index is None:
            index = self._index.get(header_key(header), self._index.get(loose_key(header)))
        return index

    def raw(self, header: str, position: int) -> str:
        cells = self.cells(header)
        return cells[position] if cells is not None else ""

    def error(self, row: int, column: str, value: str, reason: str, severity: str = ERROR) -> None:
        self.issues.append(ImportIssue(self.table.name, row, column, value, reason, severity))


class _TableConverter:
    def __init__(self, table: Table, mapping: TableMapping, preset: Preset | None, *,
                 extra: Mapping[str, Sequence[str]] | None = None, clean: bool = False,
                 unique_ids: bool = True,
                 transposed: Sequence[Sequence[str]] | None = None,
                 stripped: bool = False) -> None:
        self.issues: list[ImportIssue] = []
        self.columns = _Columns(table, self.issues, extra=extra, clean=clean,
                                transposed=transposed, stripped=stripped)
        self.table = table
        self.mapping = mapping
        self.preset = preset
        date_format = mapping.date_format or (preset.date_format if preset else None)
        self.date_format = date_format
        self.timezone = timezone_info(mapping.shape.timezone)
        self.unique_ids = unique_ids  # False: rows sharing an ID are grouped by the caller
        self.bad_rows: set[int] = set()
        self.ids: dict[str, list[str | None]] = {}  # derived type -> its key on each row
        self.natural_keys: dict[str, str] = {}
        self.fatal = False

    def run(self) -> TableResult:
        derived = [t for t in _DERIVED_ORDER if t in self.mapping.derived_types]
        values = {rtype: self._convert_type(rtype) for rtype in derived}
        primary = self.mapping.record_type
        values[primary] = self._convert_type(primary)
        if self.fatal:
            unreadable = RecordBatch(primary, self.table.name, [], [], failed_all=True)
            return TableResult([unreadable], self.issues, self.natural_keys)
        row_rules(primary, values[primary], self.table.row_numbers, self._report_rule,
                  unique_ids=self.unique_ids)
        self.values = values
        batches = [self._build(rtype, values[rtype], derived=rtype != primary)
                   for rtype in (*derived, primary)]
        return TableResult(batches, self.issues, self.natural_keys)

    # --- converting columns -------------------------------------------------------------

    def _convert_type(self, rtype: str) -> dict[str, list[Any] | None]:
        mapped = dict(self.mapping.columns.get(rtype, {}))
        derived = rtype != self.mapping.record_type
        out: dict[str, list[Any] | None] = {}
        for spec in record_schema(rtype):
            out[spec.name] = self._field(rtype, spec, mapped, check_blanks=not derived)
        keys = out.get(ID_FIELD.get(rtype, ""))
        if keys is not None:
            self.ids[rtype] = keys
        if derived and keys is not None:
            self._check_derived_required(rtype, out, keys, mapped)
        return out

    def _check_derived_required(self, rtype, out, keys, mapped) -> None:  # type: ignore[no-untyped-def]
        """A derived record is only made where its key is given; then it must be whole."""
        for spec in record_schema(rtype):
            values = out[spec.name]
            if not spec.required or values is None or values is keys or not has_none(values):
                continue
            header = mapped.get(spec.name, spec.name)
            for index, (key, value) in enumerate(zip(keys, values, strict=True)):
                if key is not None and value is None and index not in self.bad_rows:
                    self._cell_error(index, header, "", f"required ({rtype}.{spec.name})")

    def _field(
        self, rtype: str, spec: FieldSpec, mapped: dict[str, str], *, check_blanks: bool
    ) -> list[Any] | None:
        header = mapped.get(spec.name)
        if header is None:
            return self._unmapped_field(rtype, spec, mapped)
        cells = self.columns.cells(header, strip=spec.kind == TEXT)
        if cells is None:
            reason = f"column not found in the file (mapped to {rtype}.{spec.name})"
            self.columns.error(HEADER_ROW, header, "", reason, ERROR)
            self.fatal = True
            return None
        if isinstance(cells, Preconverted):
            return list(cells)  # a ledger's sums: parsed, checked and signed already
        values, errors = self._convert(rtype, spec, cells)
        for index, reason in errors:
            self._cell_error(index, header, cells[index], reason)
        decimals = spec.kind in (MONEY, NUMBER, PERCENT)
        if check_blanks and spec.required and (has_none(values) if decimals else None in values):
            reason = f"required ({rtype}.{spec.name})"
            bad = {index for index, _ in errors}
            for index in [i for i, v in enumerate(values) if v is None and i not in bad]:
                self._cell_error(index, header, cells[index], reason)
        return values

    def _unmapped_field(self, rtype: str, spec: FieldSpec, mapped: dict[str, str]):  # type: ignore[no-untyped-def]
        if spec.name == ID_FIELD.get(rtype) and any(
            f in mapped for f in NATURAL_KEY_FIELDS.get(rtype, ())
        ):
            return self._natural_key(rtype, mapped)
        target = REFERENCES.get((rtype, spec.name))
        if target is not None and target in self.ids:
            keys = self.ids[target]
            if spec.required and rtype == self.mapping.record_type and None in keys:
                self._unnamed_references(rtype, spec.name, target, keys)
            return keys
        if spec.required:
            reason = (f"no column holds the {spec.name.replace('_', ' ')} of each {rtype} "
                      f"({rtype}.{spec.name}), which is required: say which column it is "
                      "(the setup wizard's Columns tab, or a preset: `ledgerbridge preset`), "
                      "or check that the file is the export it should be")
            self.columns.error(HEADER_ROW, "", "", reason)
            self.fatal = True
        return None

    def _unnamed_references(self, rtype: str, name: str, target: str,
                            keys: Sequence[str | None]) -> None:
        """A required reference filled from the record derived on the same row: a row
        naming no such record (a charge with no student) cannot make its own record."""
        headers = list(self.mapping.columns.get(target, {}).values())
        header = headers[0] if headers else name
        for index in [i for i, key in enumerate(keys) if key is None]:
            if index not in self.bad_rows:
                self._cell_error(index, header, "", f"required ({rtype}.{name}): this row "
                                 f"names no {target} ({' + '.join(headers)})")

    def _natural_key(self, rtype: str, mapped: dict[str, str]) -> list[str | None]:
        """No ID column: the name is the key (SPEC §2); the preview says so."""
        headers = [mapped[f] for f in NATURAL_KEY_FIELDS[rtype] if f in mapped]
        parts = [self.columns.cells(h) or [""] * self.columns.count for h in headers]
        if len(parts) == 1:
            keys = [cell or None for cell in parts[0]]
        else:
            keys = [" ".join(p for p in row if p) or None for row in zip(*parts, strict=True)]
        self.natural_keys[rtype] = " + ".join(headers)
        self.columns.error(
            HEADER_ROW, " + ".join(headers), "",
            f"no {ID_FIELD[rtype]} column: {rtype} records are keyed by name (natural key)",
            WARNING,
        )
        return keys

    def _convert(self, rtype: str, spec: FieldSpec, cells: Sequence[str]):  # type: ignore[no-untyped-def]
        kind = spec.kind
        if kind == MONEY:
            return money_column(cells)
        if kind in (NUMBER, PERCENT):
            values, errors = number_column(cells, percent=kind == PERCENT)
            return _with_default(values, spec.default), errors
        if kind == DATE:
            return DateReader(self.date_format, self.timezone).column(cells)
        if kind in (TENDER, CHOICE):
            return self._choice(rtype, spec, cells)
        return ([cell or None for cell in cells] if "" in cells else cells), []

    def _choice(self, rtype: str, spec: FieldSpec, cells: Sequence[str]):  # type: ignore[no-untyped-def]
        """Value maps first ("Visa" -> card), then the allowed values; blank -> default."""
        value_map = value_map_for(self.preset, rtype, spec.name)
        valid = is_valid_tender if spec.kind == TENDER else spec.choices.__contains__
        translate: dict[str, Any] = {}
        for raw in set(cells):
            cell = raw.strip()
            mapped = value_map.get(cell.casefold(), cell) if cell else spec.default
            translate[raw] = mapped if mapped is None or valid(mapped) else _BAD
        values = list(map(translate.__getitem__, cells))
        if _BAD not in translate.values():
            return values, []
        if spec.kind == TENDER:
            return values, [(i, tender_reason(cells[i].strip()))
                            for i, v in enumerate(values) if v is _BAD]
        reason = f"not a valid {spec.name}: use one of {', '.join(spec.choices)}"
        return values, [(i, reason) for i, v in enumerate(values) if v is _BAD]

    def _cell_error(self, index: int, header: str, value: str, reason: str) -> None:
        self.bad_rows.add(index)
        self.columns.error(self.table.row_numbers[index], header, value, reason)

    def _report_rule(self, index: int, fields: tuple[str, ...], reason: str) -> None:
        mapped = self.mapping.columns.get(self.mapping.record_type, {})
        header = next((mapped[f] for f in fields if f in mapped), fields[0])
        self._cell_error(index, header, self.columns.raw(header, index), reason)

    # --- building records ---------------------------------------------------------------

    def _build(self, rtype: str, values: dict[str, list[Any] | None], derived: bool):  # type: ignore[no-untyped-def]
        specs = record_schema(rtype)
        if derived:
            unique = self._unique_derived(rtype, values)
            if unique is not None:
                return unique
        columns: list[Iterable[Any]] = [
            repeat(s.default) if values[s.name] is None else values[s.name]  # type: ignore[misc]
            for s in specs
        ]
        records = construct_all(RECORD_TYPES[rtype], [s.name for s in specs], columns,
                                self.columns.count)
        rows = self.table.row_numbers
        id_values = values.get(ID_FIELD.get(rtype, ""))
        failed = {str(id_values[i]) for i in self.bad_rows if id_values and id_values[i]}
        failed_refs = [] if derived else self._failed_refs(rtype, values)
        if self.bad_rows:
            keep = [i for i in range(len(records)) if i not in self.bad_rows]
            records = [records[i] for i in keep]
            rows = [rows[i] for i in keep]
        if derived:
            records, rows = self._dedupe_derived(rtype, records, rows)
        checked: dict[str, Sequence[Any]] = {} if derived or self.bad_rows else {
            name: column for name in CHECKED_FIELDS.get(rtype, ())
            if (column := values.get(name)) is not None}
        return RecordBatch(rtype, self.table.name, records, rows, derived, failed, failed_refs,
                           columns=checked)

    def _failed_refs(self, rtype: str, values: dict[str, list[Any] | None]):  # type: ignore[no-untyped-def]
        refs = []
        for (owner, name), _ in REFERENCES.items():
            column = values.get(name) if owner == rtype else None
            if column is None:
                continue
            for index in sorted(self.bad_rows):
                if isinstance(column[index], str):
                    refs.append((self.table.row_numbers[index], name, column[index]))
        return refs

    def _unique_derived(self, rtype: str,
                        values: dict[str, list[Any] | None]) -> RecordBatch | None:
        """A derived type's records, one per key, built only for the rows that name them.

        A ledger names the same family on thousands of rows: when no key comes with two
        different sets of values (checked on plain tuples, in C), each key's last row is
        made a record and the rest never are. Otherwise None: ``_dedupe_derived`` builds
        them all and warns about each conflict.
        """
        specs = record_schema(rtype)
        keys = values[ID_FIELD[rtype]]
        assert keys is not None
        count = self.columns.count
        columns: list[list[Any]] = [
            column if (column := values[s.name]) is not None else [s.default] * count
            for s in specs]
        # only columns that can differ between rows of one key: not the key itself, not
        # an unmapped field (its default everywhere)
        varying = [c for s, c in zip(specs, columns, strict=True)
                   if values[s.name] is not None and c is not keys and c != keys]
        good_keys, rows = keys, range(count)
        if self.bad_rows:
            rows = [i for i in range(count) if i not in self.bad_rows]  # type: ignore[assignment]
            good_keys = [keys[i] for i in rows]
            varying = [[c[i] for i in rows] for c in varying]
        last = dict(zip(good_keys, rows, strict=True))  # in C: each key's last row
        last.pop(None, None)
        if varying:
            distinct = set(zip(good_keys, *varying, strict=True))
            if None in keys:
                distinct = {pair for pair in distinct if pair[0] is not None}
            if len(distinct) != len(last):
                return None  # some key comes with other values on another row
        first: dict[Any, None] = dict.fromkeys(good_keys)
        first.pop(None, None)
        picks = [last[key] for key in first]
        pick = (lambda column: [column[picks[0]]]) if len(picks) == 1 else (
            (lambda column: list(itemgetter(*picks)(column))) if picks else (lambda column: []))
        records = construct_all(RECORD_TYPES[rtype], [s.name for s in specs],
                                [pick(c) for c in columns], len(picks))
        numbers = pick(self.table.row_numbers)
        failed = {str(keys[i]) for i in self.bad_rows if keys[i]}
        return RecordBatch(rtype, self.table.name, records, numbers, True, failed)

    def _dedupe_derived(self, rtype: str, records: list[Any], rows: Sequence[int]):  # type: ignore[no-untyped-def]
        """One record per key; a key seen with other values is warned about, last row wins."""
        by_key: dict[str, tuple[Any, int]] = {}
        for record, row in zip(records, rows, strict=True):
            key = getattr(record, ID_FIELD[rtype])
            if key is None:
                continue  # no name on this row: nothing to derive
            earlier = by_key.get(key)
            if earlier is not None and earlier[0] != record:
                self.columns.error(
                    row, ID_FIELD[rtype], key,
                    f"{rtype} {key!r} differs from row {earlier[1]}; this row's values are used",
                    WARNING,
                )
            by_key[key] = (record, row)
        return [r for r, _ in by_key.values()], [n for _, n in by_key.values()]


class LazyColumns(list):  # type: ignore[type-arg]
    """Columns made on first access by ``make(index)``: a wide export's unmapped columns
    are never stripped or picked (columns appended later are stored as given)."""

    def __init__(self, width: int, make: Any) -> None:
        super().__init__([None] * width)
        self._make = make

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return LazyColumns(len(range(*index.indices(len(self)))),
                                lambda i: self[range(len(self))[index][i]])
        value = super().__getitem__(index)
        if value is None:
            value = self._make(index)
            super().__setitem__(index, value)
        return value


class Preconverted(list):  # type: ignore[type-arg]
    """A synthetic column whose values are converted already (a ledger's summed and
    signed amounts): taken as they are, never parsed from text again."""


class _Bad:
    """Marks a cell whose value is not allowed (distinct from a blank ``None``)."""


_BAD = _Bad()


def construct_all(
    cls: type, names: list[str], columns: list[Iterable[Any]], count: int
) -> list[Any]:
    """``[cls(*row) for row in zip(*columns)]``, column-wise and about twice as fast.

    The frozen dataclass ``__init__`` calls ``object.__setattr__`` once per field per
    record; here each slot's own C-level setter is mapped over its whole column. The
    records are the same objects either way (equal, hashable, frozen afterwards); classes
    with a ``__post_init__`` or without slots are built the ordinary way.
    """
    if hasattr(cls, "__post_init__") or "__slots__" not in cls.__dict__:
        return list(map(cls, *columns)) if count else []
    records: list[Any] = list(map(object.__new__, repeat(cls, count)))
    for name, column in zip(names, columns, strict=True):
        deque(map(cls.__dict__[name].__set__, records, column), maxlen=0)
    return records


def has_none(values: Sequence[Any]) -> bool:
    """``None in values`` without ``==``: comparing a Decimal with None is very slow
    (it asks ``numbers.Rational`` through the ABC machinery); str and date are fast."""
    return type(None) in set(map(type, values))


def _with_default(values: list[Any], default: Any) -> list[Any]:
    if default is None or not has_none(values):
        return values
    return [default if v is None else v for v in values]


def convert_table(table: Table, mapping: TableMapping, preset: Preset | None = None, *,
                  extra: Mapping[str, Sequence[str]] | None = None, clean: bool = False,
                  unique_ids: bool = True,
                  transposed: Sequence[Sequence[str]] | None = None,
                  stripped: bool = False) -> TableResult:
    """``extra``: synthetic columns (name -> cells) a ledger adds; ``clean``: tidy the cells
    of exports (HTML entities, runs of spaces); ``unique_ids=False``: the caller groups
    rows that share an ID; ``transposed``: the table's cells already as columns (then
    ``table.rows`` is not read, ``table.row_numbers`` gives the rows)."""
    converter = _TableConverter(table, mapping, preset, extra=extra, clean=clean,
                                unique_ids=unique_ids, transposed=transposed,
                                stripped=stripped)
    result = converter.run()
    result.ids = converter.ids
    result.bad_rows = converter.bad_rows
    result.values = getattr(converter, "values", {})
    return result


TableColumns = _Columns  # a table's cells by column, for readers built on the converter
