"""SQLAlchemy models of the local state (no secrets: tokens are in the keyring)."""

from app.models.base import Base
from app.models.company import Company
from app.models.daily_sync import SyncFile, SyncRun, SyncSource
from app.models.imports import ImportBatch, SourceRecord, SourceRecordChange
from app.models.jobs import Job, LockedPeriod, ManifestEntry, PostingRun
from app.models.ledger import LedgerEntry
from app.models.mapping import MappingEntry

__all__ = [
    "Base",
    "Company",
    "ImportBatch",
    "Job",
    "LedgerEntry",
    "LockedPeriod",
    "ManifestEntry",
    "MappingEntry",
    "PostingRun",
    "SourceRecord",
    "SourceRecordChange",
    "SyncFile",
    "SyncRun",
    "SyncSource",
]
