"""Files as Excel and registration systems really write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.importers.pipeline import import_paths
from app.importers.readers import ReadError, read_csv, read_xlsx
from tests.importers.helpers import csv_text

HEADER = ["payment_id", "customer_id", "date", "tender", "amount"]
ROWS = [["P1", "Renée Ünal", "2025-01-05", "card", "1,234.50"],
        ["P2", "O'Brien", "2025-01-06", "cash", "(12.00)"]]


@pytest.mark.parametrize(("encoding", "expected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252"),
])
def test_encodings(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "payments.csv"
    path.write_bytes(csv_text(HEADER, ROWS).encode(encoding))
    table = read_csv(path)
    assert table.details["encoding"] == expected
    assert table.header == HEADER  # no BOM left on the first header
    assert table.rows[0][1] == "Renée Ünal"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(csv_text(HEADER, ROWS, delimiter), encoding="utf-8")
    table = read_csv(path)
    assert table.details["delimiter"] == delimiter and table.rows[0][4] == "1,234.50"


def test_excel_sep_line_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_bytes(b"sep=;\r\n" + csv_text(HEADER, ROWS, ";").encode("cp1252"))
    table = read_csv(path)
    assert table.header == HEADER and len(table.rows) == 2 and table.row_numbers[0] == 2


def test_quoted_newlines_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text('customer_id,name\r\nC1,"Smith\r\nfamily"\r\n,\r\n\r\nC2,Lee\r\n')
    table = read_csv(path)
    assert table.rows == [["C1", "Smith\r\nfamily"], ["C2", "Lee"]]
    assert list(table.row_numbers) == [2, 5]


def test_an_excel_export_with_bom_cp1252_semicolons_and_negatives_imports(tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_bytes(
        "\ufeffcustomer_id;name\r\nC1;Müller\r\n".encode())
    (tmp_path / "payments.csv").write_bytes(csv_text(
        HEADER, [["P1", "C1", "2025-01-05", "Visa", "$1,234.50"],
                 ["P2", "C1", "2025-01-06", "Cash", "(12.00)"]], ";").encode("cp1252"))
    result = import_paths([tmp_path])
    amounts = {p.payment_id: p.amount for p in result.records.get("payment", [])}
    assert amounts == {"P1": Decimal("1234.50")}  # P2 is negative: refused as a payment
    assert [i.value for i in result.errors] == ["(12.00)"]
    assert result.records["customer"][0].name == "Müller"


def test_undecodable_bytes_are_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_bytes(b"payment_id\r\n\x81\x8d\x8f\r\n")
    with pytest.raises(ReadError):
        read_csv(path)
    result = import_paths([path])
    assert not result.ok and result.errors[0].row == 0


def _workbook(path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    first.title = "Notes"
    first.append(["nothing to see"])
    sheet = workbook.create_sheet("Payments")
    sheet.append(HEADER)
    sheet.append(["P1", "C1", datetime(2025, 1, 5), "Visa", 1234.5])
    sheet.append(["P2", "C1", date(2025, 1, 6), "Cash", 12])
    sheet.append([None, None, None, None, None])
    workbook.save(path)


def test_xlsx_round_trip_with_a_chosen_sheet(tmp_path: Path) -> None:
    path = tmp_path / "payments.xlsx"
    _workbook(path)
    table = read_xlsx(path, sheet="Payments")
    assert table.name == "payments.xlsx[Payments]"
    assert table.rows == [["P1", "C1", "2025-01-05", "Visa", "1234.5"],
                          ["P2", "C1", "2025-01-06", "Cash", "12"]]
    (tmp_path / "customers.csv").write_text("customer_id,name\nC1,Lee\n")
    result = import_paths([tmp_path], sheet="Payments")
    assert result.ok, result.errors
    assert sorted(p.amount for p in result.records["payment"]) == [Decimal(12), Decimal("1234.5")]
    assert result.files[0]["source_kind"] == "xlsx" or result.files[1]["source_kind"] == "xlsx"


def test_xlsx_unknown_sheet_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "payments.xlsx"
    _workbook(path)
    with pytest.raises(ReadError, match="Payments"):
        read_xlsx(path, sheet="Nope")
    with pytest.raises(ReadError):
        read_xlsx(tmp_path / "missing.xlsx")
