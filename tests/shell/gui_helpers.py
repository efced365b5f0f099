"""Building the real window for tests: a synchronous runner, a fake wizard, real folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.config import resolve_paths
from app.demo_company import demo_paths, open_demo_database, prepare_demo_company
from app.models.database import Database
from app.scheduling.memory import MemoryScheduler
from app.ui.background import BackgroundRunner, Operation, SynchronousRunner
from app.ui.main_window import MainWindow
from app.ui.services import Services
from app.ui.tasks import TaskRunner


class FakeWizardWindow(QWidget):
    """What the window holds while a wizard is open: its one signal, never shown."""

    setup_finished = Signal(int)


@dataclass
class FakeWizard:
    """Records how the window asked for the setup wizard (tests of the real one: tests/ui)."""

    calls: list[tuple[Any, Any, int | None, str | None]] = field(default_factory=list)
    opened: list[FakeWizardWindow] = field(default_factory=list)

    def __call__(self, parent: Any, services: Any, company_id: int | None = None,
                 page: str | None = None) -> FakeWizardWindow:
        self.calls.append((parent, services, company_id, page))
        self.opened.append(FakeWizardWindow())
        return self.opened[-1]


class QueuedRunner(BackgroundRunner):
    """Keeps work until the test runs it: to check what a late answer may paint."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[Operation] = []

    def _submit(self, operation: Operation) -> None:
        self.queue.append(operation)

    def run_all(self) -> None:
        while self.queue:
            self.queue.pop(0).run()


def make_window(qtbot: Any, home: Path, wizard: FakeWizard | None = None,
                runner: BackgroundRunner | None = None,
                scheduler: MemoryScheduler | None = None) -> tuple[MainWindow, Services]:
    """The window on ``home``; its daily sync is scheduled in memory (``scheduler``), never
    on the computer running the tests."""
    paths = resolve_paths(home).ensure()
    database = Database.open(paths)
    services = Services(paths, database, TaskRunner(runner or SynchronousRunner()),
                        demo_paths=demo_paths(home), open_demo_database=open_demo_database,
                        prepare_demo=prepare_demo_company, wizard_opener=wizard or FakeWizard(),
                        scheduler=scheduler or MemoryScheduler())
    window = MainWindow(services, paths.config_dir / "window.ini")
    qtbot.addWidget(window)
    window.show()
    return window, services


def close(window: MainWindow, services: Services) -> None:
    window.close()
    services.close()
    services.database.close()
