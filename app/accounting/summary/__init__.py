"""The summary posting style (SPEC §3b, the iClassPro model): journal entries, not invoices.

Modules, one job each: ``resolve`` (where a line posts), ``lines`` (the postings of one
payment or refund), ``buckets`` (which entry a day belongs to, what the ledger holds),
``collect`` (events into entries), ``entries`` (balanced payloads and deltas) and
``planner`` (new entry, adjustment or nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.accounting.ledger_view import LedgerView
from app.accounting.summary.planner import SummaryPlanner
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.plan.plan import Period, Plan


def plan_summary(dataset: Dataset, mapping: MappingConfig, ledger: LedgerView, period: Period,
                 locked_periods: Sequence[Period] = ()) -> Plan:
    """Every journal entry (and account/class creation) the period needs, in sending order."""
    return SummaryPlanner(dataset, mapping, ledger, period, locked_periods).plan()


__all__ = ["plan_summary"]
