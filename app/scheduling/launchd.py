"""macOS: a launchd agent, ``~/Library/LaunchAgents/app.ledgerbridge.sync.<id>.plist``.

``StartCalendarInterval`` runs it daily at the hour and minute in local time; launchd
runs a job missed while the Mac slept when it wakes (not one missed while it was off).
Loaded into the user's GUI session with ``launchctl bootstrap gui/<uid>`` (the login
keychain is the signed-in user's); its output goes to the log folder.
"""

from __future__ import annotations

import os
import plistlib
import shlex
from pathlib import Path
from typing import Any

from app.scheduling.backend import Installed
from app.scheduling.runner import Runner, check, run_command
from app.scheduling.task import ScheduledTask


class LaunchdAgent:
    mechanism = "launchd agent"

    def __init__(self, runner: Runner = run_command, home: Path | None = None,
                 uid: int | None = None) -> None:
        self.runner = runner
        self.home = home or Path.home()
        self.uid = uid if uid is not None else os.getuid()  # type: ignore[attr-defined,unused-ignore]

    @staticmethod
    def label(task_id: str) -> str:
        return f"app.ledgerbridge.sync.{task_id}"

    def plist_path(self, task_id: str) -> Path:
        return self.home / "Library" / "LaunchAgents" / f"{self.label(task_id)}.plist"

    def plist(self, task: ScheduledTask) -> bytes:
        job: dict[str, Any] = {
            "Label": self.label(task.task_id),
            "ProgramArguments": list(task.argv),
            "StartCalendarInterval": {"Hour": task.at.hour, "Minute": task.at.minute},
            "RunAtLoad": False,
            "ProcessType": "Background",
        }
        if task.working_directory:
            job["WorkingDirectory"] = task.working_directory
        if task.log_file:
            job["StandardOutPath"] = job["StandardErrorPath"] = task.log_file
        return plistlib.dumps(job, sort_keys=True)

    def install(self, task: ScheduledTask) -> Installed:
        path = self.plist_path(task.task_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.runner(["launchctl", "bootout", f"gui/{self.uid}/{self.label(task.task_id)}"],
                    None)  # an older version of the job, if loaded; refusal means none
        path.write_bytes(self.plist(task))
        check(self.runner(["launchctl", "bootstrap", f"gui/{self.uid}", str(path)], None),
              "launchctl bootstrap")
        found = self.query(task.task_id)
        assert found is not None
        return found

    def remove(self, task_id: str) -> bool:
        path = self.plist_path(task_id)
        if not path.exists():
            return False
        self.runner(["launchctl", "bootout", f"gui/{self.uid}/{self.label(task_id)}"], None)
        path.unlink()
        return True

    def query(self, task_id: str) -> Installed | None:
        path = self.plist_path(task_id)
        if not path.exists():
            return None
        try:
            job = plistlib.loads(path.read_bytes())
            interval = job.get("StartCalendarInterval") or {}
            at = f"{int(interval['Hour']):02d}:{int(interval['Minute']):02d}"
            command = shlex.join(str(a) for a in job.get("ProgramArguments") or [])
        except (plistlib.InvalidFileException, KeyError, TypeError, ValueError):
            at, command = None, ""
        loaded = self.runner(["launchctl", "print", f"gui/{self.uid}/{self.label(task_id)}"],
                             None).ok
        return Installed(self.mechanism, str(path), at, command, loaded)
