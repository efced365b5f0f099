"""Each pre-flight problem with where its fix is made: a page of the setup wizard, the
closing-date choice, reconnecting, the Import step, or QuickBooks itself.

SPEC §5: every problem is shown before posting with its fix; none is discovered at post
time. The screen turns a ``FixAction`` into a button that goes there.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.mapping.config import MappingConfig
from app.plan.plan import Issue
from app.setup.pages import TITLES as PAGE_TITLES

# Problems that stop a post before its first write (``PostReport.stopping``): the
# company or the mapping is wrong, or QuickBooks could not be asked at all.
NOT_CHECKED = "mapping_not_checked"

# Planner and pre-flight codes whose fix is one page of the setup wizard.
PAGE_OF_CODE = {
    "unmapped_program": "income", "unknown_program": "income",
    "unmapped_location": "classes",
    "unmapped_tax_rate": "tax", "tax_without_rate": "tax",
    "unmapped_tender": "tenders", "credit_tender_to_undeposited_funds": "tenders",
    "gift_card_tender_not_deposited": "tenders",
    "unmapped_account": "special_accounts", "unmapped_receivable": "special_accounts",
    "unmapped_gift_card_holding": "special_accounts",
    "unmapped_deferred_revenue": "special_accounts", "rounding_line": "special_accounts",
    "gift_card_not_income": "special_accounts",
}
TARGET_CODES = frozenset({"target_deleted", "target_inactive", "target_wrong_type",
                          "target_renamed", "target_missing", "target_unusable"})
# Problems in the source records: corrected in the registration system, then imported.
SOURCE_CODES = frozenset({"unknown_payer", "unknown_participant", "allocation_mismatch",
                          "refund_unknown_payment", "refund_without_sale", "over_refund",
                          "missing_from_export", "unallocated_payment",
                          "refund_of_failed_payment", "multiplier_with_allocation"})


@dataclass(frozen=True)
class FixAction:
    kind: str  # "wizard" | "closed_period" | "reconnect" | "import" | "quickbooks" | "none"
    label: str  # the button's text (without a mnemonic)
    page: str | None = None  # the wizard page, for "wizard" (and "connect" for reconnect)


@dataclass(frozen=True)
class Problem:
    issue: Issue
    action: FixAction
    stops_post: bool  # nothing is sent until it is fixed

    @property
    def severity(self) -> str:
        """The issue's severity, except that what stops the post is an error."""
        return "error" if self.stops_post else self.issue.severity

    @property
    def held(self) -> int:
        return len(self.issue.blocks)

    @property
    def effect(self) -> str:
        if self.stops_post:
            return "stops the post"
        if self.issue.code == "closed_period":
            return f"{self.held} record(s): your choice below"
        if self.held:
            return f"holds back {self.held} record(s)"
        return "posted anyway" if self.issue.severity != "info" else "note"


def problems(issues: tuple[Issue, ...], stopping: tuple[Issue, ...],
             mapping: MappingConfig | None) -> tuple[Problem, ...]:
    """Every issue with its fix; stopping ones first, then errors, warnings, notes."""
    order = {"error": 1, "warning": 2, "info": 3}
    found = [Problem(i, action_for(i, mapping), i in stopping) for i in issues]
    return tuple(sorted(found, key=lambda p: (not p.stops_post, order[p.issue.severity])))


def action_for(issue: Issue, mapping: MappingConfig | None) -> FixAction:
    code = issue.code
    if code == NOT_CHECKED:
        return FixAction("reconnect", "Reconnect to QuickBooks", "connect")
    if code == "closed_period":
        return FixAction("closed_period", "Choose: hold, re-date or export")
    if code in TARGET_CODES:
        return _wizard(_page_of_target(issue, mapping))
    if code in PAGE_OF_CODE:
        return _wizard(PAGE_OF_CODE[code])
    if code in SOURCE_CODES:
        return FixAction("import", "Import corrected exports")
    if code.startswith(("class_tracking", "multicurrency", "customer_inactive")):
        return FixAction("quickbooks", "Check again after changing QuickBooks")
    return FixAction("none", "")


def _wizard(page: str) -> FixAction:
    return FixAction("wizard", f"Open “{PAGE_TITLES[page]}”", page)


def _page_of_target(issue: Issue, mapping: MappingConfig | None) -> str:
    """The wizard page that maps the account or class the issue names."""
    what = next((s.removeprefix("mapping:") for s in issue.sources
                 if s.startswith("mapping:")), "")
    entity, _, quoted = what.partition(" ")
    name = quoted.strip("'\"")
    if entity == "Class":
        return "classes"
    if mapping is not None:
        for page, targets in (("income", mapping.income), ("tenders", mapping.tenders),
                              ("tax", mapping.tax_rates)):
            if any(t.name == name for t in targets.values()):
                return page
    return "special_accounts"
