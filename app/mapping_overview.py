"""The Mapping screen's contents: the setup wizard's pages, each with what it decided.

One entry per wizard page (the names ``open_setup_wizard`` takes), with a one-line
summary and the rows it maps (source → QuickBooks target, and where the target comes
from). Plain Python: the screen renders it, the tests read it without Qt. A target the
mapping does not name is shown with its default when ``create_missing`` gives one, and
as unmapped otherwise (unmapped blocks only what needs it, SPEC §4).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.accounting.summary.resolve import tender_role
from app.companies import CompanyEntry
from app.dashboard import STYLE_TEXT, ImportInfo, connection_text, load_dashboard
from app.domain.dataset import Dataset
from app.importers.store import load_dataset
from app.mapping.config import ACCOUNT_ROLES, MappingConfig, Target
from app.mapping.defaults import (
    income_target,
    location_target,
    role_target,
    tax_rate_target,
)
from app.mapping.store import load_mapping, save_mapping
from app.mapping.toml_format import read_mapping_file, write_mapping_file
from app.models.database import Database
from app.plan.plan import Issue

# (page name for open_setup_wizard, title): the wizard's order.
WIZARD_PAGES = (
    ("connect", "Connection"),
    ("data_source", "Data source"),
    ("style", "Posting style"),
    ("income", "Income accounts"),
    ("classes", "Classes"),
    ("tenders", "Tenders"),
    ("tax", "Tax rates"),
    ("special_accounts", "Special accounts"),
    ("go_live", "Go-live date"),
    ("summary", "Summary"),
)
UNMAPPED = "Unmapped"


@dataclass(frozen=True)
class MappingRow:
    source: str  # what the registration data calls it
    target: str  # the QuickBooks account or class (or a setting's value)
    # "in QuickBooks" (mapped, its id known) | "created on the first post" (approved new)
    # | "mapped" | "default: created if missing" | "unmapped" | "setting"
    origin: str


@dataclass(frozen=True)
class PageOverview:
    page: str
    title: str
    summary: str
    rows: tuple[MappingRow, ...] = ()

    @property
    def unmapped(self) -> int:
        return sum(1 for row in self.rows if row.origin == "unmapped")


def mapping_overview(company: CompanyEntry, mapping: MappingConfig | None,
                     dataset: Dataset, last_import: ImportInfo | None) -> tuple[PageOverview, ...]:
    if mapping is None:
        empty = "No mapping yet: run this page of the setup wizard, or import a mapping file"
        return (_connect(company), _data_source(dataset, last_import),
                *(PageOverview(page, title, empty) for page, title in WIZARD_PAGES[2:]))
    return (_connect(company), _data_source(dataset, last_import), _style(mapping),
            _income(mapping, dataset), _classes(mapping, dataset), _tenders(mapping, dataset),
            _tax(mapping, dataset), _special(mapping), _go_live(mapping),
            _summary(mapping))


def _title(page: str) -> str:
    return dict(WIZARD_PAGES)[page]


def _rows_page(page: str, rows: list[MappingRow], noun: str) -> PageOverview:
    unmapped = sum(1 for r in rows if r.origin == "unmapped")
    summary = f"{len(rows)} {noun}" + (f", {unmapped} unmapped" if unmapped else ", all mapped")
    if not rows:
        summary = f"No {noun} in the imported data"
    return PageOverview(page, _title(page), summary, tuple(rows))


def _row(source: str, mapped: Target | None, default: Target | None,
         mapping: MappingConfig, entity: str = "Account") -> MappingRow:
    if mapped is not None:
        if mapped.qbo_id:
            return MappingRow(source, mapped.name, "in QuickBooks")
        if mapping.may_create(entity, mapped.name):
            return MappingRow(source, mapped.name, "created on the first post")
        return MappingRow(source, mapped.name, "mapped")
    if default is not None:
        return MappingRow(source, default.name, "default: created if missing")
    return MappingRow(source, "", "unmapped")


def _connect(company: CompanyEntry) -> PageOverview:
    rows = (MappingRow("QuickBooks company", company.qbo_company_name or "-", "setting"),
            MappingRow("Realm id", company.realm_id or "-", "setting"))
    return PageOverview("connect", _title("connect"), connection_text(company), rows)


def _data_source(dataset: Dataset, last_import: ImportInfo | None) -> PageOverview:
    counts = (("Customers", dataset.customers), ("Participants", dataset.participants),
              ("Programs", dataset.programs), ("Charges", dataset.charges),
              ("Payments", dataset.payments), ("Refunds", dataset.refunds))
    rows = tuple(MappingRow(name, str(len(records)), "setting") for name, records in counts)
    summary = last_import.text if last_import else "Nothing imported yet"
    return PageOverview("data_source", _title("data_source"), f"Last import: {summary}", rows)


def _style(mapping: MappingConfig) -> PageOverview:
    rows = [MappingRow("Style", mapping.style, "setting")]
    if mapping.style == "summary":
        rows.append(MappingRow("Journal entries", f"{mapping.sync} sync", "setting"))
    rows.append(MappingRow("Deferred revenue", "on" if mapping.deferred_revenue else "off",
                           "setting"))
    return PageOverview("style", _title("style"), STYLE_TEXT[mapping.style], tuple(rows))


def _income(mapping: MappingConfig, dataset: Dataset) -> PageOverview:
    categories = sorted({p.income_category for p in dataset.programs} | set(mapping.income))
    rows = [_row(c, mapping.income.get(c), income_target(mapping, c), mapping)
            for c in categories]
    return _rows_page("income", rows, "program categories")


def _classes(mapping: MappingConfig, dataset: Dataset) -> PageOverview:
    names = {loc.location_id: loc.name for loc in dataset.locations}
    rows = [_row(f"{names.get(i, i)} ({i})", mapping.locations.get(i),
                 location_target(mapping, i, names.get(i)), mapping, "Class")
            for i in sorted(set(names) | set(mapping.locations))]
    page = _rows_page("classes", rows, "locations")
    organisation = mapping.organisation_class or "none (class tracking off)"
    return PageOverview(page.page, page.title,
                        f"Organisation class: {organisation}; {page.summary}", page.rows)


def _tenders(mapping: MappingConfig, dataset: Dataset) -> PageOverview:
    tenders = sorted({p.tender for p in dataset.payments} | set(mapping.tenders))
    rows = []
    for tender in tenders:
        role = tender_role(tender) if mapping.style == "summary" else "undeposited_funds"
        rows.append(_row(tender, mapping.tenders.get(tender), role_target(mapping, role),
                         mapping))
    return _rows_page("tenders", rows, "tenders")


def _tax(mapping: MappingConfig, dataset: Dataset) -> PageOverview:
    names = {r.tax_rate_id: r.name for r in dataset.tax_rates}
    rows = [_row(f"{names.get(t, t)} ({t})", mapping.tax_rates.get(t),
                 tax_rate_target(mapping, t, names.get(t)), mapping)
            for t in sorted(set(names) | set(mapping.tax_rates))]
    return _rows_page("tax", rows, "tax rates")


def _special(mapping: MappingConfig) -> PageOverview:
    rows = [_row(role.replace("_", " ").capitalize(), mapping.accounts.get(role),
                 role_target(mapping, role), mapping)
            for role in ACCOUNT_ROLES]
    return _rows_page("special_accounts", rows, "account roles")


def _go_live(mapping: MappingConfig) -> PageOverview:
    text = f"{mapping.go_live:%d %B %Y}" if mapping.go_live else "not set"
    return PageOverview("go_live", _title("go_live"), f"Go-live: {text}",
                        (MappingRow("Go-live date", text, "setting"),))


def _summary(mapping: MappingConfig) -> PageOverview:
    create = "on" if mapping.create_missing else "off"
    approved = len(mapping.create_new)
    return PageOverview("summary", _title("summary"),
                        f"Create missing accounts and classes: {create}; "
                        f"{approved} approved one by one",
                        (MappingRow("Create missing", create, "setting"),
                         *(MappingRow("Approved to create", name.replace(":", ": ", 1),
                                      "created on the first post")
                           for name in mapping.create_new)))


def load_mapping_overview(database: Database, company_id: int) -> tuple[PageOverview, ...]:
    """Read what the overview needs (records, mapping, company) and build it."""
    dashboard = load_dashboard(database, company_id)
    with database.session() as session:
        mapping = load_mapping(session, company_id)
        dataset = load_dataset(session, company_id)
    return mapping_overview(dashboard.company, mapping, dataset, dashboard.last_import)


def import_mapping(database: Database, company_id: int,
                   path: Path) -> tuple[int | None, tuple[Issue, ...]]:
    """Replace the company's mapping with a TOML file (``mapping import``): version, issues."""
    config, issues = read_mapping_file(path)
    if config is None:
        return None, issues
    with database.session() as session:
        return save_mapping(session, company_id, config), issues


def export_mapping(database: Database, company_id: int, path: Path) -> None:
    """Write the company's mapping as the TOML file ``mapping export`` writes."""
    with database.session() as session:
        config = load_mapping(session, company_id)
    if config is None:
        raise LookupError("there is no mapping to export yet")
    write_mapping_file(path, config)
