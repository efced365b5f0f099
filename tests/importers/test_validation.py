"""SPEC §2 rules across records, and the error list the bookkeeper can export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.importers.issues import ImportIssue, neutralise, write_issues_csv
from app.importers.pipeline import import_paths
from app.importers.validate import KnownRecords
from tests.importers.helpers import small_export, write_records


def _errors(folder: Path, known: KnownRecords | None = None) -> list[tuple[str, int, str, str]]:
    result = import_paths([folder], known=known)
    return [(i.file, i.row, i.column, i.reason) for i in result.errors]


def test_required_fields_every_blank_is_reported(tmp_path: Path) -> None:
    write_records(tmp_path, "customer", [{"customer_id": "C1"}, {"name": "No id"},
                                         {"customer_id": "C3", "name": "Fine"}])
    errors = _errors(tmp_path)
    assert [(e[1], e[2]) for e in errors] == [(2, "name"), (3, "customer_id")]
    assert all("required" in e[3] for e in errors)


def test_a_payment_needs_a_payer(tmp_path: Path) -> None:
    write_records(tmp_path, "payment", [{"payment_id": "P1", "date": "2025-01-01",
                                         "tender": "card", "amount": "5"}])
    errors = _errors(tmp_path)
    assert len(errors) == 1 and "customer_id or participant_id" in errors[0][3]


def test_references_must_resolve_in_this_import_or_an_earlier_one(tmp_path: Path) -> None:
    write_records(tmp_path, "charge", [
        {"charge_id": "CH1", "order_id": "O1", "participant_id": "S9", "program_id": "G9",
         "date": "2025-01-01", "amount": "5"},
    ])
    errors = _errors(tmp_path)
    assert {(e[2], e[3].split(" (")[0]) for e in errors} == {
        ("participant_id", "unknown participant"), ("program_id", "unknown program")}
    known = KnownRecords(ids={"participant": {"S9"}, "program": {"G9"}})
    assert _errors(tmp_path, known) == []


def test_allocations_must_sum_to_the_payment(tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    write_records(folder, "payment_allocation", [
        {"payment_id": "P1", "program_id": "G1", "amount": "100.00", "tax_amount": "6.24"},
        {"payment_id": "P2", "program_id": "G1", "amount": "50.00"},
    ])
    errors = _errors(folder)
    assert errors == [("payments.csv", 2, "amount",
                       "allocations (amount + tax_amount) of payment P1 sum to 106.24, "
                       "the payment is 106.25")]


def test_allocations_against_a_stored_payment(tmp_path: Path) -> None:
    write_records(tmp_path, "payment_allocation", [
        {"payment_id": "P7", "program_id": "G1", "amount": "10.00"}])
    known = KnownRecords(ids={"payment": {"P7"}, "program": {"G1"}},
                         payment_amounts={"P7": __import__("decimal").Decimal("12.00")})
    errors = _errors(tmp_path, known)
    assert [(e[0], e[1]) for e in errors] == [("payment_allocations.csv", 2)]


def test_split_lines_to_the_same_program_are_added_not_duplicated(tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    write_records(folder, "payment_allocation", [
        {"payment_id": "P1", "program_id": "G1", "location_id": "L1", "tax_rate_id": "T1",
         "amount": "100.00", "tax_amount": "6.25"},
        {"payment_id": "P2", "program_id": "G1", "amount": "20.00"},
        {"payment_id": "P2", "program_id": "G1", "amount": "30.00"},
    ])
    result = import_paths([folder])
    assert result.ok
    merged = [a for a in result.records["payment_allocation"] if a.payment_id == "P2"]
    assert [str(a.amount) for a in merged] == ["50.00"]


def test_refunds_cannot_exceed_the_payment_or_be_negative(tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    write_records(folder, "refund", [
        {"refund_id": "R1", "payment_id": "P2", "date": "2025-01-09", "amount": "30.00"},
        {"refund_id": "R2", "payment_id": "P2", "date": "2025-01-10", "amount": "30.00",
         "kind": "chargeback"},
        {"refund_id": "R3", "payment_id": "P1", "date": "2025-01-10", "amount": "-1"},
    ])
    errors = _errors(folder)
    assert [(e[1], e[3].split(":")[0]) for e in errors] == [
        (3, "refunds of payment P2 total 60.00, more than the 50.00 paid"),
        (4, "a refund is the money paid back")]


def test_duplicate_ids_and_conflicting_files(tmp_path: Path) -> None:
    write_records(tmp_path, "customer", [{"customer_id": "C1", "name": "A"},
                                         {"customer_id": "C1", "name": "B"}])
    assert [(e[1], e[3]) for e in _errors(tmp_path)] == [
        (3, "duplicate customer_id (first on row 2)")]


def test_overlapping_exports_identical_rows_count_once(tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    (folder / "payments_again.csv").write_bytes((folder / "payments.csv").read_bytes())
    from app.importers.mapping import Preset, TableMapping, TableRule, identity_mapping

    mapping = identity_mapping("payment", ["payment_id", "customer_id", "participant_id",
                                           "order_id", "date", "tender", "amount", "status",
                                           "reference"])
    preset = Preset("p", (TableRule("payments_again.csv", TableMapping("payment",
                                                                       mapping.columns)),))
    result = import_paths([folder], preset)
    assert result.ok and len(result.records["payment"]) == 2


def test_every_error_at_once_across_files(tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    write_records(folder, "customer", [{"customer_id": "C1", "name": "X"}, {"customer_id": "C2"}])
    write_records(folder, "program", [{"program_id": "G1", "name": "Swim", "price": "ten"}])
    errors = _errors(folder)
    assert {(e[0], e[2]) for e in errors} == {("customers.csv", "name"),
                                              ("programs.csv", "price")}


def test_a_failed_row_does_not_cascade_into_reference_errors(tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    write_records(folder, "program", [{"program_id": "G1", "name": "Swim", "price": "oops"}])
    assert len(_errors(folder)) == 1


def test_error_csv_neutralises_formula_injection() -> None:
    issues = [ImportIssue("a.csv", 2, "amount", "=HYPERLINK(\"x\")", "not an amount"),
              ImportIssue("a.csv", 3, "name", "-12.00", "@cmd")]
    buffer = io.StringIO()
    write_issues_csv(issues, buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[0] == ["severity", "file", "row", "column", "value", "reason"]
    assert rows[1][4] == "'=HYPERLINK(\"x\")" and rows[2][4] == "'-12.00"
    assert rows[2][5] == "'@cmd"
    assert neutralise("+1") == "'+1" and neutralise("plain") == "plain"


def test_header_only_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "payments.csv").write_text("payment_id,customer_id,date,tender,amount\n")
    result = import_paths([tmp_path / "payments.csv"])
    assert result.ok and result.records == {"payment": []}
    (tmp_path / "refunds.csv").write_bytes(b"")
    result = import_paths([tmp_path / "refunds.csv"])
    assert not result.ok and result.errors[0].reason == "the file is empty"


def test_column_wise_construction_equals_ordinary_construction() -> None:
    import dataclasses
    from itertools import repeat

    from app.domain.records import RECORD_TYPES
    from app.importers.convert import construct_all
    from app.importers.schema import record_schema

    for rtype, cls in RECORD_TYPES.items():
        specs = record_schema(rtype)
        columns = [[f"{s.name}{i}" for i in range(3)] if s.required else repeat(s.default)
                   for s in specs]
        built = construct_all(cls, [s.name for s in specs], columns, 3)
        columns = [[f"{s.name}{i}" for i in range(3)] if s.required else repeat(s.default)
                   for s in specs]
        assert built == list(map(cls, *columns)), rtype
        assert hash(built[0]) == hash(cls(*(c[0] if isinstance(c, list) else s.default
                                           for c, s in zip(columns, specs, strict=True))))
        try:
            built[0].__setattr__(specs[0].name, "x")
        except dataclasses.FrozenInstanceError:
            pass
        else:
            raise AssertionError("records must stay frozen")


def test_a_bad_row_still_has_its_references_checked(tmp_path: Path) -> None:
    write_records(tmp_path, "customer", [{"customer_id": "C1", "name": "Lee"}])
    write_records(tmp_path, "payment", [
        {"payment_id": "P1", "customer_id": "C9", "date": "2025-01-01", "tender": "card",
         "amount": "12,50"},
        {"payment_id": "P2", "customer_id": "C1", "date": "2025-01-01", "tender": "card",
         "amount": "oops"}])
    assert [(e[1], e[2]) for e in _errors(tmp_path)] == [(2, "amount"), (2, "customer_id"),
                                                         (3, "amount")]


def test_an_unreadable_table_does_not_flood_other_files_with_reference_errors(
    tmp_path: Path,
) -> None:
    folder = small_export(tmp_path / "x")
    (folder / "customers.csv").write_text("customer_id\nC1\nC2\n")  # no name column
    errors = _errors(folder)
    assert [(e[0], e[1]) for e in errors] == [("customers.csv", 1)]


def test_batch_columns_line_up_with_the_records(tmp_path: Path) -> None:
    """The cross-checks read ``RecordBatch.columns``; they must equal the records' fields,
    with and without dropped rows, merged split lines and derived records."""
    from operator import attrgetter

    from app.importers.convert import convert_table
    from app.importers.mapping import identity_mapping
    from app.importers.pipeline import _merge_allocation_lines
    from app.importers.readers import read_csv

    write_records(tmp_path, "payment_allocation", [
        {"payment_id": "P1", "program_id": "G1", "amount": "5", "tax_amount": "1"},
        {"payment_id": "P1", "program_id": "G1", "amount": "4"},
        {"payment_id": "P2", "program_id": "G2", "amount": "oops"},
        {"payment_id": "P3", "program_id": "G2", "amount": "7"}])
    table = read_csv(tmp_path / "payment_allocations.csv")
    for rows in (table.rows, [r for r in table.rows if "oops" not in r]):
        table.rows = rows
        table.row_numbers = range(2, len(rows) + 2)
        converted = convert_table(table, identity_mapping("payment_allocation", table.header))
        batches = [*converted.batches, *(_merge_allocation_lines(b, []) for b in
                                         converted.batches)]
        for batch in batches:
            for name in ("payment_id", "program_id", "amount", "tax_amount"):
                assert list(batch.column(name)) == list(map(attrgetter(name), batch.records))
    assert batches[-1].columns == {} and len(batches[-1].records) == 2  # merged: recomputed
