"""A connected company whose daily sync reads a watch folder, for the core sync tests
(``conftest.py`` makes it the ``shop`` fixture)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.config import resolve_paths
from app.daily_sync.run import SyncOptions, sync_company
from app.daily_sync.source import SyncSourceSettings, save_sync_source
from app.models import SourceRecord, SyncFile
from app.plan.plan import Period
from app.sync.stamps import stamped_key
from tests.e2e.books import Books
from tests.e2e.demo import defaults_mapping

TIME_SCALE = 60.0
JAN_31, FEB_28 = date(2025, 1, 31), date(2025, 2, 28)
TO_FEB_28 = Period(date(2025, 1, 1), FEB_28)


class Shop:
    """A company whose daily sync reads ``watch``; ``sync()`` runs it like the command."""

    def __init__(self, tmp_path: Path, simulator: Any) -> None:
        self.home = tmp_path / "home"
        self.books = Books(self.home, simulator, defaults_mapping("summary"), TIME_SCALE)
        self.database, self.company_id = self.books.database, self.books.company_id
        self.paths = resolve_paths(self.home)
        self.watch = tmp_path / "watch"
        self.watch.mkdir()
        save_sync_source(self.database, self.company_id,
                         SyncSourceSettings("folder", str(self.watch)))

    def sync(self, through: date = FEB_28, **options: Any):  # type: ignore[no-untyped-def]
        options.setdefault("settle_seconds", 0)
        return sync_company(self.database, self.paths, self.company_id,
                            SyncOptions(through=through, **options),
                            open_client=self.books._client)

    def drop(self, exports: Path, folder: str, *names: str) -> Path:
        """Copy export files (all when none named) into a sub-folder of the watch folder."""
        target = self.watch / folder
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(exports.iterdir()):
            if not names or path.name in names:
                shutil.copy(path, target / path.name)
        return target

    def records(self) -> int:
        with self.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(SourceRecord)) or 0)

    def files_read(self) -> set[str]:
        with self.database.session() as session:
            return {Path(p).name for p in session.scalars(select(SyncFile.path))}

    def stamped(self, entity: str = "JournalEntry") -> list[str]:
        return [str(stamped_key(entity, r)) for r in self.books.records(entity)]


def invalid_payments(exports: Path, target: Path) -> Path:
    lines = (exports / "payments.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = "eighty"  # the amount
    lines[1] = ",".join(cells)
    target.mkdir(parents=True, exist_ok=True)
    (target / "payments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target / "payments.csv"
