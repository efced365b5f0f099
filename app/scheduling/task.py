"""What a scheduled daily sync runs, when, and under which name.

The command is the installed command line: in a packaged build the ``ledgerbridge-cli``
executable beside the app (on Windows ``ledgerbridge-task.exe``, the same program built
without a console window, so nothing flashes up at six in the morning); from a source
install the ``ledgerbridge`` script beside the interpreter; else the interpreter with
``-m app.cli`` run from the source folder. Its arguments name the data folder (when it is
not the platform's own) and the company by realm id, so the task works whatever company
the window shows, and say ``--scheduled`` so its report counts as the scheduled run.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import app
from app.config import AppPaths, home_argument

DEFAULT_AT = time(6, 0)  # before the office opens; any time after midnight works
_AT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class ScheduledTask:
    task_id: str  # stable per data folder and company: names the task, file or line
    company_name: str
    argv: tuple[str, ...]
    at: time
    working_directory: str | None = None
    log_file: str | None = None  # where a scheduler that keeps no log sends the output

    @property
    def at_text(self) -> str:
        return f"{self.at.hour:02d}:{self.at.minute:02d}"

    @property
    def description(self) -> str:
        return f"Ledgerbridge daily sync of {self.company_name}"


def parse_at(text: str) -> time:
    """``HH:MM`` (24-hour, local time)."""
    found = _AT.match(text.strip())
    if found is None:
        raise ValueError(f"not a time of day (HH:MM, 24-hour): {text!r}")
    return time(int(found.group(1)), int(found.group(2)))


def task_id(paths: AppPaths, company_id: int) -> str:
    """Ten hex digits of the data folder and company: two folders' tasks never clash."""
    text = f"{paths.data_dir}|{company_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def sync_task(paths: AppPaths, company_id: int, company_key: str, company_name: str,
              at: time = DEFAULT_AT, *, launcher: Launcher | None = None) -> ScheduledTask:
    launch = launcher or find_launcher()
    argv = [*launch.argv]
    home = home_argument(paths)
    if home is not None:
        argv += ["--home", home]
    argv += ["--company", company_key, "sync", "--scheduled"]
    return ScheduledTask(task_id(paths, company_id), company_name, tuple(argv), at,
                         launch.working_directory, str(paths.log_dir / "scheduled-sync.log"))


@dataclass(frozen=True)
class Launcher:
    argv: tuple[str, ...]  # what starts the command line
    working_directory: str | None = None


def find_launcher(executable: str | None = None, frozen: bool | None = None,
                  windows: bool | None = None) -> Launcher:
    """How this installation's command line is started (see the module's docstring)."""
    executable = executable or sys.executable
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    windows = sys.platform == "win32" if windows is None else windows
    here = Path(executable).parent
    if frozen:
        names = ("ledgerbridge-task.exe", "ledgerbridge-cli.exe") if windows \
            else ("ledgerbridge-cli",)
        for name in names:
            if (here / name).exists():
                return Launcher((str(here / name),))
        return Launcher((str(here / names[-1]),))
    script = here / ("ledgerbridge.exe" if windows else "ledgerbridge")
    if script.exists():
        return Launcher((str(script),))
    source = Path(app.__file__).resolve().parents[1]
    return Launcher((executable, "-m", "app.cli"), str(source))
