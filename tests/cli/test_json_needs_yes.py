"""A command that writes to QuickBooks asks first; with --json nobody can answer."""

from __future__ import annotations

import pytest

from app.cli import main


@pytest.mark.parametrize("command", [["post"], ["undo", "1"]])
def test_json_without_yes_is_refused_before_anything_is_opened(tmp_path, capsys, command):
    assert main(["--home", str(tmp_path), *command, "--json"]) == 2
    assert "--json cannot ask before sending: add --yes" in capsys.readouterr().err
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())
