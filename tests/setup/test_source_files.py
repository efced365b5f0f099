"""Files on the data page: an Excel workbook read from the sheet chosen, and an export in
the registration system's own words mapped by the suggestion, saved as a named preset."""

from __future__ import annotations

from openpyxl import Workbook

from app.importers.mapping import load_preset, presets_dir, save_preset
from app.importers.validate import KnownRecords
from app.setup import source


def test_the_chosen_excel_sheet_is_read_and_imported(tmp_path):
    path = tmp_path / "customers.xlsx"
    workbook = Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Exported by RegSys"])
    data = workbook.create_sheet("Data")
    data.append(["customer_id", "name", "email"])
    data.append(["C1", "Lee family", "lee@example.com"])
    workbook.save(path)
    first = source.inspect_file(path)
    assert first.sheets == ("Cover", "Data") and first.sheet == "Cover"
    chosen = source.inspect_file(path, "Data")
    assert chosen.header == ["customer_id", "name", "email"] and chosen.canonical
    draft = source.SourceDraft(files=[chosen])
    result = source.check(draft, KnownRecords(), tmp_path)
    assert result.ok and result.counts() == {"customer": 1}


def test_a_suggested_mapping_is_corrected_checked_and_kept_as_a_preset(tmp_path):
    path = tmp_path / "Payments Report.csv"
    path.write_text("Txn ID,Paid On,Family,Method,Amount Paid,Notes\n"
                    "T1,2025-01-12,Lee family,Visa,120.00,first\n", encoding="utf-8")
    found = source.inspect_file(path)
    assert found.record_type == "payment" and not found.canonical
    assert found.columns["Txn ID"] == ("payment", "payment_id")
    assert found.columns["Family"] == ("customer", "name")
    assert found.columns["Notes"] is None
    found.columns["Notes"] = ("payment", "reference")  # the bookkeeper's correction
    draft = source.SourceDraft(files=[found], preset_name="regsys")
    result = source.check(draft, KnownRecords(), tmp_path)
    assert result.ok, result.errors
    [payment] = result.records["payment"]
    assert (payment.reference, payment.tender) == ("first", "card")
    preset = source.preset_for(draft)
    assert preset.name == "regsys" and preset.tables[0].match == "Payments Report.csv"
    save_preset(preset, presets_dir(tmp_path))
    assert load_preset(presets_dir(tmp_path), "regsys") == preset
