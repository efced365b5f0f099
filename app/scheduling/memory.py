"""A scheduler that keeps its tasks in memory: for the screenshots and the window's tests.

Both turn the daily sync on and off through the real ``schedule_on``/``schedule_off``,
and neither may install a task on the computer it runs on (a screenshot run would leave
a crontab line or a systemd timer behind). It answers like a real backend: what was
installed is read back by ``query``, with the command line the task would run.
"""

from __future__ import annotations

import shlex

from app.scheduling.backend import Installed
from app.scheduling.task import ScheduledTask

MECHANISM = "test scheduler, kept in memory"


class MemoryScheduler:
    mechanism = MECHANISM

    def __init__(self) -> None:
        self.tasks: dict[str, ScheduledTask] = {}

    def __call__(self) -> MemoryScheduler:
        """It is its own factory (``Services(scheduler=MemoryScheduler())``)."""
        return self

    def install(self, task: ScheduledTask) -> Installed:
        self.tasks[task.task_id] = task
        installed = self.query(task.task_id)
        assert installed is not None
        return installed

    def remove(self, task_id: str) -> bool:
        return self.tasks.pop(task_id, None) is not None

    def query(self, task_id: str) -> Installed | None:
        task = self.tasks.get(task_id)
        if task is None:
            return None
        return Installed(self.mechanism, f"memory:{task_id}", task.at_text,
                         shlex.join(task.argv), active=True)
