"""The daily sync scheduled for real on Linux, in a temporary HOME.

What is real: the systemd user timer and service written by ``schedule on`` into
``$HOME/.config/systemd/user`` of a temporary HOME; systemd's own ``systemd-analyze
verify --user`` accepting both units (it checks the syntax, the keys, the calendar and
that ExecStart is an executable); ``systemd-analyze calendar`` on the OnCalendar; and the
ExecStart command line itself, run as systemd would run it (its working directory — one
whose name has a space and a percent sign, taken as systemd reads it, unquoted — a bare
environment, that HOME), leaving a *scheduled* sync report that ``schedule status``
then shows as the last scheduled run.

What is not: ``systemctl --user daemon-reload / enable`` are recorded, not run — a test
must never change the real user's systemd (nor their crontab: ``crontab`` always edits
the invoking user's table, so cron is tested with the boundary mocked only).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import time
from pathlib import Path

import pytest

from app.cli import main as cli
from app.config import resolve_paths
from app.daily_sync.history import last_sync
from app.models.database import Database
from app.scheduling.runner import Completed, run_command
from app.scheduling.service import schedule_off, schedule_on, schedule_status
from app.scheduling.systemd import SystemdUserTimer
from app.scheduling.task import Launcher

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_MAPPING = REPO / "resources" / "examples" / "demo-mapping.toml"

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="systemd user timers are Linux's"),
    pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                       reason="systemd-analyze is not installed"),
]


class UserSystemctl:
    """Runs everything for real except ``systemctl`` (recorded: the real user's manager is
    never touched; ``is-enabled`` answers as an enabled timer would)."""

    def __init__(self) -> None:
        self.recorded: list[list[str]] = []

    def __call__(self, argv: Sequence[str], stdin: str | None) -> Completed:
        if argv[0] == "systemctl":
            self.recorded.append(list(argv))
            return Completed(0, "enabled\n" if "is-enabled" in argv else "")
        return run_command(argv, stdin)


def systemd_words(line: str) -> list[str]:
    """An ExecStart line's arguments (systemd's quoting, ``%%`` and ``$$`` undone)."""
    return [w.replace("%%", "%").replace("$$", "$") for w in shlex.split(line)]


def test_schedule_on_writes_units_systemd_accepts_and_their_command_runs_a_scheduled_sync(
        tmp_path, capsys, monkeypatch):
    # A per-user install on a local SQLite home, even in the suite's PostgreSQL run: an
    # office database cannot be scheduled (tests/daily_sync/test_schedule_service.py).
    monkeypatch.delenv("LEDGERBRIDGE_DATABASE_URL", raising=False)
    user_home = tmp_path / "user"
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {"HOME": str(user_home), "XDG_CONFIG_HOME": str(user_home / ".config"),
           "XDG_RUNTIME_DIR": str(runtime), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "LANG": "C.UTF-8"}
    books = tmp_path / "books"
    exports, watch = tmp_path / "exports", tmp_path / "watch"
    for args in (["demo-data", "--out", str(exports), "--families", "4", "--months", "1"],
                 ["connect", "--environment", "local"],
                 ["mapping", "import", str(EXAMPLE_MAPPING)]):
        assert cli(["--home", str(books), *args]) == 0
    shutil.copytree(exports, watch / "2025-01-31")
    for path in (watch / "2025-01-31").iterdir():  # written an hour ago: settled
        os.utime(path, (path.stat().st_mtime - 3600,) * 2)
    assert cli(["--home", str(books), "sync-source", "folder", str(watch)]) == 0
    capsys.readouterr()

    paths = resolve_paths(books)
    database = Database.open(paths)
    systemctl = UserSystemctl()
    timers = SystemdUserTimer(systemctl, user_home / ".config")
    # This checkout, through a folder whose name has a space and a percent sign: systemd
    # must take the WorkingDirectory= as written (it keeps quotes, expands specifiers).
    source = tmp_path / "Ledgerbridge source 100%"
    source.symlink_to(REPO, target_is_directory=True)
    launcher = Launcher((sys.executable, "-m", "app.cli"), str(source))
    try:
        status = schedule_on(database, paths, 1, time(7, 30), backend=timers,
                             launcher=launcher)
        service, timer = timers.files(status.expected.task_id)
        assert service.parent == user_home / ".config/systemd/user" and timer.exists()
        verify = subprocess.run(["systemd-analyze", "verify", "--user", str(timer),
                                 str(service)], env=env, capture_output=True, text=True,
                                timeout=60)
        assert verify.returncode == 0 and verify.stderr == "", verify.stderr
        calendar = subprocess.run(["systemd-analyze", "calendar", "*-*-* 07:30:00"],
                                  env=env, capture_output=True, text=True, timeout=60)
        assert "Normalized form: *-*-* 07:30:00" in calendar.stdout
        assert systemctl.recorded[:2] == [
            ["systemctl", "--user", "daemon-reload"],
            ["systemctl", "--user", "enable", "--now", timer.name]]

        unit = service.read_text()
        command = next(line.removeprefix("ExecStart=") for line in unit.splitlines()
                       if line.startswith("ExecStart="))
        folder = next(line.removeprefix("WorkingDirectory=") for line in unit.splitlines()
                      if line.startswith("WorkingDirectory="))
        assert folder == str(source).replace("%", "%%")  # as systemd reads it: no quotes
        run = subprocess.run(systemd_words(command), cwd=folder.replace("%%", "%"),
                             env={**env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                                  "QT_QPA_PLATFORM": "offscreen"},
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        scheduled = last_sync(database, 1, "scheduled")
        assert scheduled is not None and scheduled.status == "ok", scheduled
        assert "imported 9 file(s)" in scheduled.message and "posted" in scheduled.message
        assert schedule_status(database, paths, 1, backend=timers).last_run == scheduled

        assert not schedule_off(database, paths, 1, backend=timers).on
        assert not service.exists() and not timer.exists()
    finally:
        database.close()
