"""Ledgers as registration systems export them (issue 14, shapes 5, 6, 7 and 9): header
quirks, values, non-cash payment methods, payout files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from app.importers.pipeline import import_paths
from app.importers.proposal import propose
from app.importers.readers import read_path
from tests.importers.ledger_helpers import (
    by_id,
    errors,
    import_text,
    ledger_preset,
)

D = Decimal
COLUMNS = {"payment": {"payment_id": "Trans ID", "date": "Date", "amount": "Amount",
                       "tender": "Method"},
           "customer": {"name": "Family"}}


# --- 5. header quirks ---------------------------------------------------------------------

def test_title_lines_broken_header_cells_and_dates_in_header_names(tmp_path: Path) -> None:
    columns = {"payment": {"payment_id": "Trans ID", "date": "Trans Date",
                           "amount": "Revenue 1/1/2025 - 12/31/2025", "tender": "Method"},
               "customer": {"name": "Family"}}
    text = ('Revenue by Transaction\nRiverside Swim, all locations\n\n'
            '"Trans\nID",Trans  Date,Family,Revenue 1/1/2026 - 12/31/2026,Method\n'
            'A1,01/05/2026,Lee,40.00,Cash\n')  # next year's export, same preset
    result = import_text(tmp_path, text, ledger_preset(columns))
    assert result.ok, errors(result)
    payment = result.records["payment"][0]
    assert (payment.payment_id, payment.amount) == ("A1", D("40.00"))
    assert result.files[0]["header_row"] == 4
    assert [s["row"] for s in result.files[0]["skipped"]] == [1, 2]


def test_duplicate_header_names_are_numbered_so_each_can_be_mapped(tmp_path: Path) -> None:
    columns = {"payment": {"payment_id": "ID", "date": "Date", "amount": "Amount",
                           "tender": "Method"},
               "customer": {"name": "Name"}, "participant": {"full_name": "Name (2)"}}
    text = "ID,Date,Name,Name,Amount,Method\nA1,01/05/2025,Lee,Kai Lee,40.00,Cash\n"
    result = import_text(tmp_path, text, ledger_preset(columns))
    assert result.ok, errors(result)
    assert result.records["participant"][0].participant_id == "Kai Lee"
    assert result.records["customer"][0].name == "Lee"


def test_a_header_row_named_in_the_preset(tmp_path: Path) -> None:
    text = ("Trans ID,Date,Family,Amount,Method\n"  # a stray line naming the columns
            "Payments, January\nTrans ID,Date,Family,Amount,Method\n"
            "A1,01/05/2025,Lee,40.00,Cash\n")
    result = import_text(tmp_path, text, ledger_preset(COLUMNS, header_row=3))
    assert result.ok and result.files[0]["header_row"] == 3
    assert [s["reason"] for s in result.files[0]["skipped"]] == [
        "title line above the header"] * 2


# --- 6. values ----------------------------------------------------------------------------

def test_serial_epoch_month_name_and_timestamped_dates(tmp_path: Path) -> None:
    text = ("Trans ID,Date,Family,Amount,Method\n"
            "A1,45672,Lee,1.00,Cash\n"                 # an Excel serial day
            "A2,1736899200000,Lee,1.00,Cash\n"         # epoch milliseconds
            "A3,\"Jan 15, 2025\",Lee,1.00,Cash\n"
            "A4,15-Jan-2025,Lee,1.00,Cash\n"
            "A5,1/15/2025 10:30 PM,Lee,1.00,Cash\n")
    result = import_text(tmp_path, text, ledger_preset(COLUMNS, timezone="UTC"))
    assert result.ok, errors(result)
    assert {p.date for p in result.records["payment"]} == {date(2025, 1, 15)}


def test_epoch_times_are_dated_in_the_presets_time_zone(tmp_path: Path) -> None:
    text = "Trans ID,Date,Family,Amount,Method\nA1,1736910000000,Lee,1.00,Cash\n"
    utc = import_text(tmp_path, text, ledger_preset(COLUMNS, timezone="UTC"))
    chicago = import_text(tmp_path, text, ledger_preset(COLUMNS, timezone="America/Chicago"))
    assert utc.records["payment"][0].date == date(2025, 1, 15)  # 03:00 UTC
    assert chicago.records["payment"][0].date == date(2025, 1, 14)  # 21:00 the day before


def test_excel_dates_as_dates_as_text_and_as_bare_numbers(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Payments export"])
    sheet.append(["Trans ID", "Date", "Family", "Amount", "Method"])
    sheet.append(["A1", datetime(2025, 1, 15), "Lee", 12.5, "Visa"])
    sheet.append(["A2", "01/15/2025", "Lee", "$1,200.00", "Visa"])  # a date cell as text
    sheet.append(["A3", 45672, "Lee", 3, "Visa"])  # a date that lost its format
    sheet.append(["Total", None, None, 1215.5, None])
    workbook.save(tmp_path / "export.xlsx")
    result = import_paths([tmp_path / "export.xlsx"], ledger_preset(COLUMNS))
    assert result.ok, errors(result)
    assert {p.date for p in result.records["payment"]} == {date(2025, 1, 15)}
    assert sum(p.amount for p in result.records["payment"]) == D("1215.50")
    assert not [i for i in result.issues if "totals row" in i.reason]


def test_the_date_order_is_decided_per_source_and_an_ambiguous_file_asks(
        tmp_path: Path) -> None:
    text = "Trans ID,Date,Family,Amount,Method\nA1,03/04/2025,Lee,1.00,Cash\n"
    day_first = import_text(tmp_path, text, ledger_preset(COLUMNS, date_format="%d/%m/%Y"))
    assert day_first.records["payment"][0].date == date(2025, 4, 3)
    month_first = import_text(tmp_path, text, ledger_preset(COLUMNS, date_format="%m/%d/%Y"))
    assert month_first.records["payment"][0].date == date(2025, 3, 4)
    unsure = import_text(tmp_path, text, ledger_preset(COLUMNS, date_format=None))
    assert "ambiguous date" in errors(unsure)[0][2]
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    asked = propose(read_path(tmp_path / "a.csv"))
    assert asked.rule is not None and asked.rule.mapping.date_format is None
    assert any("could be day/month or month/day" in q for q in asked.questions)
    (tmp_path / "b.csv").write_text(text + "A2,13/04/2025,Lee,1.00,Cash\n", encoding="utf-8")
    told = propose(read_path(tmp_path / "b.csv"))
    assert told.rule is not None and told.rule.mapping.date_format == "%d/%m/%Y"


def test_thousands_entities_blank_cells_and_trailing_spaces(tmp_path: Path) -> None:
    columns = {**COLUMNS, "participant": {"full_name": "Student"}}
    text = ("Trans ID,Date,Family,Student,Amount,Method\n"
            "A1,01/05/2025,Smith &amp; Jones,   ,\"$1,234,567.50\",Cash\n"
            "A2,01/06/2025,Smith & Jones ,,$50.00&nbsp;,Cash\n"
            "A3,01/07/2025,Lee&nbsp;,Kai&nbsp;Lee,\" 12.00 \",Cash\n")
    result = import_text(tmp_path, text, ledger_preset(columns))
    assert result.ok, errors(result)
    payments = by_id(result, "payment")
    assert [payments[k].amount for k in ("A1", "A2", "A3")] == [
        D("1234567.50"), D("50.00"), D("12.00")]
    assert sorted(c.customer_id for c in result.records["customer"]) == ["Lee", "Smith & Jones"]
    assert [p.participant_id for p in result.records["participant"]] == ["Kai Lee"]


def test_a_bad_amount_is_still_an_error_with_its_cell(tmp_path: Path) -> None:
    text = "Trans ID,Date,Family,Amount,Method\nA1,01/05/2025,Lee,12.345,Cash\n" \
           "A2,01/05/2025,Lee,,Cash\n"
    result = import_text(tmp_path, text, ledger_preset(COLUMNS))
    assert [(row, column) for row, column, _ in errors(result)] == [(2, "Amount"), (3, "Amount")]


# --- 7. non-cash payment methods --------------------------------------------------------

def test_non_cash_methods_are_credit_tenders_a_preset_can_remap(tmp_path: Path) -> None:
    methods = ["Trade", "Write-Off", "Account Credit", "Account Balance", "Gift Card",
               "Coupon", "House"]
    text = "Trans ID,Date,Family,Amount,Method\n" + "".join(
        f"A{n},01/05/2025,Lee,1.00,{m}\n" for n, m in enumerate(methods))
    result = import_text(tmp_path, text, ledger_preset(COLUMNS))
    assert result.ok, errors(result)
    assert [by_id(result, "payment")[f"A{n}"].tender for n in range(len(methods))] == [
        "other_credit", "other_credit", "house_credit", "house_credit", "gift_card",
        "coupon", "house_credit"]
    edited = ledger_preset(COLUMNS, value_maps={"tender": {"Write-Off": "coupon",
                                                            "Trade": "custom:Trade"}})
    result = import_text(tmp_path, text, edited)
    assert by_id(result, "payment")["A1"].tender == "coupon"
    assert by_id(result, "payment")["A0"].tender == "custom:Trade"


def test_an_unknown_method_names_the_value_and_the_map_line(tmp_path: Path) -> None:
    text = "Trans ID,Date,Family,Amount,Method\nA1,01/05/2025,Lee,1.00,Venmo\n"
    [(row, column, reason)] = errors(import_text(tmp_path, text, ledger_preset(COLUMNS)))
    assert (row, column) == (2, "Method")
    assert "'Venmo'" in reason and '"Venmo": "custom:Venmo"' in reason
    assert "value_maps.tender" in reason


# --- 9. payout files ----------------------------------------------------------------------

def test_a_payout_file_is_refused_as_deposits_not_payments(tmp_path: Path) -> None:
    path = tmp_path / "stripe_payouts.csv"
    path.write_text("Payout ID,Arrival Date,Gross,Fee,Net\npo_1,2025-01-06,100.00,3.20,96.80\n",
                    encoding="utf-8")
    result = import_paths([path])
    assert not result.ok and "payout (deposit) file" in result.errors[0].reason
    assert "twice" in result.errors[0].reason
    refused = propose(read_path(path))
    assert refused.rule is None and refused.refused is not None
    # a payments export with the processor's fee beside the family is not refused
    path.write_text("Trans ID,Date,Family,Amount,Fee,Net\nA1,2025-01-06,Lee,100.00,3.20,96.80\n",
                    encoding="utf-8")
    assert propose(read_path(path)).rule is not None
