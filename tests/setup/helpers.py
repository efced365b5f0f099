"""Shared pieces for the setup-wizard tests: services on a fresh data folder, no Qt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.config import resolve_paths
from app.models.database import Database
from app.progress import Cancelled, Progress
from app.setup.services import SetupServices


class InlineRunner:
    """Runs work at once on the calling thread (the core needs no Qt to be tested)."""

    def start(self, work: Callable[[Progress], Any], *, on_success=None, on_failure=None,
              on_progress=None, on_cancelled=None) -> Progress:
        progress = Progress(on_progress or (lambda *_: None))
        try:
            result = work(progress)
        except Cancelled:
            if on_cancelled:
                on_cancelled()
        except Exception as exc:
            if on_failure is None:
                raise
            on_failure(exc)
        else:
            if on_success:
                on_success(result)
        return progress


def services_for(home, **changes: Any) -> SetupServices:
    paths = resolve_paths(str(home)).ensure()
    services = SetupServices(database=Database.open(paths), paths=paths, runner=InlineRunner(),
                             open_browser=lambda url: None, user="tester")
    return replace(services, **changes)


def progress() -> Progress:
    return Progress(lambda *_: None)


def spoil(payments_csv: str) -> str:
    """Two bad cells: an amount that is not money (row 2), a date that is none (row 4)."""
    lines = payments_csv.splitlines()
    for row, column, bad in ((1, 3, "1e3"), (3, 1, "2025-02-30")):
        cells = lines[row].split(",")
        cells[column] = bad
        lines[row] = ",".join(cells)
    return "\n".join(lines) + "\n"
