import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.sqlite_only
def test_status_json_on_a_new_home_then_reused(tmp_path, capsys):
    home = tmp_path / "fresh"
    assert main(["--home", str(home), "status", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["company"] is None and first["records"] == {} and first["jobs"] == {}
    assert (home / "data" / "ledgerbridge.db").exists()
    assert main(["--home", str(home), "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["no-such-command"])
    assert raised.value.code == 2
    assert main([]) == 2


def test_version_through_the_console_entry_point(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0 and result.stdout.startswith("ledgerbridge ")


def test_status_text(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "status"]) == 0
    assert "Company: none yet" in capsys.readouterr().out


def test_every_command_module_is_registered():
    from app.cli import commands

    folder = Path(commands.__file__).parent
    on_disk = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    assert set(commands.COMMAND_MODULES) == on_disk
