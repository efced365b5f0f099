"""A summary of the local state, shared by ``ledgerbridge status`` and the main window."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ImportBatch, Job, PostingRun, SourceRecord
from app.models.company import Company, active_company


@dataclass(frozen=True)
class StatusReport:
    company: dict[str, Any] | None
    records: dict[str, int] = field(default_factory=dict)
    missing_records: int = 0
    jobs: dict[str, int] = field(default_factory=dict)
    imports: int = 0
    database: str = ""
    last_run: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "records": self.records,
            "missing_records": self.missing_records,
            "jobs": self.jobs,
            "imports": self.imports,
            "database": self.database,
            "last_run": self.last_run,
        }

    def as_text(self) -> str:
        lines = []
        if self.company is None:
            lines.append("Company: none yet (import exports, or `ledgerbridge connect`)")
        else:
            c = self.company
            where = c["environment"]
            if c.get("api_base_url") and where == "local":
                where = f"local simulator at {c['api_base_url']}"
            lines.append(f"Company: {c['name']} ({where}, {c['connection_state']})")
            lines.append(f"Posting style: {c['posting_style'] or 'not chosen'}")
        total = sum(self.records.values())
        per_type = ", ".join(f"{k} {v}" for k, v in sorted(self.records.items())) or "none"
        lines.append(f"Source records: {total} ({per_type})")
        if self.missing_records:
            lines.append(f"Missing from the latest full export: {self.missing_records}")
        jobs = ", ".join(f"{k} {v}" for k, v in sorted(self.jobs.items())) or "none"
        lines.append(f"Jobs: {jobs}")
        lines.append(f"Last run: {_run_text(self.last_run)}")
        lines.append(f"Imports: {self.imports}")
        lines.append(f"Database: {self.database}")
        return "\n".join(lines)


def collect_status(session: Session, company_id: int | None = None, *,
                   database_location: str = "") -> StatusReport:
    """The status of the company ``company_id`` (the folder's only one when left out)."""
    company = session.get(Company, company_id) if company_id is not None \
        else active_company(session)
    if company is None:
        return StatusReport(company=None, database=database_location)
    records = dict(
        session.execute(
            select(SourceRecord.record_type, func.count())
            .where(SourceRecord.company_id == company.id)
            .group_by(SourceRecord.record_type)
        ).all()
    )
    missing = session.scalar(
        select(func.count())
        .select_from(SourceRecord)
        .where(SourceRecord.company_id == company.id)
        .where(SourceRecord.missing_since_batch_id.is_not(None))
    )
    jobs = dict(
        session.execute(
            select(Job.status, func.count())
            .where(Job.company_id == company.id)
            .group_by(Job.status)
        ).all()
    )
    run = session.scalars(select(PostingRun).where(PostingRun.company_id == company.id)
                          .order_by(PostingRun.id.desc()).limit(1)).first()
    imports = session.scalar(
        select(func.count()).select_from(ImportBatch).where(ImportBatch.company_id == company.id)
    )
    return StatusReport(
        company={
            "id": company.id,
            "name": company.name,
            "environment": company.environment,
            "realm_id": company.realm_id,
            "api_base_url": company.api_base_url,
            "connection_state": company.connection_state,
            "qbo_company_name": company.qbo_company_name,
            "posting_style": company.posting_style,
            "go_live": company.go_live.isoformat() if company.go_live else None,
        },
        records=records,
        missing_records=int(missing or 0),
        jobs=jobs,
        imports=int(imports or 0),
        database=database_location,
        last_run=_run_dict(run) if run is not None else None,
    )


def _run_dict(run: PostingRun) -> dict[str, Any]:
    return {
        "id": run.id, "kind": run.kind, "status": run.status,
        "period_from": run.period_from.isoformat() if run.period_from else None,
        "period_to": run.period_to.isoformat() if run.period_to else None,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "counts": dict(run.counts or {}), "duplicates": len(run.duplicates or []),
        "message": run.message,
    }


def _run_text(run: dict[str, Any] | None) -> str:
    if run is None:
        return "none yet"
    period = f" {run['period_from']} to {run['period_to']}" if run["period_from"] else ""
    counts = ", ".join(f"{k} {v}" for k, v in sorted(run["counts"].items())) or "no counts"
    when = str(run["finished_at"] or run["started_at"])[:16].replace("T", " ")
    return f"#{run['id']} {run['kind']}{period}, {run['status'].replace('_', ' ')} " \
           f"({counts}) at {when} UTC"
