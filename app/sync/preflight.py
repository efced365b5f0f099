"""Pre-flight: the mapping re-validated against the live company before a preview.

SPEC §5: stored mappings hold QBO ids re-validated at every run, and problems are found
in the preview, never at post time. Defaults (``create_missing``) are written in first,
so an account QuickBooks already has (Undeposited Funds, Accounts Receivable) is found
by name and used instead of being created a second time. Read-only: nothing is saved
and nothing is sent but queries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.accounting.company_checks import company_issues
from app.accounting.plan import Issue, Plan
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.mapping.defaults import classes_on, with_defaults
from app.mapping.validation import revalidate
from app.models.company import Company
from app.models.database import Database
from app.sync.company_session import company_client, fetch_chart
from app.sync.errors import QboError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreflightResult:
    mapping: MappingConfig
    issues: tuple[Issue, ...]
    checked: bool  # False when QuickBooks could not be asked
    preferences: dict[str, Any] = field(default_factory=dict)  # the company's Preferences

    def issues_for(self, plan: Plan) -> tuple[Issue, ...]:
        """The mapping's issues plus the company's own (closing date, classes, currency)."""
        if not self.checked:
            return self.issues
        return self.issues + company_issues(plan, self.preferences, classes_on(self.mapping))


def preflight(company: Company, database: Database, data_dir: Path, mapping: MappingConfig,
              dataset: Dataset, *, offline: bool = False) -> PreflightResult:
    mapping = with_defaults(mapping, dataset)
    if offline:
        return _unchecked(mapping, "the preview was asked to work offline",
                          "preview again without --offline before posting")
    try:
        with company_client(company, database, data_dir) as client:
            chart = fetch_chart(client)
            found = client.query("SELECT * FROM Preferences")
    except ValueError as exc:  # not connected
        return _unchecked(mapping, str(exc), "connect with `ledgerbridge connect`, then "
                          "preview again")
    except QboError as exc:
        log.warning("pre-flight could not read the company: %s", exc)
        return _unchecked(mapping, f"QuickBooks could not be read ({exc})",
                          getattr(exc, "suggested_fix", "") or "try again later")
    result = revalidate(mapping, chart.accounts, chart.classes)
    # A target QuickBooks lacks is the plan's business: it plans the creation (shown as an
    # operation) or reports what it blocks. Reported here too, it would be said twice, and
    # said of targets nothing in the period uses.
    issues = tuple(i for i in result.issues if i.code != "target_missing")
    return PreflightResult(result.mapping, issues, checked=True,
                           preferences=found[0] if found else {})


def _unchecked(mapping: MappingConfig, why: str, fix: str) -> PreflightResult:
    issue = Issue("warning", "mapping_not_checked",
                  f"The mapping was not checked against QuickBooks: {why}", fix)
    return PreflightResult(mapping, (issue,), checked=False)
