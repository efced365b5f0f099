"""The preview re-validates the mapping against the connected company (SPEC §5)."""

import json
from decimal import Decimal

from app.cli import main

MAPPING = """
style = "summary"
go_live = 2025-01-01
sync = "daily"
organisation_class = "Riverside Swim"

[options]
create_missing = true
"""


def created_accounts(preview):
    return {op["summary"] for op in preview["operations"]
            if op["entity"] == "Account" and op["action"] == "create"}


def test_existing_accounts_are_found_not_created_again(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "demo-data", "--out", str(tmp_path / "x"), "--families", "8",
                 "--months", "1"]) == 0
    assert main([*home, "import", str(tmp_path / "x")]) == 0
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    assert main([*home, "mapping", "import", str(tmp_path / "m.toml")]) == 0
    capsys.readouterr()

    assert main([*home, "preview", "--offline", "--json"]) == 0
    offline = json.loads(capsys.readouterr().out)
    assert "mapping_not_checked" in {i["code"] for i in offline["issues"]}
    assert any("Undeposited Funds" in s for s in created_accounts(offline))

    assert main([*home, "connect", "--environment", "local"]) == 0
    capsys.readouterr()
    assert main([*home, "preview", "--json"]) == 0
    live = json.loads(capsys.readouterr().out)
    assert "mapping_not_checked" not in {i["code"] for i in live["issues"]}
    # The simulator's new company has Undeposited Funds: used, not created a second time.
    assert not any("Undeposited Funds" in s for s in created_accounts(live))
    assert any("Merchant Settlement" in s for s in created_accounts(live))


def test_preview_shows_the_lines_each_operation_posts(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "demo-data", "--out", str(tmp_path / "x"), "--families", "6",
                 "--months", "1"]) == 0
    assert main([*home, "import", str(tmp_path / "x")]) == 0
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    assert main([*home, "mapping", "import", str(tmp_path / "m.toml")]) == 0
    capsys.readouterr()
    csv_file = tmp_path / "preview.csv"
    assert main([*home, "preview", "--offline", "--json", "--csv", str(csv_file)]) == 0
    preview = json.loads(capsys.readouterr().out)
    entry = next(op for op in preview["operations"] if op["entity"] == "JournalEntry")
    assert entry["payload"]["Line"] and entry["postings"]
    debits = sum(Decimal(p["debit"]) for p in entry["postings"])
    credits = sum(Decimal(p["credit"]) for p in entry["postings"])
    assert debits == credits == Decimal(entry["amount"])
    rows = csv_file.read_text(encoding="utf-8").splitlines()
    assert sum(1 for r in rows if r.startswith("line,")) == len(entry["postings"])
    assert main([*home, "preview", "--offline", "--lines"]) == 0
    text = capsys.readouterr().out
    assert "Operations, in the order they will be sent:" in text
    assert "Payments – card" in text  # each journal line says what it is


def test_the_companys_closing_date_holds_back_what_falls_before_it(tmp_path, capsys):
    from app.demo_company import SIMULATOR_FILE
    from app.simulator import SandboxServer

    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "demo-data", "--out", str(tmp_path / "x"), "--families", "6",
                 "--months", "2"]) == 0
    assert main([*home, "import", str(tmp_path / "x")]) == 0
    (tmp_path / "m.toml").write_text(MAPPING.replace('sync = "daily"', 'sync = "manual"'),
                                     encoding="utf-8")
    assert main([*home, "mapping", "import", str(tmp_path / "m.toml")]) == 0
    assert main([*home, "connect", "--environment", "local"]) == 0
    data_file = tmp_path / "home" / "data" / SIMULATOR_FILE
    with SandboxServer(port=0, data_file=str(data_file)) as simulator:
        simulator.set_closing_date("2030-12-31")  # everything falls in a closed period
    capsys.readouterr()
    assert main([*home, "preview", "--json"]) == 0
    issues = {i["code"]: i for i in json.loads(capsys.readouterr().out)["issues"]}
    assert issues["closed_period"]["severity"] == "error"
    assert issues["closed_period"]["blocks"]
