"""A Ledgerbridge data folder that posts to one simulator company through the app's post.

The end-to-end tests store source records and a mapping in a real database, then call
``app.posting.post_period`` exactly as the ``post`` command does (lock, recovery,
pre-flight, plan, poster, duplicate scan), and read QuickBooks back over HTTP. Nothing
here sends anything itself: what is sent is what the app sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.accounting.planner import plan
from app.company_data import load_company_data
from app.config import resolve_paths
from app.domain.dataset import Dataset
from app.importers.pipeline import ImportResult
from app.importers.store import store_import
from app.mapping.config import MappingConfig
from app.mapping.defaults import with_defaults
from app.mapping.store import save_mapping
from app.models.company import active_company
from app.models.database import Database
from app.plan.plan import Period, Plan
from app.posting import PostOptions, PostReport, post_period
from app.sync.client import QboClient
from app.sync.company_link import record_connection
from app.sync.local_demo import connect_local
from app.sync.preflight import check_company
from tests.sync.simulator_helpers import fast_client_options


class Books:
    """One company: its database under ``home``, connected to ``simulator``."""

    def __init__(self, home: Path, simulator: Any, mapping: MappingConfig,
                 time_scale: float = 60.0, database_url: str | None = None) -> None:
        self.home = home
        self.simulator = simulator
        self.database = Database.open(resolve_paths(home), database_url)
        self.client, link = connect_local(simulator.info, **fast_client_options(time_scale))
        with self.database.session() as session:
            company = active_company(session, create=True)
            assert company is not None
            record_connection(session, company, link)
            save_mapping(session, company.id, mapping)
            self.company_id, self.company_name = company.id, company.name

    def close(self) -> None:
        self.database.close()

    # -- the source -----------------------------------------------------------------------
    def load(self, dataset: Dataset) -> None:
        """Store ``dataset`` as the latest import (a re-import updates what changed)."""
        records: dict[str, list[Any]] = {}
        for record in dataset.all_records():
            records.setdefault(record.record_type, []).append(record)
        result = ImportResult(records=records, issues=[], files=[{"path": "test", "sha256": ""}])
        with self.database.session() as session:
            summary = store_import(session, result, user="test")
        assert summary.status == "imported"

    def set_mapping(self, mapping: MappingConfig) -> None:
        with self.database.session() as session:
            save_mapping(session, self.company_id, mapping)

    def lock(self, period: Period) -> None:
        """The bookkeeper locks a posted period: later changes to it become adjustments."""
        from app.models.jobs import LockedPeriod

        with self.database.session() as session:
            session.add(LockedPeriod(company_id=self.company_id, period_start=period.start,
                                     period_end=period.end))

    # -- posting --------------------------------------------------------------------------
    @contextmanager
    def _client(self) -> Iterator[QboClient]:
        yield self.client

    def post(self, period: Period, **options: Any) -> PostReport:
        return post_period(self.database, self.company_id, self.company_name, self._client,
                           PostOptions(period, **options))

    def plan(self, period: Period) -> Plan:
        """What a post of ``period`` would send now (the preview's plan)."""
        data = load_company_data(self.database, company_id=self.company_id)
        assert data.mapping is not None
        checked = check_company(self.client, with_defaults(data.mapping, data.dataset))
        return plan(data.dataset, checked.mapping, data.ledger, period, data.locked)

    # -- reading QuickBooks back ------------------------------------------------------------
    def trial_balance(self, end: str = "2025-12-31") -> tuple[dict[str, Decimal],
                                                              tuple[Decimal, Decimal]]:
        """Net debit per account, and the (debits, credits) totals, as QuickBooks reports."""
        report = self.client.report("TrialBalance", end_date=end, accounting_method="Accrual")
        nets: dict[str, Decimal] = {}
        totals = (Decimal(0), Decimal(0))
        for row in report["Rows"]["Row"]:
            if "Summary" in row:
                cells = row["Summary"]["ColData"]
                totals = (Decimal(cells[1]["value"]), Decimal(cells[2]["value"]))
                continue
            name, debit, credit = (cell["value"] for cell in row["ColData"])
            nets[name] = Decimal(debit or 0) - Decimal(credit or 0)
        return nets, totals

    def records(self, entity: str) -> list[dict[str, Any]]:
        return self.client.query(f"SELECT * FROM {entity}")
