"""``ledgerbridge import`` and ``ledgerbridge demo-data`` end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.cli import main
from app.importers.mapping import Preset, TableMapping, TableRule, save_preset
from app.importers.pipeline import import_paths
from tests.importers.helpers import small_export, write_csv, write_records


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_counts_and_reimport_is_unchanged(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    home, folder = str(tmp_path / "home"), small_export(tmp_path / "x")
    code, out, _ = _run(capsys, "--home", home, "import", str(folder), "--json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] and payload["counts"]["payment"]["new"] == 2
    code, out, _ = _run(capsys, "--home", home, "import", str(folder), "--full")
    assert code == 0 and "payment" in out and "missing" in out
    line = next(li for li in out.splitlines() if li.startswith("payment "))
    assert line.split()[1:] == ["0", "0", "2", "0"]


def test_import_with_errors_exits_2_lists_them_and_stores_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    home, folder = str(tmp_path / "home"), small_export(tmp_path / "x")
    write_records(folder, "payment", [
        {"payment_id": "P1", "customer_id": "C1", "date": "2025-01-06", "tender": "card",
         "amount": "=1+1"},
        {"payment_id": "P2", "customer_id": "C2", "date": "01/02/2025", "tender": "cash",
         "amount": "50.00"}])
    errors_csv = tmp_path / "errors.csv"
    code, _, err = _run(capsys, "--home", home, "import", str(folder), "--errors-csv",
                        str(errors_csv))
    assert code == 2 and "payments.csv:2 [amount]" in err and "ambiguous" in err
    with errors_csv.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["value"] for r in rows if r["column"] == "amount"] == ["'=1+1"]
    code, out, _ = _run(capsys, "--home", home, "status", "--json")
    assert json.loads(out)["records"] == {}
    code, _, _ = _run(capsys, "--home", home, "import", str(folder), "--date-format",
                      "%d/%m/%Y")
    assert code == 2  # the formula is still not an amount


def test_import_with_a_preset_by_name(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    columns = {"customer": {"customer_id": "Account", "name": "Account Name"}}
    save_preset(Preset("crm", (TableRule("families*.csv", TableMapping("customer", columns)),)),
                home / "config" / "presets")
    (tmp_path / "in").mkdir()
    write_csv(tmp_path / "in" / "families-2025.csv", ["Account", "Account Name"], [["A1", "Lee"]])
    code, out, _ = _run(capsys, "--home", str(home), "import", str(tmp_path / "in"),
                        "--preset", "crm", "--json")
    assert code == 0 and json.loads(out)["counts"]["customer"]["new"] == 1
    code, _, err = _run(capsys, "--home", str(home), "import", str(tmp_path / "in"),
                        "--preset", "nope")
    assert code == 2 and "no preset named" in err


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(capsys, "--home", str(tmp_path), "import", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such file" in err


def test_demo_data_is_deterministic_complete_and_valid(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b"):
        code, _, _ = _run(capsys, "--home", str(tmp_path / "h"), "demo-data", "--out",
                          str(tmp_path / name), "--families", "25", "--months", "2",
                          "--seed", "7")
        assert code == 0
    for file in (tmp_path / "a").iterdir():
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes()
    result = import_paths([tmp_path / "a"])
    assert result.ok, [i.as_text() for i in result.errors[:5]]
    records = result.records
    tenders = {p.tender for p in records["payment"]}
    assert {"card", "echeck", "cash", "check", "house_credit", "coupon", "gift_card",
            "other_credit", "multiplier"} <= tenders
    assert any(t.startswith("custom:") for t in tenders)
    assert {r.kind for r in records["refund"]} == {"refund", "chargeback", "echeck_return"}
    assert any(r.amount < next(p.amount for p in records["payment"]
                               if p.payment_id == r.payment_id) for r in records["refund"])
    assert any(p.kind == "gift_card" for p in records["program"])
    assert any(c.program_id == "PRG-GIFT" for c in records["charge"])
    assert any(c.status == "removed" and c.removed_date for c in records["charge"])
    assert any(c.amount == 0 for c in records["charge"])
    assert any(p.status == "failed" for p in records["payment"])
    last_charge = max(c.date for c in records["charge"])
    assert any(p.start_date and p.start_date > last_charge for p in records["program"])
    assert len({p.location_id for p in records["program"]} - {None}) == 3
    assert len(records["tax_rate"]) == 2 and len(records["location"]) == 3
    names = " ".join(c.name for c in records["customer"])
    assert "'" in names and ":" in names and any(ord(ch) > 127 for ch in names)
    children = {}
    for p in records["participant"]:
        children[p.customer_id] = children.get(p.customer_id, 0) + 1
    assert set(children.values()) <= {1, 2, 3, 4} and len(set(children.values())) > 1
