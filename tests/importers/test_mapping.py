"""Canonical files need no mapping; other exports map through presets and value maps."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.importers.mapping import (
    Preset,
    PresetError,
    TableMapping,
    TableRule,
    load_preset,
    save_preset,
    value_map_for,
)
from app.importers.pipeline import import_paths
from app.importers.suggest import guess_record_type, suggest_mapping
from tests.importers.helpers import small_export, write_csv

REGPACK_HEADER = ["Txn ID", "Paid On", "Family", "Family Email", "Student First", "Student Last",
                  "Class", "Site", "Method", "Amount Paid"]


def _regpack_preset() -> Preset:
    columns = {
        "payment": {"payment_id": "Txn ID", "date": "Paid On", "tender": "Method",
                    "amount": "Amount Paid"},
        "customer": {"name": "Family", "email": "Family Email"},
        "participant": {"first_name": "Student First", "last_name": "Student Last"},
        "location": {"name": "Site"},
        "program": {"name": "Class"},
    }
    rule = TableRule("*payments*.csv", TableMapping("payment", columns, "%m/%d/%Y"))
    return Preset("regpack", (rule,), {"tender": {"Zelle": "custom:Zelle"}})


def test_canonical_files_import_without_any_mapping(tmp_path: Path) -> None:
    result = import_paths([small_export(tmp_path / "x")])
    assert result.ok, [i.as_text() for i in result.errors]
    assert result.counts() == {"customer": 2, "participant": 1, "location": 1, "tax_rate": 1,
                               "program": 1, "charge": 1, "payment": 2,
                               "payment_allocation": 2, "refund": 1}
    assert not result.natural_keys


def test_headers_in_another_case_and_spacing_still_count_as_canonical(tmp_path: Path) -> None:
    write_csv(tmp_path / "customers.csv", ["Customer ID", " NAME "], [["C1", "Lee"]])
    result = import_paths([tmp_path])
    assert result.ok and result.records["customer"][0].customer_id == "C1"


def test_denormalised_payments_yield_referenced_records_with_natural_keys(tmp_path: Path) -> None:
    write_csv(tmp_path / "regpack_payments_jan.csv", REGPACK_HEADER, [
        ["T1", "01/05/2025", "O'Brien", "ob@example.org", "Zoë", "O'Brien", "Swim: Level 1",
         "Northside", "Visa", "$120.00"],
        ["T2", "01/06/2025", "Núñez", "", "José", "Núñez", "Dance", "Downtown", "Zelle", "80"],
        ["T3", "01/07/2025", "O'Brien", "ob@example.org", "Zoë", "O'Brien", "Dance", "Downtown",
         "cash", "1,000.00"],
    ])
    result = import_paths([tmp_path], _regpack_preset())
    assert result.ok, [i.as_text() for i in result.errors]
    customers = {c.customer_id: c for c in result.records["customer"]}
    assert set(customers) == {"O'Brien", "Núñez"} and customers["O'Brien"].email == "ob@example.org"
    assert {p.name for p in result.records["program"]} == {"Swim: Level 1", "Dance"}
    assert {p.participant_id for p in result.records["participant"]} == {"Zoë O'Brien",
                                                                         "José Núñez"}
    participant = next(p for p in result.records["participant"] if p.first_name == "Zoë")
    assert participant.customer_id == "O'Brien"
    payments = {p.payment_id: p for p in result.records["payment"]}
    assert payments["T1"].customer_id == "O'Brien" and payments["T1"].tender == "card"
    assert payments["T2"].tender == "custom:Zelle" and str(payments["T3"].amount) == "1000.00"
    assert set(result.natural_keys) == {"customer", "participant", "location", "program"}
    notes = [i for i in result.issues if i.severity == "warning"]
    assert any("natural key" in i.reason for i in notes)


def test_derived_records_with_conflicting_values_warn_and_use_the_last_row(
    tmp_path: Path,
) -> None:
    write_csv(tmp_path / "payments.csv", REGPACK_HEADER, [
        ["T1", "01/05/2025", "Lee", "old@example.org", "Kai", "Lee", "Swim", "N", "cash", "5"],
        ["T2", "01/06/2025", "Lee", "new@example.org", "Kai", "Lee", "Swim", "N", "cash", "5"],
    ])
    result = import_paths([tmp_path], _regpack_preset())
    assert result.ok
    assert result.records["customer"][0].email == "new@example.org"
    assert any("differs from row 2" in i.reason for i in result.issues)


def test_preset_file_round_trip_and_errors(tmp_path: Path) -> None:
    preset = _regpack_preset()
    path = save_preset(preset, tmp_path / "presets")
    assert path.name == "regpack.json"
    assert load_preset(tmp_path / "presets", "regpack") == preset
    with pytest.raises(PresetError):
        load_preset(tmp_path / "presets", "nope")
    with pytest.raises(PresetError):
        load_preset(tmp_path / "presets", "../escape")
    path.write_text('{"format": "ledgerbridge-import-preset", "version": 1, "tables": '
                    '[{"record_type": "payment", "columns": {"payment": {"colour": "X"}}}]}')
    with pytest.raises(PresetError, match="colour"):
        load_preset(tmp_path / "presets", "regpack")


def test_value_maps_built_in_and_from_the_preset() -> None:
    tenders = value_map_for(None, "payment", "tender")
    assert tenders["visa"] == "card" and tenders["ach"] == "echeck" and tenders["cash"] == "cash"
    preset = Preset("p", value_maps={"payment.status": {"Settled OK": "completed"}})
    statuses = value_map_for(preset, "payment", "status")
    assert statuses["paid"] == "completed" and statuses["settled ok"] == "completed"
    assert value_map_for(None, "charge", "status")["deleted"] == "removed"


def test_unmapped_status_values_are_errors(tmp_path: Path) -> None:
    write_csv(tmp_path / "customers.csv", ["customer_id", "name"], [["C1", "Lee"]])
    write_csv(tmp_path / "payments.csv",
              ["payment_id", "customer_id", "date", "tender", "amount", "status"],
              [["P1", "C1", "2025-01-01", "card", "5", "Paid"],
               ["P2", "C1", "2025-01-01", "card", "5", "Pending review"],
               ["P3", "C1", "2025-01-01", "Venmo", "5", ""]])
    result = import_paths([tmp_path])
    assert [(i.row, i.column) for i in result.errors] == [(3, "status"), (4, "tender")]


def test_a_file_with_no_mapping_is_reported(tmp_path: Path) -> None:
    write_csv(tmp_path / "stuff.csv", ["a"], [["1"]])
    result = import_paths([tmp_path])
    assert not result.ok and "unknown kind of file" in result.errors[0].reason


def test_a_mapped_column_missing_from_the_file_is_one_error(tmp_path: Path) -> None:
    write_csv(tmp_path / "payments_feb.csv", ["Txn ID"], [["T1"], ["T2"]])
    result = import_paths([tmp_path], _regpack_preset())
    assert not result.ok and {i.row for i in result.errors} == {1}


def test_suggestions_from_headers_and_sample_values() -> None:
    header = ["Transaction ID", "Paid On", "Family", "Class", "Payment Method", "Total", "Memo"]
    samples = [["T1", "01/05/2025", "Lee", "Swim", "Visa", "$12.00", "x"],
               ["T2", "2025-01-06", "Ng", "Dance", "Cash", "8", "y"]]
    assert guess_record_type("Payments Jan.csv", header) == "payment"
    mapping, suggestions = suggest_mapping(header, samples, "payment")
    assert mapping.columns["payment"] == {"payment_id": "Transaction ID", "date": "Paid On",
                                          "tender": "Payment Method", "amount": "Total"}
    assert mapping.columns["customer"] == {"name": "Family"}
    assert mapping.columns["program"] == {"name": "Class"}
    assert suggestions[-1].field is None


def test_sample_values_veto_a_header_match_and_find_the_tender() -> None:
    header = ["Date", "Amount", "Kind"]
    samples = [["soon", "12.00", "Visa"], ["later", "n/a", "Cash"]]
    mapping, _ = suggest_mapping(header, samples, "payment")
    assert mapping.columns["payment"] == {"tender": "Kind"}


def test_canonical_file_missing_a_required_column_or_keyed_by_name(tmp_path: Path) -> None:
    write_csv(tmp_path / "payments.csv", ["payment_id", "customer_id", "date", "tender"],
              [["P1", "C1", "2025-01-01", "card"]])
    result = import_paths([tmp_path / "payments.csv"])
    assert [(i.row, i.reason) for i in result.errors] == [
        (1, "no column holds the amount of each payment (payment.amount), which is required: "
            "say which column it is (the setup wizard's Columns tab, or a preset: "
            "`ledgerbridge preset`), or check that the file is the export it should be")]
    write_csv(tmp_path / "customers.csv", ["name", "email"], [["Lee", "l@x.org"]])
    result = import_paths([tmp_path / "customers.csv"])
    assert result.ok and result.records["customer"][0].customer_id == "Lee"
    assert result.natural_keys == {"customer": "name"}
