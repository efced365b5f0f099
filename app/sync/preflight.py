"""Pre-flight: the mapping re-validated against the live company before a preview.

SPEC §5: stored mappings hold QBO ids re-validated at every run, and problems are found
in the preview, never at post time. Defaults (``create_missing``) are written in first,
so an account QuickBooks already has (Undeposited Funds, Accounts Receivable) is found
by name and used instead of being created a second time. Read-only: nothing is saved
and nothing is sent but queries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from app.accounting.company_checks import company_issues, inactive_customers
from app.accounting.ledger_view import LedgerView
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.mapping.defaults import classes_on, with_defaults
from app.mapping.validation import revalidate
from app.plan.plan import Issue, Plan
from app.sync.client import QboClient
from app.sync.errors import QboError

log = logging.getLogger(__name__)

ClientOpener = Callable[[], AbstractContextManager[QboClient]]


@dataclass(frozen=True)
class ChartSnapshot:
    """Accounts and classes as QBO returned them (plain dicts), active and inactive."""

    accounts: tuple[dict[str, Any], ...]
    classes: tuple[dict[str, Any], ...]


def fetch_chart(client: QboClient) -> ChartSnapshot:
    """Every account and class; QBO leaves inactive ones out unless asked for them."""

    def every(entity: str) -> tuple[dict[str, Any], ...]:
        active = client.query(f"SELECT * FROM {entity}")
        inactive = client.query(f"SELECT * FROM {entity} WHERE Active = false")
        return tuple(active) + tuple(inactive)

    return ChartSnapshot(every("Account"), every("Class"))


@dataclass(frozen=True)
class PreflightResult:
    mapping: MappingConfig
    issues: tuple[Issue, ...]
    checked: bool  # False when QuickBooks could not be asked
    preferences: dict[str, Any] = field(default_factory=dict)  # the company's Preferences
    inactive_customers: dict[str, str] = field(default_factory=dict)  # QBO id -> name

    def issues_for(self, plan: Plan, ledger: LedgerView | None = None) -> tuple[Issue, ...]:
        """The mapping's issues plus the company's own (closing date, classes, currency,
        and with the ledger, the inactive customers the plan names)."""
        if not self.checked:
            return self.issues
        found = self.issues + company_issues(plan, self.preferences, classes_on(self.mapping))
        if ledger is None:
            return found
        return found + tuple(inactive_customers(plan, ledger, self.inactive_customers))


def preflight(open_client: ClientOpener, mapping: MappingConfig, dataset: Dataset, *,
              offline: bool = False) -> PreflightResult:
    """The check a preview runs: never raises; what could not be checked is a warning."""
    mapping = with_defaults(mapping, dataset)
    if offline:
        return _unchecked(mapping, "the preview was asked to work offline",
                          "preview again without --offline before posting")
    try:
        with open_client() as client:
            return check_company(client, mapping)
    except ValueError as exc:  # not connected
        return _unchecked(mapping, str(exc), "reconnect (in the app: Reconnect; on the "
                          "command line: `ledgerbridge connect`), then preview again")
    except QboError as exc:
        log.warning("pre-flight could not read the company: %s", exc)
        return _unchecked(mapping, f"QuickBooks could not be read ({exc})",
                          getattr(exc, "suggested_fix", "") or "try again later")


def check_company(client: QboClient, mapping: MappingConfig) -> PreflightResult:
    """Re-validate ``mapping`` (defaults written in) against the company; raises QboError."""
    chart = fetch_chart(client)
    found = client.query("SELECT * FROM Preferences")
    # Few in a company, and one query: matched by id against the customers a plan names.
    inactive = client.query("SELECT * FROM Customer WHERE Active = false")
    result = revalidate(mapping, chart.accounts, chart.classes)
    # A target QuickBooks lacks is the plan's business: it plans the creation (shown as an
    # operation) or reports what it blocks. Reported here too, it would be said twice, and
    # said of targets nothing in the period uses.
    issues = tuple(i for i in result.issues if i.code != "target_missing")
    return PreflightResult(result.mapping, issues, checked=True,
                           preferences=found[0] if found else {},
                           inactive_customers={str(c.get("Id")): _name_before_deletion(c)
                                               for c in inactive})


def _name_before_deletion(customer: dict) -> str:
    """QuickBooks renames a customer it makes inactive ("Ann Lee (deleted)"); the
    bookkeeper knows, and searches for, the name without that tail."""
    name = str(customer.get("DisplayName") or "")
    return name.removesuffix(" (deleted)")


def _unchecked(mapping: MappingConfig, why: str, fix: str) -> PreflightResult:
    issue = Issue("warning", "mapping_not_checked",
                  f"The mapping was not checked against QuickBooks: {why}", fix)
    return PreflightResult(mapping, (issue,), checked=False)
