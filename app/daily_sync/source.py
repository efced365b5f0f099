"""Where a company's sync reads its exports: an API source or a watch folder.

Stored per company in the database (``sync_source``), so the window and the command line
see the same setting. An API source's address and endpoints stay in its own settings file
(``ledgerbridge source add``) and its secret in the keyring; here only its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models.daily_sync import SyncSource
from app.models.database import Database

KINDS = ("api", "folder")


@dataclass(frozen=True)
class SyncSourceSettings:
    kind: str  # "api" | "folder"
    location: str  # the API source's name, or the watch folder's absolute path
    preset: str | None = None  # the column-mapping preset exports are read with
    sheet: str | None = None  # an Excel export's sheet
    date_format: str | None = None  # the export's date format when not ISO
    full_export: bool = False  # each import is a full export: report what vanished
    # Set by ``schedule on``: the computer that runs the daily sync, and at what time.
    scheduled_on: str | None = None
    scheduled_at: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a sync source is an API source or a folder, not {self.kind!r}")
        if not self.location.strip():
            raise ValueError("name the API source or the folder")
        if self.kind == "folder" and not Path(self.location).is_absolute():
            raise ValueError(f"the watch folder must be an absolute path: {self.location}")

    def describe(self) -> str:
        return (f"the API source {self.location!r}" if self.kind == "api"
                else f"the watch folder {self.location}")

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "location": self.location, "preset": self.preset,
                "sheet": self.sheet, "date_format": self.date_format,
                "full_export": self.full_export, "scheduled_on": self.scheduled_on,
                "scheduled_at": self.scheduled_at}


def load_sync_source(database: Database, company_id: int) -> SyncSourceSettings | None:
    with database.session() as session:
        row = session.scalars(select(SyncSource).where(
            SyncSource.company_id == company_id)).first()
        if row is None:
            return None
        return SyncSourceSettings(row.kind, row.location, row.preset, row.sheet,
                                  row.date_format, row.full_export, row.scheduled_on,
                                  row.scheduled_at)


def save_sync_source(database: Database, company_id: int, settings: SyncSourceSettings
                     ) -> None:
    with database.session() as session:
        row = session.scalars(select(SyncSource).where(
            SyncSource.company_id == company_id)).first()
        if row is None:
            row = SyncSource(company_id=company_id)
            session.add(row)
        row.kind, row.location, row.preset = settings.kind, settings.location, settings.preset
        row.sheet, row.date_format = settings.sheet, settings.date_format
        row.full_export = settings.full_export  # where it is scheduled is schedule's own


def set_scheduled(database: Database, company_id: int, computer: str | None,
                  at: str | None) -> None:
    """Record where and when the daily sync is scheduled (None, None: nowhere)."""
    with database.session() as session:
        row = session.scalars(select(SyncSource).where(
            SyncSource.company_id == company_id)).first()
        if row is not None:
            row.scheduled_on, row.scheduled_at = computer, at


def clear_sync_source(database: Database, company_id: int) -> bool:
    """Forget the company's sync source; False when it had none. Files read stay read."""
    with database.session() as session:
        row = session.scalars(select(SyncSource).where(
            SyncSource.company_id == company_id)).first()
        if row is None:
            return False
        session.delete(row)
        return True


def companies_with_a_source(database: Database) -> list[int]:
    with database.session() as session:
        return list(session.scalars(select(SyncSource.company_id)
                                    .order_by(SyncSource.company_id)))
