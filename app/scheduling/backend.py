"""What every scheduler backend offers, and what it reports about an installed task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from app.scheduling.task import ScheduledTask


@dataclass(frozen=True)
class Installed:
    """A task as the operating system holds it (read back, not remembered)."""

    mechanism: str
    location: str  # the task's name, or the file or crontab holding it
    at: str | None  # HH:MM, local time
    command: str  # the command line, as the scheduler will run it
    active: bool | None = None  # enabled/loaded as the scheduler says; None: unknown

    def as_dict(self) -> dict[str, Any]:
        return {"mechanism": self.mechanism, "location": self.location, "at": self.at,
                "command": self.command, "active": self.active}


class Backend(Protocol):
    mechanism: str

    def install(self, task: ScheduledTask) -> Installed: ...

    def remove(self, task_id: str) -> bool: ...

    def query(self, task_id: str) -> Installed | None: ...
