"""The edge between imports and the database: store a result, read a dataset back.

Records are kept one row per (company, record type, source ID) in ``SourceRecord``. A
re-import compares content hashes: unchanged is a no-op, changed is an update plus a
``SourceRecordChange`` with the field diff, and a record a later *full* export no longer
has is flagged (``missing_since_batch_id``) and reported, never deleted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache, partial
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Engine, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.domain.codec import record_from_json, record_to_json
from app.domain.dataset import Dataset
from app.domain.money import money
from app.importers.pipeline import ImportResult, collector_paused
from app.importers.record_text import canonical_texts, text_hashes
from app.importers.validate import KnownRecords
from app.models.base import JsonText, utcnow
from app.models.company import active_company
from app.models.imports import ImportBatch, SourceRecord, SourceRecordChange

_CHUNK = 500  # ids per IN (...) query: well under every database's parameter limit
_WRITE_CHUNK = 20_000  # records encoded and inserted at a time: bounds the memory used
# Stored records read at a time: the ORM would otherwise fetch every row in one C call,
# holding the GIL the window's event loop needs (app/yielding.py).
_FETCH_SLICE = 5_000


@dataclass
class StoreSummary:
    batch_id: int
    status: str  # "imported" | "rejected"
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # "record_type:source_id", newly missing
    changed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"batch_id": self.batch_id, "status": self.status, "counts": self.counts,
                "missing": self.missing, "changed": self.changed}


def content_hash(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def known_records(session: Session, company_id: int) -> KnownRecords:
    """What earlier imports stored, for references from this import (pure validation)."""
    known = KnownRecords()
    rows = session.execute(select(SourceRecord.record_type, SourceRecord.source_id)
                           .where(SourceRecord.company_id == company_id)
                           .execution_options(yield_per=_FETCH_SLICE))
    for record_type, source_id in rows:
        known.ids.setdefault(record_type, set()).add(source_id)
    payments = session.execute(
        select(SourceRecord.source_id, SourceRecord.data).where(
            SourceRecord.company_id == company_id, SourceRecord.record_type == "payment")
        .execution_options(yield_per=_FETCH_SLICE))
    known.payment_amounts = {sid: money(data["amount"]) for sid, data in payments}
    known.load_payments = partial(stored_payments, session.get_bind(), company_id)
    return known


def stored_payments(bind: Any, company_id: int) -> dict[str, Any]:
    """Every stored payment of the company, rebuilt (a connection of its own: the session
    that built ``KnownRecords`` may be closed by the time a ledger needs them)."""
    statement = select(SourceRecord.source_id, SourceRecord.data).where(
        SourceRecord.company_id == company_id, SourceRecord.record_type == "payment")
    if not isinstance(bind, Engine):  # a session bound to one connection: use that one
        rows = list(bind.execute(statement))
    else:
        with bind.connect() as connection:
            rows = list(connection.execute(statement))
    return {sid: record_from_json("payment", _as_dict(data)) for sid, data in rows}


def _as_dict(data: Any) -> dict[str, Any]:
    return json.loads(data) if isinstance(data, str) else data


def store_import(
    session: Session,
    result: ImportResult,
    *,
    full: bool = False,
    user: str | None = None,
    source_kind: str = "csv",
    preset: str | None = None,
    company_id: int | None = None,
) -> StoreSummary:
    """Record the batch; store the records only when the result has no errors.

    ``company_id`` names the company (the folder's only one when left out).
    """
    if company_id is None:
        company = active_company(session, create=True)
        assert company is not None
        company_id = company.id
    batch = ImportBatch(company_id=company_id, user=user, source_kind=source_kind,
                        preset=preset, full_export=full, files=result.files,
                        status="imported" if result.ok else "rejected",
                        error_count=len(result.errors), counts={})
    session.add(batch)
    session.flush()
    summary = StoreSummary(batch.id, batch.status)
    if result.ok:
        with collector_paused():
            _Writer(session, company_id, batch.id, summary).write(result, full)
    batch.counts = summary.counts
    batch.finished_at = utcnow()
    return summary


class _Writer:
    def __init__(self, session: Session, company_id: int, batch_id: int,
                 summary: StoreSummary) -> None:
        self.session = session
        self.company_id = company_id
        self.batch_id = batch_id
        self.summary = summary

    def write(self, result: ImportResult, full: bool) -> None:
        """One record type at a time, so only one type's stored keys are in memory."""
        missing_checked = sorted(result.primary_types) if full else []
        for record_type in [*result.records, *missing_checked]:
            if record_type in self.summary.counts:
                continue  # a primary type already written with its records
            counts = self.summary.counts.setdefault(record_type, _zero_counts())
            existing = self._existing(record_type)
            seen: set[str] = set()
            self._write_type(record_type, result.records.get(record_type, []), existing, seen,
                             counts)
            if record_type in missing_checked:
                self._flag_missing(record_type, existing, seen, counts)

    def _existing(self, record_type: str) -> dict[str, Any]:
        """Source ID -> (id, source_id, hash, missing since) of the stored records."""
        rows = self.session.connection().execute(  # Core rows: no ORM loading per row
            select(SourceRecord.id, SourceRecord.source_id, SourceRecord.content_hash,
                   SourceRecord.missing_since_batch_id)
            .where(SourceRecord.company_id == self.company_id,
                   SourceRecord.record_type == record_type))
        return {row[1]: row for row in rows}

    def _write_type(self, record_type, records, existing, seen, counts) -> None:  # type: ignore[no-untyped-def]
        for start in range(0, len(records), _WRITE_CHUNK):
            chunk = records[start:start + _WRITE_CHUNK]
            self._write_chunk(record_type, chunk, existing, seen, counts)

    def _write_chunk(self, record_type, records, existing, seen, counts) -> None:  # type: ignore[no-untyped-def]
        """One canonical text per record: its hash decides, and it is the stored JSON."""
        texts = canonical_texts(record_type, records)
        digests = text_hashes(texts)
        keys = [record.key for record in records]
        seen.update(keys)
        if not existing:  # nothing of this type stored yet: every record is new
            self._insert_new(record_type, list(zip(keys, texts, digests, strict=True)))
            counts["new"] += len(records)
            return
        inserts, updates, returned = [], [], []
        for key, record, text, digest in zip(keys, records, texts, digests, strict=True):
            row = existing.get(key)
            if row is None:
                inserts.append((key, text, digest))
            elif row.content_hash != digest:
                updates.append((row, record, text, digest))
            elif row.missing_since_batch_id is not None:
                returned.append(row)
        self._insert_new(record_type, inserts)
        self._apply_updates(record_type, updates)
        self._mark_returned(returned)
        counts["new"] += len(inserts)
        counts["changed"] += len(updates)
        counts["unchanged"] += len(records) - len(inserts) - len(updates)

    def _insert_new(self, record_type: str, rows: list[tuple[str, str, str]]) -> None:
        """New rows in one driver-level executemany of the dialect's own INSERT.

        SQLAlchemy's per-row parameter processing cost more than SQLite's work; the
        statement is still compiled by the dialect (no SQLite-only SQL), and the JSON
        column gets the canonical text as it is (the same text the hash is of).
        """
        if not rows:
            return
        constants = (self.company_id, record_type, self.batch_id, self.batch_id)
        sql, order = _insert_sql(self.session.get_bind().dialect)
        params: list[Any] = [(*constants, *row) for row in rows]
        if order is None:
            names = [f"p_{name}" for name in _INSERT_COLUMNS]
            params = [dict(zip(names, p, strict=True)) for p in params]
        elif order != tuple(range(len(_INSERT_COLUMNS))):
            params = [tuple(p[i] for i in order) for p in params]
        self.session.connection().exec_driver_sql(sql, params)

    def _apply_updates(self, record_type: str, updates: list[tuple[Any, Any, str, str]]) -> None:
        if not updates:
            return
        old_data = self._data_of([row.id for row, _, _, _ in updates])
        changes = []
        for row, record, _, _ in updates:
            diff = field_diff(old_data[row.id], record_to_json(record))
            note = "back in the export" if row.missing_since_batch_id is not None else None
            changes.append({"record_id": row.id, "batch_id": self.batch_id,
                            "change": "changed", "diff": diff, "note": note})
            self.summary.changed.append(f"{record_type}:{row.source_id}")
        statement = update(_TABLE).where(_TABLE.c.id == bindparam("record_id")).values(
            data=bindparam("data_text", type_=JsonText()), content_hash=bindparam("digest"),
            last_batch_id=self.batch_id, missing_since_batch_id=None)
        self.session.execute(statement, [
            {"record_id": row.id, "data_text": text, "digest": digest}
            for row, _, text, digest in updates
        ])
        self.session.execute(insert(SourceRecordChange), changes)

    def _mark_returned(self, rows: list[Any]) -> None:
        if not rows:
            return
        self.session.execute(update(SourceRecord), [
            {"id": row.id, "missing_since_batch_id": None} for row in rows])
        self.session.execute(insert(SourceRecordChange), [
            {"record_id": row.id, "batch_id": self.batch_id, "change": "returned", "diff": {},
             "note": "back in the export, unchanged"} for row in rows])

    def _flag_missing(self, record_type, existing, seen, counts) -> None:  # type: ignore[no-untyped-def]
        # Sorted here: without ORDER BY, SQLite and PostgreSQL return rows in different orders.
        absent = sorted((row for source_id, row in existing.items() if source_id not in seen),
                        key=itemgetter(1))  # source ID: the order SQLite's index gave
        counts["missing"] = len(absent)
        newly = [row for row in absent if row.missing_since_batch_id is None]
        if not newly:
            return
        self.session.execute(update(SourceRecord), [
            {"id": row.id, "missing_since_batch_id": self.batch_id} for row in newly])
        self.session.execute(insert(SourceRecordChange), [
            {"record_id": row.id, "batch_id": self.batch_id, "change": "missing", "diff": {},
             "note": "not in this full export; kept, never deleted"} for row in newly])
        self.summary.missing.extend(f"{record_type}:{row.source_id}" for row in newly)

    def _data_of(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            rows = self.session.execute(
                select(SourceRecord.id, SourceRecord.data).where(SourceRecord.id.in_(chunk)))
            out.update((record_id, data) for record_id, data in rows)
        return out


_TABLE = cast(Table, SourceRecord.__table__)
_INSERT_COLUMNS = ("company_id", "record_type", "first_batch_id", "last_batch_id",
                   "source_id", "data", "content_hash")


@cache
def _insert_sql(dialect: Any) -> tuple[str, tuple[int, ...] | None]:
    """The dialect's INSERT for new source records, and the order of its positional
    parameters within ``_INSERT_COLUMNS`` (None: the dialect takes named parameters)."""
    statement = insert(_TABLE).values(
        {name: bindparam(f"p_{name}") for name in _INSERT_COLUMNS})
    compiled = statement.compile(dialect=dialect)
    if not compiled.positional:
        return str(compiled), None
    names = [f"p_{name}" for name in _INSERT_COLUMNS]
    return str(compiled), tuple(names.index(n) for n in compiled.positiontup or ())


def _zero_counts() -> dict[str, int]:
    return {"new": 0, "changed": 0, "unchanged": 0, "missing": 0}


def field_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"amount": {"old": "10.00", "new": "12.00"}}`` for every field that differs."""
    names = sorted(set(old) | set(new))
    return {n: {"old": old.get(n), "new": new.get(n)} for n in names if old.get(n) != new.get(n)}


def load_dataset(session: Session, company_id: int) -> Dataset:
    """Every stored record of the company, rebuilt; ``missing`` names the flagged ones."""
    rows = session.execute(  # fetched in slices: one fetchall holds the GIL (yielding.py)
        select(SourceRecord.record_type, SourceRecord.source_id, SourceRecord.data,
               SourceRecord.missing_since_batch_id)
        .where(SourceRecord.company_id == company_id)
        .execution_options(yield_per=_FETCH_SLICE))
    records, missing = [], []
    for record_type, source_id, data, missing_since in rows:
        records.append(record_from_json(record_type, data))
        if missing_since is not None:
            missing.append(f"{record_type}:{source_id}")
    return Dataset.from_records(records, missing)
