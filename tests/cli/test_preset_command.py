"""``ledgerbridge preset suggest``: a non-canonical export becomes importable."""

import json

from app.cli import main

EXPORT = (
    "Family ID,Family Name,Payment Date,Method,Amount Paid,Receipt #\n"
    "F1,The Lees,2026-03-02,Visa,120.00,R-1\n"
    'F2,"O\'Brien, Pat",2026-03-04,Cash,"1,200.00",R-2\n'
)


def test_suggest_save_and_import_with_the_preset(tmp_path, capsys):
    export = tmp_path / "march_payments.csv"
    export.write_text(EXPORT, encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "import", str(export)]) == 2  # not canonical: refused as it is
    capsys.readouterr()
    assert main([*home, "preset", "suggest", str(export), "--name", "regsys", "--save",
                 "--json"]) == 0
    suggestion = json.loads(capsys.readouterr().out)
    fields = {c["header"]: (c["record_type"], c["field"])
              for c in suggestion["files"][0]["columns"]}
    assert fields["Amount Paid"] == ("payment", "amount")
    assert fields["Method"] == ("payment", "tender")
    assert fields["Family Name"] == ("customer", "name")
    assert main([*home, "import", "--preset", "regsys", str(export), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert counts["payment"]["new"] == 2 and counts["customer"]["new"] == 2


def test_suggest_without_save_writes_nothing(tmp_path, capsys):
    export = tmp_path / "payments export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    assert main(["--home", str(tmp_path / "h"), "preset", "suggest", str(export),
                 "--name", "x"]) == 0
    assert "nothing saved" in capsys.readouterr().out
    assert not (tmp_path / "h" / "config" / "presets").exists()


def test_an_id_without_a_name_column_goes_on_the_files_own_record(tmp_path, capsys):
    """A payments export with "Family ID" but no family name: the preset must import."""
    export = tmp_path / "May Export - Payments.csv"
    export.write_text(
        "Txn ID,Payment Date,Method,Amount Paid,Family ID,Payment Status,Ref\n"
        "T1,2026-05-02,Visa,120.00,F1,Paid,ch_1\n"
        "T2,2026-05-03,Cash,50.00,F1,Declined,ch_2\n", encoding="utf-8")
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,name\nF1,The Lees\n", encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "import", str(customers)]) == 0
    capsys.readouterr()
    assert main([*home, "preset", "suggest", str(export), "--name", "may", "--save",
                 "--json"]) == 0
    columns = {c["header"]: (c["record_type"], c["field"])
               for c in json.loads(capsys.readouterr().out)["files"][0]["columns"]}
    assert columns["Family ID"] == ("payment", "customer_id")
    assert columns["Payment Status"] == ("payment", "status")
    assert columns["Ref"] == ("payment", "reference")
    assert main([*home, "import", "--preset", "may", str(export), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["payment"]["new"] == 2
    from app.config import resolve_paths
    from app.importers.store import load_dataset
    from app.models.database import Database

    database = Database.open(resolve_paths(tmp_path / "home"))
    with database.session() as session:
        statuses = {p.payment_id: p.status for p in load_dataset(session, 1).payments}
    assert statuses == {"T1": "completed", "T2": "failed"}  # a declined payment stays failed
