"""Turn a company's daily sync on or off on this computer, and say how it stands.

What the command line (``ledgerbridge schedule on|off|status``) and the Settings screen
call. The operating system holds the truth about the task (it is read back, never
remembered); the company's sync source records where and when it was turned on
(``scheduled_on``, ``scheduled_at``), so another computer of an office sharing the
database can say that the sync runs elsewhere. The status also gives the last scheduled
run (``last_sync``).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from app.companies import stored_company
from app.config import DATABASE_URL_ENV, AppPaths
from app.daily_sync.history import SyncSummary, last_sync
from app.daily_sync.reports import local_time
from app.daily_sync.source import load_sync_source, set_scheduled
from app.models.database import Database
from app.scheduling.backend import Backend, Installed
from app.scheduling.cron import Crontab
from app.scheduling.launchd import LaunchdAgent
from app.scheduling.runner import Runner, SchedulingError, run_command
from app.scheduling.systemd import SystemdUserTimer
from app.scheduling.task import DEFAULT_AT, Launcher, ScheduledTask, sync_task, task_id
from app.scheduling.windows import WindowsTaskScheduler


def default_backend(runner: Runner = run_command, platform: str = sys.platform,
                    home: Path | None = None,
                    which: Callable[[str], str | None] = shutil.which) -> Backend:
    """This computer's scheduler; on Linux the user's systemd when it answers, else cron."""
    if platform == "win32":
        return WindowsTaskScheduler(runner)
    if platform == "darwin":
        return LaunchdAgent(runner, home)
    if SystemdUserTimer.available(runner):
        return SystemdUserTimer(runner, (home / ".config") if home else None)
    if which("crontab"):
        return Crontab(runner)
    raise SchedulingError("this computer has no scheduler Ledgerbridge can use: neither a "
                          "systemd user session (`systemctl --user`) nor `crontab` (Debian "
                          "and Ubuntu: `sudo apt-get install cron`)")


# What finds this computer's scheduler (the window's tests pass an in-memory one).
SchedulerFactory = Callable[[], Backend]


def office_database_problem() -> str:
    """Why this install cannot schedule its sync ("" when it can): an office database."""
    if not os.environ.get(DATABASE_URL_ENV):
        return ""
    return (f"this install uses an office database ({DATABASE_URL_ENV}); a scheduled task "
            "does not inherit that setting, and its password must not be written into the "
            "task: schedule `ledgerbridge sync` with your office's own tools "
            "(docs/installing.md, \"Daily sync\")")


@dataclass(frozen=True)
class ScheduleStatus:
    company_id: int
    company_name: str
    mechanism: str | None  # None: no usable scheduler on this computer
    installed: Installed | None
    expected: ScheduledTask | None  # what ``schedule on`` installs now
    last_run: SyncSummary | None  # the last scheduled sync, from the sync reports
    notes: tuple[str, ...] = ()

    @property
    def on(self) -> bool:
        return self.installed is not None

    def as_dict(self) -> dict[str, Any]:
        return {"company": {"id": self.company_id, "name": self.company_name},
                "on": self.on, "mechanism": self.mechanism,
                "installed": self.installed.as_dict() if self.installed else None,
                "command": list(self.expected.argv) if self.expected else None,
                "last_scheduled_run": self.last_run.as_dict() if self.last_run else None,
                "notes": list(self.notes)}

    def as_text(self) -> str:
        if self.installed is not None:
            where = self.installed
            lines = [f"Daily sync of {self.company_name}: on, at {where.at or '?'} "
                     f"({where.mechanism}: {where.location})",
                     f"Runs: {where.command}"]
            if where.active is False:
                lines.append("The scheduler holds the task but it is not enabled or loaded.")
        else:
            lines = [f"Daily sync of {self.company_name}: off on this computer"
                     + (f" ({self.mechanism})" if self.mechanism else "")]
        run = self.last_run
        lines.append("Last scheduled run: " + (
            f"{local_time(run.started_at)}, {run.status}: {run.message}" if run
            else "none yet"))
        lines += self.notes
        return "\n".join(lines)


def schedule_on(database: Database, paths: AppPaths, company_id: int, at: time = DEFAULT_AT,
                *, backend: Backend | None = None, launcher: Launcher | None = None,
                scheduler: SchedulerFactory | None = None) -> ScheduleStatus:
    """Install (or move) the company's daily sync; raises ``SchedulingError`` with what to
    do when it cannot be (no sync source, an office database the task cannot reach, no
    scheduler, the scheduler refused)."""
    office = office_database_problem()
    if office:
        raise SchedulingError(office)
    company = stored_company(database, company_id)
    if load_sync_source(database, company_id) is None:
        raise SchedulingError(f"{company.name} has no sync source yet: choose the folder or "
                              "API it reads first (`ledgerbridge sync-source folder DIR`)")
    chosen = backend or (scheduler or default_backend)()
    task = sync_task(paths, company_id, company.realm_id or company.name, company.name, at,
                     launcher=launcher)
    chosen.install(task)
    set_scheduled(database, company_id, socket.gethostname(), task.at_text)
    return schedule_status(database, paths, company_id, backend=chosen, launcher=launcher)


def schedule_off(database: Database, paths: AppPaths, company_id: int, *,
                 backend: Backend | None = None,
                 scheduler: SchedulerFactory | None = None) -> ScheduleStatus:
    """Remove the company's daily sync from this computer (nothing else changes)."""
    chosen = backend or (scheduler or default_backend)()
    chosen.remove(task_id(paths, company_id))
    source = load_sync_source(database, company_id)
    if source is not None and source.scheduled_on in (None, socket.gethostname()):
        set_scheduled(database, company_id, None, None)
    return schedule_status(database, paths, company_id, backend=chosen)


def schedule_status(database: Database, paths: AppPaths, company_id: int, *,
                    backend: Backend | None = None, launcher: Launcher | None = None,
                    scheduler: SchedulerFactory | None = None) -> ScheduleStatus:
    company = stored_company(database, company_id)
    notes: list[str] = []
    try:
        chosen: Backend | None = backend or (scheduler or default_backend)()
    except SchedulingError as exc:
        chosen = None
        notes.append(str(exc))
    installed = chosen.query(task_id(paths, company_id)) if chosen else None
    expected = sync_task(paths, company_id, company.realm_id or company.name, company.name,
                         launcher=launcher)
    source = load_sync_source(database, company_id)
    if installed is None and source is not None and source.scheduled_on:
        here = source.scheduled_on == socket.gethostname()
        notes.append(
            f"The daily sync was turned on here at {source.scheduled_at}, but the task is "
            "gone from the scheduler: turn it on again (`ledgerbridge schedule on`)." if here
            else f"The daily sync is turned on on {source.scheduled_on} at "
            f"{source.scheduled_at}.")
    if installed is not None and source is None:
        notes.append("The company has no sync source: each scheduled run will report it.")
    return ScheduleStatus(company.id, company.name,
                          chosen.mechanism if chosen else None, installed, expected,
                          last_sync(database, company_id, "scheduled"), tuple(notes))
