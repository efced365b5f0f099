"""Linux with systemd: a user timer and its service, ``~/.config/systemd/user``.

``OnCalendar=*-*-* HH:MM:00`` in local time, ``Persistent=true`` so a run missed while
the computer was off starts when it is on again. A user timer runs while the user has a
session (``loginctl enable-linger`` makes it run without one; the keyring then may be
locked, which the sync reports). The output goes to the user's journal
(``journalctl --user -u ledgerbridge-sync-<id>``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from app.scheduling.backend import Installed
from app.scheduling.runner import Runner, check, run_command
from app.scheduling.task import ScheduledTask

_SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")
_ON_CALENDAR = re.compile(r"^OnCalendar=\*-\*-\* (\d\d):(\d\d)(?::\d\d)?$", re.M)
_EXEC = re.compile(r"^ExecStart=(.*)$", re.M)


def quote(argument: str) -> str:
    """One ExecStart argument in systemd's syntax (quotes, ``%%`` and ``$$``)."""
    text = argument if _SAFE.match(argument) else \
        '"' + argument.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text.replace("%", "%%").replace("$", "$$")


def path_value(path: str) -> str:
    """A path setting such as ``WorkingDirectory=``: written as is, spaces and all —
    systemd does not strip quotes there (a quoted path "is not absolute") — with only
    ``%`` escaped (``%%``), since specifiers are expanded in it."""
    return path.replace("%", "%%")


class SystemdUserTimer:
    mechanism = "systemd user timer"

    def __init__(self, runner: Runner = run_command, config_home: Path | None = None) -> None:
        self.runner = runner
        self.config_home = config_home or Path(
            os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")

    @staticmethod
    def available(runner: Runner = run_command) -> bool:
        """Whether the user's systemd answers (it does not in many containers)."""
        return runner(["systemctl", "--user", "show-environment"], None).ok

    @staticmethod
    def unit(task_id: str) -> str:
        return f"ledgerbridge-sync-{task_id}"

    @property
    def unit_dir(self) -> Path:
        return self.config_home / "systemd" / "user"

    def service_text(self, task: ScheduledTask) -> str:
        folder = f"WorkingDirectory={path_value(task.working_directory)}\n" \
            if task.working_directory else ""
        return (f"[Unit]\nDescription={task.description}\n\n"
                "[Service]\nType=oneshot\n"
                f"ExecStart={' '.join(quote(a) for a in task.argv)}\n"
                f"{folder}TimeoutStartSec=4h\n")

    def timer_text(self, task: ScheduledTask) -> str:
        return (f"[Unit]\nDescription={task.description} at {task.at_text}\n\n"
                f"[Timer]\nOnCalendar=*-*-* {task.at_text}:00\nPersistent=true\n"
                f"Unit={self.unit(task.task_id)}.service\n\n"
                "[Install]\nWantedBy=timers.target\n")

    def files(self, task_id: str) -> tuple[Path, Path]:
        base = self.unit_dir / self.unit(task_id)
        return base.with_name(base.name + ".service"), base.with_name(base.name + ".timer")

    def install(self, task: ScheduledTask) -> Installed:
        service, timer = self.files(task.task_id)
        self.unit_dir.mkdir(parents=True, exist_ok=True)
        service.write_text(self.service_text(task), encoding="utf-8")
        timer.write_text(self.timer_text(task), encoding="utf-8")
        check(self.runner(["systemctl", "--user", "daemon-reload"], None),
              "systemctl --user daemon-reload")
        check(self.runner(["systemctl", "--user", "enable", "--now", timer.name], None),
              "systemctl --user enable")
        found = self.query(task.task_id)
        assert found is not None
        return found

    def remove(self, task_id: str) -> bool:
        service, timer = self.files(task_id)
        if not (service.exists() or timer.exists()):
            return False
        self.runner(["systemctl", "--user", "disable", "--now", timer.name], None)
        service.unlink(missing_ok=True)
        timer.unlink(missing_ok=True)
        self.runner(["systemctl", "--user", "daemon-reload"], None)
        return True

    def query(self, task_id: str) -> Installed | None:
        service, timer = self.files(task_id)
        if not timer.exists():
            return None
        calendar = _ON_CALENDAR.search(timer.read_text(encoding="utf-8"))
        run = _EXEC.search(service.read_text(encoding="utf-8")) if service.exists() else None
        enabled = self.runner(["systemctl", "--user", "is-enabled", timer.name], None)
        return Installed(self.mechanism, str(timer),
                         f"{calendar.group(1)}:{calendar.group(2)}" if calendar else None,
                         run.group(1) if run else "",
                         enabled.stdout.strip() == "enabled" if enabled.stdout else None)
