"""``--company`` after ``sync``, ``schedule`` and ``sync-source`` (the form docs/installing.md
gives offices to schedule) works as the global one; both, and different, is refused."""

from __future__ import annotations

import pytest

from app.cli import build_parser
from app.cli import main as cli
from app.cli.context import UsageError, merge_company


@pytest.fixture
def two_companies(tmp_path, capsys):
    home = tmp_path / "books"
    for name in ("Riverside Swim", "Hilltop Gym"):
        assert cli(["--home", str(home), "company", "add", name]) == 0
    (tmp_path / "watch").mkdir()
    capsys.readouterr()
    return home


def test_company_after_sync_source_and_show_chooses_that_company(two_companies, tmp_path,
                                                                  capsys):
    home = str(two_companies)
    assert cli(["--home", home, "sync-source", "folder", str(tmp_path / "watch"),
                "--company", "Riverside Swim"]) == 0
    assert cli(["--home", home, "sync-source", "--company", "Riverside Swim", "show"]) == 0
    assert "the watch folder" in capsys.readouterr().out
    assert cli(["--home", home, "sync-source", "show", "--company", "Hilltop Gym"]) == 0
    assert capsys.readouterr().out.startswith("No sync source")


def test_company_after_sync_runs_that_companys_sync(two_companies, tmp_path, capsys):
    home = str(two_companies)
    assert cli(["--home", home, "--company", "Hilltop Gym", "sync-source", "folder",
                str(tmp_path / "watch")]) == 0
    capsys.readouterr()
    code = cli(["--home", home, "sync", "--company", "Hilltop Gym", "--settle", "0"])
    out = capsys.readouterr().out
    assert code == 2 and "Sync of Hilltop Gym" in out and "Riverside" not in out
    # The same company on both sides is no conflict.
    assert cli(["--home", home, "--company", "Hilltop Gym", "sync", "--company",
                "Hilltop Gym", "--settle", "0"]) == 2


def test_two_different_companies_are_refused_with_what_to_do(two_companies, capsys):
    code = cli(["--home", str(two_companies), "--company", "Hilltop Gym", "sync",
                "--company", "Riverside Swim"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--company was given twice" in err and "give the company once" in err


@pytest.mark.parametrize("argv", [
    ["sync", "--company", "C"], ["schedule", "on", "--company", "C", "--at", "06:30"],
    ["schedule", "--company", "C", "status"], ["sync-source", "off", "--company", "C"]])
def test_each_command_that_works_on_a_company_accepts_it_after_the_command(argv):
    args = build_parser().parse_args(argv)
    merge_company(args)
    assert args.company == "C"


def test_without_company_after_the_command_the_global_one_stays():
    args = build_parser().parse_args(["--company", "C", "sync"])
    merge_company(args)
    assert args.company == "C"
    args = build_parser().parse_args(["--company", "C", "sync", "--company", "D"])
    with pytest.raises(UsageError):
        merge_company(args)
