"""One entry point for planning, whatever posting style the company chose (SPEC §3)."""

from __future__ import annotations

from collections.abc import Sequence

from app.accounting.ledger_view import LedgerView
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.plan.plan import Period, Plan


def plan(dataset: Dataset, mapping: MappingConfig, ledger: LedgerView, period: Period,
         locked_periods: Sequence[Period] = ()) -> Plan:
    """The operations for ``period`` in the mapping's style (imported only when used)."""
    if mapping.style == "detailed":
        from app.accounting.detailed import plan_detailed

        return plan_detailed(dataset, mapping, ledger, period, tuple(locked_periods))
    if mapping.style == "summary":
        from app.accounting.summary import plan_summary

        return plan_summary(dataset, mapping, ledger, period, tuple(locked_periods))
    raise ValueError(f"unknown posting style {mapping.style!r}")
