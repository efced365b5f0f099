"""The issue's new user, from the command line: a Jackrabbit-style transactions file,
``preset suggest``, then ``import`` with the preset; built-in presets by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main

TRANSACTIONS = """Transactions
Date Range: 01/01/2025 - 01/31/2025

Trans ID,Family ID,Family Name,Student,Trans Date,Trans Type,Category,Location,Amount,Payment Method
1001,F1,Smith,Emma Smith,01/05/2025,Payment,Tuition,Downtown,$125.00,Visa
1002,F2,Jones,Sam Jones,01/06/2025,Payment,Tuition,Uptown,"$1,250.00",Check
1003,F1,Smith,Emma Smith,01/09/2025,Refund,Tuition,Downtown,($25.00),Visa
1004,F3,Ng,Kai Ng,01/10/2025,Payment,Recital Fee,Downtown,$40.00,Account Credit
Total:,,,,,,,,"$1,390.00",
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_then_import_a_transactions_ledger(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "Transactions.csv"
    export.write_text(TRANSACTIONS, encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    code, _, err = _run(capsys, *home, "import", str(export))
    assert code == 2 and "preset suggest" in err
    code, out, _ = _run(capsys, *home, "preset", "suggest", str(export), "--name", "jr",
                        "--json")
    report = json.loads(out)["files"][0]
    fields = {c["header"]: (c["record_type"], c["field"]) for c in report["columns"]}
    assert fields["Trans ID"] == ("payment", "payment_id")
    assert fields["Trans Date"] == ("payment", "date")
    assert fields["Student"] == ("participant", "full_name")
    assert fields["Category"] == ("program", "name")
    assert report["shape"]["row_kind"] == {"column": "Trans Type", "values": {
        "Payment": "payment", "Refund": "refund"}}
    assert any("could be day/month or month/day" in q for q in report["questions"])
    code, out, _ = _run(capsys, *home, "preset", "suggest", str(export), "--name", "jr",
                        "--date-format", "%m/%d/%Y", "--save")
    assert code == 0 and "Trans Type" in out and "row_kind" in out
    code, out, _ = _run(capsys, *home, "import", "--preset", "jr", str(export))
    assert code == 0, out
    assert ("Transactions.csv: 7 rows read: 3 customer, 2 location, 3 participant, "
            "3 payment, 3 payment_allocation, 2 program, 1 refund; 3 row(s) skipped") in out
    assert "row 9 skipped (totals row): Total: | $1,390.00" in out
    assert "matched to payment 1001" in out


def test_import_json_reports_each_file(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "Transactions.csv"
    export.write_text(TRANSACTIONS, encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    _run(capsys, *home, "preset", "suggest", str(export), "--name", "jr", "--date-format",
         "%m/%d/%Y", "--save")
    code, out, _ = _run(capsys, *home, "import", "--preset", "jr", str(export), "--json")
    [entry] = json.loads(out)["files"]
    assert code == 0 and entry["rows_read"] == 7
    assert entry["records"]["payment"] == 3 and entry["records"]["refund"] == 1
    assert [s["reason"] for s in entry["skipped"]] == [
        "title line above the header", "title line above the header", "totals row"]


def test_builtin_presets_are_listed_shown_copied_and_used_by_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--home", str(tmp_path / "home")]
    code, out, _ = _run(capsys, *home, "preset", "list", "--json")
    builtin = json.loads(out)["builtin"]
    assert code == 0 and "pike13-transactions" in builtin
    assert "checked against a real export" in builtin["pike13-transactions"]
    code, out, _ = _run(capsys, *home, "preset", "show", "teamsnap-transactions")
    assert code == 0 and json.loads(out)["tables"][0]["row_kind"]["column"] == "Type"
    code, out, _ = _run(capsys, *home, "preset", "copy", "teamsnap-transactions", "my-club")
    assert code == 0 and (tmp_path / "home" / "config" / "presets" / "my-club.json").exists()
    code, _, err = _run(capsys, *home, "preset", "copy", "teamsnap-transactions", "my-club")
    assert code == 2 and "exists already" in err
    sample = Path(__file__).parent / "samples" / "teamsnap-transactions.csv"
    code, out, _ = _run(capsys, *home, "import", "--preset", "my-club", str(sample), "--json")
    assert code == 0 and json.loads(out)["counts"]["refund"]["new"] == 2


def test_a_payout_file_is_refused_by_suggest_and_import(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payouts = tmp_path / "payouts.csv"
    payouts.write_text("Payout ID,Arrival Date,Gross,Fees,Net\npo_1,2025-01-06,100.00,3.20,96.80\n",
                       encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    code, _, err = _run(capsys, *home, "preset", "suggest", str(payouts), "--name", "p",
                        "--save")
    assert code == 2 and "count every payment twice" in err
    code, _, err = _run(capsys, *home, "import", str(payouts))
    assert code == 2 and "payout (deposit) file" in err
