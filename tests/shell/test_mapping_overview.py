"""The Mapping screen's rows are the wizard's rows: same rows per style, same verdicts."""

from __future__ import annotations

from app.cli import main
from app.config import resolve_paths
from app.mapping_overview import load_mapping_overview
from app.models.database import Database
from app.setup.sections import STYLE_ROLES

DETAILED = """
style = "detailed"
go_live = 2025-01-01
[income]
"Swim Lessons" = "Tuition:Swim"
"""


def test_a_detailed_company_shows_what_the_wizard_would_ask(tmp_path, capsys):
    home = tmp_path / "home"
    args = ["--home", str(home), "--company", "Riverside"]
    assert main(["--home", str(home), "company", "add", "Riverside"]) == 0
    assert main([*args, "demo-data", "--out", str(tmp_path / "data"), "--families", "4",
                 "--months", "1", "--seed", "4"]) == 0
    assert main([*args, "import", str(tmp_path / "data")]) == 0
    (tmp_path / "m.toml").write_text(DETAILED, encoding="utf-8")
    assert main([*args, "mapping", "import", str(tmp_path / "m.toml")]) == 0
    capsys.readouterr()
    database = Database.open(resolve_paths(str(home)).ensure())
    try:
        pages = {p.page: p for p in load_mapping_overview(database, 1)}
    finally:
        database.close()
    income = {row.source: row for row in pages["income"].rows}
    assert "Gift Cards" not in income  # detailed: the gift-card item posts to a liability
    assert (income["Swim Lessons"].target, income["Swim Lessons"].origin) == (
        "Tuition:Swim", "mapped")
    assert {row.origin for s, row in income.items() if s != "Swim Lessons"} <= {
        "unmapped", "nothing in the data yet"}
    roles = pages["special_accounts"].rows
    assert len(roles) == len(STYLE_ROLES["detailed"])  # only this style's roles
    tenders = pages["tenders"].rows
    assert tenders and all(row.origin != "default: created if missing" for row in tenders)
    assert all(row.origin.startswith("posts to the undeposited funds account")
               for row in tenders)  # the group's account decides, as the wizard says
