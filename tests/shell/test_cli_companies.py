"""Two companies in one folder through the CLI: chosen with --company, kept apart."""

from __future__ import annotations

import json

from app.cli import main
from app.simulator import SandboxServer

MAPPING = """
style = "summary"
go_live = 2025-01-01
sync = "daily"
organisation_class = "{org}"
[options]
create_missing = true
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_two_companies_are_chosen_by_name_or_realm_and_never_mix(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    for name, families, org in (("Riverside Swim", "4", "Riverside"),
                                ("Lakeview Dance", "3", "Lakeview")):
        assert run(capsys, *home, "company", "add", name)[0] == 0
        exports = tmp_path / name
        assert run(capsys, *home, "demo-data", "--out", str(exports), "--families", families,
                   "--months", "1", "--seed", families)[0] == 0
        assert run(capsys, *home, "--company", name, "import", str(exports))[0] == 0
        toml = tmp_path / f"{org}.toml"
        toml.write_text(MAPPING.format(org=org), encoding="utf-8")
        assert run(capsys, *home, "--company", name, "mapping", "import", str(toml))[0] == 0

    # Riverside on the folder's built-in simulator, Lakeview on a simulator at a URL.
    assert run(capsys, *home, "--company", "Riverside Swim", "connect",
               "--environment", "local")[0] == 0
    with SandboxServer(port=0) as other:
        code, out, err = run(capsys, *home, "--company", "lakeview dance", "connect",
                             "--environment", "local", "--base-url", other.info["base_url"],
                             "--json")
        assert code == 0, err
        lakeview_realm = json.loads(out)["realm_id"]
        code, out, _ = run(capsys, *home, "company", "list", "--json")
        listed = {c["name"]: c for c in json.loads(out)}
        assert listed["Lakeview Dance"]["default"]  # the last one added is the default
        assert listed["Riverside Swim"]["simulator"] and listed["Lakeview Dance"]["simulator"]

        code, out, err = run(capsys, *home, "--company", "Riverside Swim", "post", "--yes",
                             "--json", "--to", "2025-01-31")
        assert code == 0, err
        assert json.loads(out)["counts"]["posted"] > 0

        # Nothing of Riverside's post shows for Lakeview, in the folder or in its QuickBooks.
        code, out, _ = run(capsys, *home, "--company", lakeview_realm, "runs", "--json")
        assert (code, json.loads(out)) == (0, [])
        code, out, _ = run(capsys, *home, "--company", lakeview_realm, "errors", "--status",
                           "all", "--json")
        assert json.loads(out) == []
        assert other.stats().get("by_method", {}).get("POST", 0) == 0  # nothing written there
        code, out, _ = run(capsys, *home, "--company", "Riverside Swim", "runs", "--json")
        assert [r["kind"] for r in json.loads(out)] == ["post"]

        statuses = {}
        for name in ("Riverside Swim", "Lakeview Dance"):
            code, out, _ = run(capsys, *home, "--company", name, "status", "--json")
            statuses[name] = json.loads(out)
        assert statuses["Riverside Swim"]["records"]["customer"] == 4
        assert statuses["Lakeview Dance"]["records"]["customer"] == 3
        assert statuses["Lakeview Dance"]["last_run"] is None

        # `company use` changes the default; an unknown or unclear choice names the choices.
        assert run(capsys, *home, "company", "use", "Riverside Swim")[0] == 0
        code, out, _ = run(capsys, *home, "status", "--json")
        assert json.loads(out)["company"]["name"] == "Riverside Swim"
        code, _, err = run(capsys, *home, "--company", "Nobody", "status")
        assert code == 2 and "Lakeview Dance" in err and "Riverside Swim" in err
        # One QuickBooks company is one company here: a second row may not take its realm.
        code, _, err = run(capsys, *home, "--company", "Lakeview Dance", "connect",
                           "--environment", "local")
        assert code == 2 and "already the company 'Riverside Swim" in err


def test_without_a_default_several_companies_must_be_chosen(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    assert run(capsys, *home, "company", "add", "A")[0] == 0
    assert run(capsys, *home, "company", "add", "B")[0] == 0
    (tmp_path / "home" / "config" / "last-company.json").unlink()
    code, _, err = run(capsys, *home, "runs")
    assert code == 2 and "several companies and none was chosen" in err and "A (" in err
    code, out, _ = run(capsys, *home, "--company", "b", "runs")
    assert code == 0 and "No runs yet" in out


def test_the_demo_flag_works_in_the_demo_folder(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    code, out, _ = run(capsys, *home, "--demo", "status", "--json")
    assert code == 0 and "demo" in json.loads(out)["database"]


def test_a_company_is_renamed_and_names_stay_unique(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    for name in ("Riverside Swim", "Lakeview Dance"):
        assert run(capsys, *home, "company", "add", name)[0] == 0
    code, out, _ = run(capsys, *home, "--company", "Riverside Swim", "company", "rename",
                       "Riverside Aquatics")
    assert code == 0 and "now called 'Riverside Aquatics'" in out
    code, _, err = run(capsys, *home, "--company", "Riverside Aquatics", "company", "rename",
                       "lakeview dance")
    assert code == 2 and "already a company called 'lakeview dance'" in err
    code, out, _ = run(capsys, *home, "company", "list", "--json")
    assert sorted(c["name"] for c in json.loads(out)) == ["Lakeview Dance", "Riverside Aquatics"]


def test_the_switcher_tells_twin_names_apart_by_realm(qtbot):
    from app.companies import CompanyEntry
    from app.ui.company_list_model import CompanyListModel
    from app.ui.services import CompanyChoice, CompanyRef

    def choice(company_id: int, realm: str | None) -> CompanyChoice:
        entry = CompanyEntry(company_id, "Sandbox Company", None, realm, "sandbox", None,
                             "connected", None)
        return CompanyChoice(CompanyRef(company_id), entry)

    model = CompanyListModel()
    model.set_choices([choice(1, "9130"), choice(2, "9131")])
    shown = [model.index(row).data() for row in range(2)]
    assert shown == ["Sandbox Company — 9130", "Sandbox Company — 9131"]
    model.set_choices([choice(1, "9130")])
    assert model.index(0).data() == "Sandbox Company"
