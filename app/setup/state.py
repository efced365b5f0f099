"""Every answer of the setup wizard, in one plain object (STYLE: pages are views over it).

Pages fill themselves from a ``SetupState`` when shown and write the user's choices back;
``rules`` judges it; ``finish`` saves it once. It holds no Qt and no open session: the
company's stored facts are copied in as plain values (``StoredCompany``) when the wizard
opens, and the dataset, mapping and chart are plain frozen data.

Re-entering one page (``only_page``) starts from the stored mapping and, at Finish,
replaces only what that page owns (``mapping_to_save``): the other pages' rows are saved
exactly as they were loaded, ids included.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig, Target
from app.mapping.toml_format import TARGET_TABLES

from .chart import Chart, Pick
from .connecting import NewConnection
from .pages import MAPPING_SECTIONS, PAGES
from .source import SourceDraft

SECTIONS = TARGET_TABLES  # accounts, income, tenders, locations, tax_rates
CLASS_SECTIONS = ("locations",)

# What each page owns in the mapping, for saving a single re-entered page.
PAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "style": ("style",),
    "income": ("income",),
    "classes": ("locations", "organisation_class"),
    "tenders": ("tenders",),
    "tax": ("tax_rates",),
    "special_accounts": ("accounts",),
    "go_live": ("go_live", "sync", "deferred_revenue"),
}


def entity_of(section: str) -> str:
    return "Class" if section in CLASS_SECTIONS else "Account"


class MappingChangedMeanwhile(Exception):
    """The stored mapping moved under the wizard in what Finish would overwrite."""


@dataclass(frozen=True)
class StoredCompany:
    """The company row as the wizard needs it: plain values, read once when it opens."""

    company_id: int
    name: str
    environment: str
    realm_id: str | None
    connection_state: str
    api_base_url: str | None = None
    mapping_version: int = 0  # as read when the wizard opened: Finish checks it again
    own_name: str = ""  # what Ledgerbridge calls it (the switcher, --company)

    @property
    def connected(self) -> bool:
        return self.connection_state == "connected"


@dataclass
class SetupState:
    company: StoredCompany | None = None  # None: the wizard adds a company
    only_page: str | None = None  # re-entered on this one page
    connection: NewConnection | None = None  # made in this wizard; saved at Finish
    realm_taken_by: str | None = None  # another company here posts to that realm
    chart: Chart | None = None
    chart_error: str | None = None
    source: SourceDraft = field(default_factory=SourceDraft)
    stored: Dataset = field(default_factory=Dataset)  # records imported before
    loaded: MappingConfig | None = None  # the stored mapping when the wizard opened
    style: str | None = None
    go_live: date | None = None
    sync: str = "daily"
    deferred_revenue: bool = False
    create_missing: bool = False
    organisation_class: Pick | None = None
    picks: dict[str, dict[str, Pick]] = field(
        default_factory=lambda: {section: {} for section in SECTIONS})
    prefilled: set[str] = field(default_factory=set)  # sections given their suggestions
    summary: Any = None  # summary.SetupSummary once worked out
    summary_error: str | None = None
    company_name: str | None = None  # typed on the Summary page; None: the default
    taken_names: frozenset[str] = frozenset()  # other companies here, case-folded
    _dataset: tuple[int, Dataset] | None = field(default=None, repr=False)

    # --- what the wizard is working on ---------------------------------------------------

    @property
    def pages(self) -> tuple[str, ...]:
        return (self.only_page,) if self.only_page else PAGES

    def chosen_name(self) -> str:
        """What Finish names the company: typed, else its name, else QuickBooks' name."""
        if self.company_name is not None:
            return self.company_name.strip()
        if self.company is not None and self.company.own_name:
            return self.company.own_name
        return self.connection.link.qbo_company_name if self.connection is not None else ""

    @property
    def is_new_company(self) -> bool:
        return self.company is None

    @property
    def connected(self) -> bool:
        return self.connection is not None or (self.company is not None
                                               and self.company.connected)

    @property
    def company_label(self) -> str:
        if self.connection is not None:
            return self.connection.link.qbo_company_name
        return self.company.name if self.company else ""

    def dataset(self) -> Dataset:
        """The stored records with this wizard's checked import laid over them."""
        result = self.source.result if self.source.is_clean else None
        if result is None:
            return self.stored
        if self._dataset is None or self._dataset[0] != id(result):
            merged = {(r.record_type, r.key): r for r in self.stored.all_records()}
            for records in result.records.values():
                merged.update(((r.record_type, r.key), r) for r in records)
            self._dataset = (id(result), Dataset.from_records(merged.values(),
                                                             self.stored.missing))
        return self._dataset[1]

    # --- the mapping -------------------------------------------------------------------------

    def load_mapping(self, mapping: MappingConfig | None) -> None:
        """Start from a stored (or imported) mapping: its choices become the picks."""
        self.loaded = mapping
        if mapping is None:
            return
        self.style, self.go_live, self.sync = mapping.style, mapping.go_live, mapping.sync
        self.deferred_revenue = mapping.deferred_revenue
        self.create_missing = mapping.create_missing
        approved = set(mapping.create_new)
        for section in SECTIONS:
            entity = entity_of(section)
            self.picks[section] = {
                key: Pick(t.name, t.qbo_id, f"{entity}:{t.name}" in approved)
                for key, t in getattr(mapping, section).items()}
        organisation = mapping.organisation_target
        self.organisation_class = None if organisation is None else Pick(
            organisation.name, organisation.qbo_id, f"Class:{organisation.name}" in approved)

    def apply_chart(self, chart: Chart) -> None:
        """Fill ids of picks QuickBooks has by name; a "new" name it already has is used."""
        self.chart = chart
        for section in SECTIONS:
            entity = entity_of(section)
            for key, pick in list(self.picks[section].items()):
                self.picks[section][key] = resolved(chart, entity, pick)
        if self.organisation_class is not None:
            self.organisation_class = resolved(chart, "Class", self.organisation_class)

    def mapping(self) -> MappingConfig:
        """The draft mapping every page's answers make (style defaults to summary)."""
        def targets(section: str) -> dict[str, Target]:
            return {k: p.target for k, p in self.picks[section].items()}

        new = {f"{entity_of(s)}:{p.name}" for s in SECTIONS
               for p in self.picks[s].values() if p.new}
        organisation = self.organisation_class
        if organisation is not None and organisation.new:
            new.add(f"Class:{organisation.name}")
        return MappingConfig(
            style=self.style or "summary", go_live=self.go_live, sync=self.sync,
            organisation_class=organisation.name if organisation else None,
            organisation_class_id=None if organisation is None or organisation.new
            else organisation.qbo_id,
            create_missing=self.create_missing, deferred_revenue=self.deferred_revenue,
            create_new=tuple(new), accounts=targets("accounts"), income=targets("income"),
            tenders=targets("tenders"), locations=targets("locations"),
            tax_rates=targets("tax_rates"))

    def answers(self) -> tuple[object, ...]:
        """What the bookkeeper has answered so far: Cancel asks first once this moved."""
        return (repr(self.mapping()), self.connection is not None, self.source.signature(),
                self.source.kind)

    def mapping_to_save(self, changed_since: MappingConfig | None = None,
                        changed: bool = False) -> MappingConfig | None:
        """What Finish stores: the whole draft, or the stored mapping with one page replaced.

        None when the wizard changed nothing the mapping holds (Connect or Data source
        re-entered alone). ``changed`` says the stored mapping was saved by someone else
        (the Mapping screen's import, the command line, a colleague) since the wizard
        read it, and ``changed_since`` is that mapping now: one page is laid onto it, so
        nothing of the other pages is reverted; but what this wizard would overwrite and
        that changed meanwhile raises ``MappingChangedMeanwhile`` instead of being lost.
        """
        draft = self.mapping()
        owned = PAGE_FIELDS.get(self.only_page) if self.only_page else None
        if changed:
            self._check_untouched(changed_since, owned)
        if self.only_page is None:
            return draft
        if owned is None:
            return None
        current = changed_since if changed else self.loaded
        base = current or MappingConfig(style=draft.style)
        changes: dict[str, Any] = {name: getattr(draft, name) for name in owned}
        if "organisation_class" in owned:
            changes["organisation_class_id"] = draft.organisation_class_id
        result = dataclasses.replace(base, **changes)
        return dataclasses.replace(result, create_new=_approvals(result, base, draft))

    def _check_untouched(self, now: MappingConfig | None,
                         owned: tuple[str, ...] | None) -> None:
        before = self.loaded
        fields = owned if owned is not None else (
            "style", "go_live", "sync", "organisation_class", "accounts", "income",
            "tenders", "locations", "tax_rates", "create_missing", "deferred_revenue")
        moved = [name for name in fields
                 if getattr(before, name, None) != getattr(now, name, None)]
        if moved:
            raise MappingChangedMeanwhile(
                "The mapping was changed elsewhere while this wizard was open ("
                + ", ".join(moved).replace("_", " ") + "). Nothing was saved: cancel the "
                "wizard and open it again to start from the mapping as it is now.")

    def section_of(self, page: str) -> str | None:
        return MAPPING_SECTIONS.get(page)


def resolved(chart: Chart, entity: str, pick: Pick) -> Pick:
    """A pick with its id found by name; a new name QuickBooks already has is that one."""
    if pick.qbo_id is not None and not pick.new:
        return pick
    found = chart.by_name(entity, pick.name)
    return Pick(pick.name, found.qbo_id) if found is not None else pick


def _approvals(result: MappingConfig, base: MappingConfig,
               draft: MappingConfig) -> tuple[str, ...]:
    """Approvals still naming a target of ``result``: the loaded ones, and the page's."""
    named = {f"Account:{t.name}" for s in SECTIONS if s != "locations"
             for t in getattr(result, s).values()}
    named |= {f"Class:{t.name}" for t in result.locations.values()}
    if result.organisation_class:
        named.add(f"Class:{result.organisation_class}")
    return tuple(sorted(named & (set(base.create_new) | set(draft.create_new))))
