"""``ledgerbridge report deposit-split`` over imported exports."""

import json
from decimal import Decimal

from app.cli import main


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


def test_deposit_split_totals_by_tender_and_program(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    write(exports, "customers.csv", "customer_id,name\nC1,Lee\n")
    write(exports, "locations.csv", "location_id,name\nL1,Downtown\n")
    write(exports, "programs.csv", "program_id,name,location_id\nSW,Swim,L1\nCA,Camp,L1\n")
    write(exports, "payments.csv",
          "payment_id,customer_id,date,tender,amount\n"
          "P1,C1,2026-03-02,card,100.00\nP2,C1,2026-03-20,cash,50.00\nP3,C1,2026-04-02,card,9.00\n")
    write(exports, "payment_allocations.csv",
          "payment_id,program_id,amount\nP1,SW,60.00\nP1,CA,40.00\nP2,CA,50.00\nP3,SW,9.00\n")
    write(exports, "refunds.csv", "refund_id,payment_id,date,amount\nR1,P1,2026-03-25,10.00\n")
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "import", str(exports)]) == 0
    capsys.readouterr()
    assert main([*home, "report", "deposit-split", "--from", "2026-03-01", "--to",
                 "2026-03-31", "--json", "--csv", str(tmp_path / "split.csv")]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    tenders = {r["key"]: Decimal(r["net"]) for r in rows if r["section"] == "tender"}
    assert tenders == {"card": Decimal("90.00"), "cash": Decimal("50.00")}  # April excluded
    revenue = {r["key"]: Decimal(r["net"]) for r in rows if r["section"] == "revenue"}
    assert sum(revenue.values()) == Decimal("140.00")  # the refund reduces revenue pro rata
    assert (tmp_path / "split.csv").read_text().count("\n") > len(tenders)


def test_report_without_data_is_a_usage_error(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "report", "deposit-split"]) == 2
    assert "no company yet" in capsys.readouterr().err
