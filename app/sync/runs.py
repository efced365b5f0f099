"""Posting runs and their manifests, as the bookkeeper and the accountant read them.

``runs`` lists every post, retry, undo and resync of a company; a run's manifest is the
document an accountant files: which source files (by hash) and which mapping version it
was made from, and every operation it handled — key, QuickBooks entity, id, DocNumber,
action, amount, result and time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.accounting.preview import safe_cell
from app.models.database import Database
from app.models.jobs import ManifestEntry, PostingRun

MANIFEST_COLUMNS = ("key", "entity", "qbo_id", "doc_number", "action", "amount", "date",
                    "result", "error_code", "message", "time")


@dataclass(frozen=True)
class RunRow:
    id: int
    kind: str
    period_from: date | None
    period_to: date | None
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, int]
    duplicates: int
    message: str | None
    undoes_run_id: int | None = None  # an undo: the run it undid
    app_version: str | None = None  # the Ledgerbridge that made it (None: before 0.1.0)
    undone_by: int | None = None  # the finished undo that took its records out of QuickBooks

    @property
    def status_text(self) -> str:
        """The status as the runs list says it: an undone run says so beside "finished"."""
        text = self.status.replace("_", " ")
        return f"{text} · undone by run {self.undone_by}" if self.undone_by else text

    @property
    def kind_text(self) -> str:
        """``undo of run 2`` for an undo: the run is the undo, not what was undone."""
        return f"undo of run {self.undoes_run_id}" if self.undoes_run_id else self.kind

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind,
                "period_from": _iso(self.period_from), "period_to": _iso(self.period_to),
                "started_at": self.started_at.isoformat(),
                "finished_at": _iso(self.finished_at), "status": self.status,
                "counts": dict(self.counts), "duplicates": self.duplicates,
                "message": self.message, "undoes_run": self.undoes_run_id,
                "undone_by": self.undone_by, "ledgerbridge_version": self.app_version}


@dataclass(frozen=True)
class ManifestLine:
    key: str
    entity: str
    qbo_id: str | None
    doc_number: str | None
    action: str
    amount: Decimal | None
    txn_date: date | None
    result: str
    error_code: str | None
    message: str | None
    at: datetime

    def cells(self) -> list[str]:
        return [self.key, self.entity, self.qbo_id or "", self.doc_number or "", self.action,
                format(self.amount, "f") if self.amount is not None else "",
                _iso(self.txn_date) or "", self.result, self.error_code or "",
                self.message or "", self.at.isoformat()]


@dataclass(frozen=True)
class Manifest:
    run: RunRow
    mapping_version: int
    source_files: list[dict[str, Any]]
    lines: list[ManifestLine]

    def as_dict(self) -> dict[str, Any]:
        return {"run": self.run.as_dict(), "mapping_version": self.mapping_version,
                "source_files": self.source_files,
                "operations": [dict(zip(MANIFEST_COLUMNS, line.cells(), strict=True))
                               for line in self.lines]}

    def write_csv(self, path: Path) -> None:
        """The manifest as one CSV: a header block for the run, then one row per operation."""
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            run = self.run
            writer.writerow(["run", run.id, run.kind, _iso(run.period_from) or "",
                             _iso(run.period_to) or "", run.status])
            writer.writerow(["mapping_version", self.mapping_version])
            writer.writerow(["ledgerbridge_version", run.app_version or ""])
            for source in self.source_files:
                writer.writerow(["source_file", safe_cell(str(source.get("file") or "")),
                                 source.get("sha256") or ""])
            writer.writerow([])
            writer.writerow(MANIFEST_COLUMNS)
            for line in self.lines:
                writer.writerow([safe_cell(cell) for cell in line.cells()])


def list_runs(database: Database, company_id: int) -> list[RunRow]:
    with database.session() as session:
        runs = list(session.scalars(select(PostingRun).where(
            PostingRun.company_id == company_id).order_by(PostingRun.id)))
        undone = undone_runs(runs)
        return [_run_row(run, undone.get(run.id)) for run in runs]


def undone_runs(runs: Iterable[PostingRun | RunRow]) -> dict[int, int]:
    """Run -> the finished undo that undid it. An undo that failed, was cancelled or
    finished with errors left records in QuickBooks: the run still counts as posted."""
    undone: dict[int, int] = {}
    for run in runs:
        if run.kind == "undo" and run.status == "finished" and run.undoes_run_id is not None:
            undone.setdefault(run.undoes_run_id, run.id)
    return undone


def load_manifest(database: Database, company_id: int, run_id: int) -> Manifest:
    with database.session() as session:
        run = session.get(PostingRun, run_id)
        if run is None or run.company_id != company_id:
            raise LookupError(f"there is no run {run_id}: see `ledgerbridge runs`")
        entries = session.scalars(select(ManifestEntry).where(ManifestEntry.run_id == run_id)
                                  .order_by(ManifestEntry.id))
        lines = [ManifestLine(e.ledger_key, e.entity_type, e.qbo_id, e.doc_number, e.action,
                              e.amount, e.txn_date, e.result, e.error_code, e.message, e.at)
                 for e in entries]
        undone = undone_runs(session.scalars(select(PostingRun).where(
            PostingRun.company_id == company_id, PostingRun.undoes_run_id == run_id)))
        return Manifest(_run_row(run, undone.get(run_id)), run.mapping_version,
                        list(run.source_hashes or []), lines)


def _run_row(run: PostingRun, undone_by: int | None = None) -> RunRow:
    return RunRow(run.id, run.kind, run.period_from, run.period_to, run.started_at,
                  run.finished_at, run.status, dict(run.counts or {}),
                  len(run.duplicates or []), run.message, run.undoes_run_id,
                  run.app_version, undone_by)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
