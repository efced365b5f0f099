"""Linux without a user systemd: one line in the user's crontab (``crontab -l`` / ``-``).

The line is marked with ``# ledgerbridge-sync-<id>`` so it is found and replaced, and
every other line is kept as it was. Cron starts jobs with an almost empty environment:
the line names the user's D-Bus session (so the Secret Service keyring can be reached
while the user is signed in) and sends the output to the log folder. Cron does not run
a job missed while the computer was off; the next day's sync posts what it missed.
"""

from __future__ import annotations

import re
import shlex

from app.scheduling.backend import Installed
from app.scheduling.runner import Runner, SchedulingError, check, run_command
from app.scheduling.task import ScheduledTask

_TIME = re.compile(r"^(\d{1,2}) (\d{1,2}) \* \* \* ")


class Crontab:
    mechanism = "crontab"

    def __init__(self, runner: Runner = run_command, uid: int | None = None) -> None:
        import os

        self.runner = runner
        self.uid = uid if uid is not None else os.getuid()  # type: ignore[attr-defined,unused-ignore]

    @staticmethod
    def marker(task_id: str) -> str:
        return f"# ledgerbridge-sync-{task_id}"

    def line(self, task: ScheduledTask) -> str:
        bus = f"/run/user/{self.uid}"
        command = (f"DBUS_SESSION_BUS_ADDRESS=unix:path={bus}/bus XDG_RUNTIME_DIR={bus} "
                   + shlex.join(task.argv))
        if task.working_directory:
            command = f"cd {shlex.quote(task.working_directory)} && {command}"
        if task.log_file:
            command += f" >> {shlex.quote(task.log_file)} 2>&1"
        command = command.replace("%", "\\%")  # a bare % ends a cron command
        return f"{task.at.minute} {task.at.hour} * * * {command} {self.marker(task.task_id)}"

    def read(self) -> list[str]:
        done = self.runner(["crontab", "-l"], None)
        if not done.ok:
            if "no crontab" in done.output().lower():
                return []
            raise SchedulingError(f"crontab -l failed: {done.output()}")
        return done.stdout.splitlines()

    def _write(self, lines: list[str]) -> None:
        check(self.runner(["crontab", "-"], "\n".join(lines) + "\n"), "crontab")

    def install(self, task: ScheduledTask) -> Installed:
        mark = self.marker(task.task_id)
        kept = [line for line in self.read() if not line.rstrip().endswith(mark)]
        self._write([*kept, self.line(task)])
        found = self.query(task.task_id)
        assert found is not None
        return found

    def remove(self, task_id: str) -> bool:
        mark = self.marker(task_id)
        lines = self.read()
        kept = [line for line in lines if not line.rstrip().endswith(mark)]
        if len(kept) == len(lines):
            return False
        self._write(kept)
        return True

    def query(self, task_id: str) -> Installed | None:
        mark = self.marker(task_id)
        line = next((x for x in self.read() if x.rstrip().endswith(mark)), None)
        if line is None:
            return None
        found = _TIME.match(line)
        at = f"{int(found.group(2)):02d}:{int(found.group(1)):02d}" if found else None
        command = line[found.end():] if found else line
        return Installed(self.mechanism, "crontab", at,
                         command.removesuffix(mark).rstrip(), True)
