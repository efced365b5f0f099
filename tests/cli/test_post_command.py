"""``ledgerbridge post``, ``errors``, ``retry`` and ``status`` as a bookkeeper types them."""

from __future__ import annotations

import io
import json

import pytest

from app.cli import main

MAPPING = """
style = "summary"
go_live = 2025-01-01
sync = "daily"
organisation_class = "Riverside Swim"
{accounts}
[options]
create_missing = true
"""


@pytest.fixture
def home(tmp_path, capsys):
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "demo-data", "--out", str(tmp_path / "x"), "--families", "5",
                 "--months", "1"]) == 0
    assert main([*home, "import", str(tmp_path / "x")]) == 0
    (tmp_path / "m.toml").write_text(MAPPING.format(accounts=""), encoding="utf-8")
    assert main([*home, "mapping", "import", str(tmp_path / "m.toml")]) == 0
    assert main([*home, "connect", "--environment", "local"]) == 0
    capsys.readouterr()
    return home


def test_post_shows_the_preview_and_sends_nothing_unless_told_yes(home, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert main([*home, "post"]) == 0
    out = capsys.readouterr().out
    assert "Preview 2025-01-01 to " in out and "[y/N]" in out
    assert "Nothing was sent." in out
    assert main([*home, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["jobs"] == {} and status["last_run"] is None


def test_post_yes_sends_everything_once_and_status_shows_the_run(home, capsys):
    assert main([*home, "post", "--yes", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["run_status"] == "finished" and first["counts"]["posted"] > 5
    assert first["duplicates"] == [] and first["exit_code"] == 0
    assert main([*home, "post", "--yes", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["run_status"] == "nothing to send" and again["run_id"] is None
    assert main([*home, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["jobs"] == {"posted": first["counts"]["posted"]}
    assert status["last_run"]["id"] == first["run_id"]
    assert status["last_run"]["status"] == "finished"
    assert main([*home, "status"]) == 0
    assert f"Last run: #{first['run_id']} post 2025-01-01 to" in capsys.readouterr().out
    assert main([*home, "errors"]) == 0
    assert "Nothing needs attention" in capsys.readouterr().out


def test_a_problem_found_in_quickbooks_stops_the_post_before_its_first_write(
        home, tmp_path, capsys):
    wrong = MAPPING.format(accounts='[accounts]\nundeposited_funds = "Services"\n')
    (tmp_path / "wrong.toml").write_text(wrong, encoding="utf-8")
    assert main([*home, "mapping", "import", str(tmp_path / "wrong.toml")]) == 0
    capsys.readouterr()
    assert main([*home, "post", "--yes"]) == 2
    out = capsys.readouterr().out
    assert "Nothing was sent: fix these problems first." in out and "Services" in out
    assert main([*home, "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["jobs"] == {}


def test_retry_needs_jobs_or_all(home, capsys):
    assert main([*home, "retry"]) == 2
    assert "name the jobs to retry" in capsys.readouterr().err
    assert main([*home, "retry", "--all"]) == 0
    assert "Nothing to retry" in capsys.readouterr().out
    assert main([*home, "retry", "99"]) == 2
    assert "no failed, blocked, held or unsent job [99]" in capsys.readouterr().err
