"""``ledgerbridge mapping import|export``."""

from __future__ import annotations

from pathlib import Path

from app.cli import main
from app.mapping.toml_format import read_mapping_file

SPEC_EXAMPLE = Path(__file__).with_name("spec_example.toml")


def test_import_then_export_round_trips(tmp_path, capsys):
    home = str(tmp_path / "home")
    assert main(["--home", home, "mapping", "import", str(SPEC_EXAMPLE)]) == 0
    assert "mapping version 1" in capsys.readouterr().out
    out = tmp_path / "out.toml"
    assert main(["--home", home, "mapping", "export", str(out)]) == 0
    assert read_mapping_file(out) == read_mapping_file(SPEC_EXAMPLE)
    assert main(["--home", home, "mapping", "import", str(out)]) == 0
    assert "mapping version 1" in capsys.readouterr().out  # nothing changed


def test_bad_file_exits_2_with_every_issue(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('style = "x"\n[accounts]\nfoo = "A"\n', encoding="utf-8")
    assert main(["--home", str(tmp_path / "home"), "mapping", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "style = 'x'" in err and "'foo' is not an account role" in err


def test_export_without_a_mapping_is_a_usage_error(tmp_path, capsys):
    assert main(["--home", str(tmp_path / "home"), "mapping", "export",
                 str(tmp_path / "x.toml")]) == 2
    assert "no mapping" in capsys.readouterr().err


def test_import_json_reports_the_issues(tmp_path, capsys):
    import json

    bad = tmp_path / "bad.toml"
    bad.write_text('style = "summary"\n', encoding="utf-8")
    assert main(["--home", str(tmp_path / "home"), "mapping", "import", str(bad), "--json"]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["imported"] is False
    assert [i["code"] for i in result["issues"]] == ["missing_go_live"]
