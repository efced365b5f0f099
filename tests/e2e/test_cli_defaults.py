"""The bookkeeper's walk-through: the same mapping file with nothing but defaults plans
the same accounts and classes in both styles (SPEC §3b, §4), through the CLI."""

from __future__ import annotations

import json

from app.cli import main

MAPPING = """style = "{style}"
go_live = 2025-01-01
organisation_class = "Demo Org"

[options]
create_missing = true
"""


def test_both_styles_plan_with_default_targets_from_the_cli(tmp_path, capsys):
    home, demo = str(tmp_path / "home"), tmp_path / "demo"
    assert main(["--home", home, "demo-data", "--out", str(demo), "--families", "6",
                 "--months", "2"]) == 0
    assert main(["--home", home, "import", str(demo)]) == 0
    created = {}
    for style in ("summary", "detailed"):
        toml = tmp_path / f"{style}.toml"
        toml.write_text(MAPPING.format(style=style), encoding="utf-8")
        assert main(["--home", home, "mapping", "import", str(toml)]) == 0
        capsys.readouterr()
        assert main(["--home", home, "preview", "--to", "2025-01-31", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [i["message"] for i in data["issues"] if i["severity"] == "error"] == []
        assert data["balanced"] is True
        created[style] = {o["key"] for o in data["operations"]
                          if o["key"].startswith(("account:", "class:"))}
    income_and_classes = {k for k in created["summary"] if k.startswith("class:Demo Org:")
                          or k.startswith("account:Sales Tax Payable:")}
    assert income_and_classes and income_and_classes <= created["detailed"]
    assert {"account:Dance", "account:Summer Camp"} <= created["summary"] & created["detailed"]
