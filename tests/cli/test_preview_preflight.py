"""The preview re-validates the mapping against the connected company (SPEC §5)."""

import json

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
