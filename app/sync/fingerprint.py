""""Nothing changed since the last clean run": a fingerprint of everything a plan reads.

SPEC §5: only what changed since the last successful sync is planned. A plan is a
function of the source records, the mapping (with the ids pre-flight found), the
ledger, the period and the locked months (and of this version's planners). When all of
them are exactly as they stood at the end of a run that posted everything, planning
again would send nothing: the fingerprint proves it without planning the whole history
again, so a daily re-run with no change costs what it should.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from app import __version__
from app.mapping.config import MappingConfig
from app.models.database import Database
from app.models.imports import SourceRecord
from app.models.jobs import LockedPeriod
from app.models.ledger import LedgerEntry
from app.plan.plan import Period


def inputs_fingerprint(database: Database, company_id: int, period: Period,
                       mapping: MappingConfig) -> str:
    digest = hashlib.sha256()
    digest.update(f"v{__version__}|{period.start}|{period.end}|{mapping!r}".encode())
    with database.session() as session:
        records = session.execute(
            select(SourceRecord.record_type, SourceRecord.source_id, SourceRecord.content_hash,
                   SourceRecord.missing_since_batch_id)
            .where(SourceRecord.company_id == company_id)
            .order_by(SourceRecord.record_type, SourceRecord.source_id))
        for row in records:
            digest.update("|".join(map(str, row)).encode())
        count, changed, last = session.execute(
            select(func.count(), func.max(LedgerEntry.updated_at), func.max(LedgerEntry.id))
            .where(LedgerEntry.company_id == company_id)).one()
        digest.update(f"|ledger {count} {changed} {last}".encode())
        for start, end in session.execute(
                select(LockedPeriod.period_start, LockedPeriod.period_end)
                .where(LockedPeriod.company_id == company_id)
                .order_by(LockedPeriod.period_start)):
            digest.update(f"|locked {start} {end}".encode())
    return digest.hexdigest()
