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

from app.companies import CompanyEntry
from app.dashboard import STYLE_TEXT, ImportInfo, connection_text, load_dashboard
from app.domain.dataset import Dataset
from app.importers.store import load_dataset
from app.mapping.config import MappingConfig
from app.mapping.store import load_mapping, save_mapping
from app.mapping.toml_format import read_mapping_file, write_mapping_file
from app.models.company import Company
from app.models.database import Database
from app.plan.plan import Issue
from app.setup import sections
from app.setup.state import SetupState

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
    state = _wizard_view(mapping, dataset)
    return (_connect(company), _data_source(dataset, last_import), _style(mapping),
            _income(state), _classes(state, mapping), _tenders(state), _tax(state),
            _special(state), _go_live(mapping), _summary(mapping))


def _title(page: str) -> str:
    return dict(WIZARD_PAGES)[page]


def _rows_page(page: str, rows: list[MappingRow], noun: str) -> PageOverview:
    unmapped = sum(1 for r in rows if r.origin == "unmapped")
    summary = f"{len(rows)} {noun}" + (f", {unmapped} unmapped" if unmapped else ", all mapped")
    if not rows:
        summary = f"No {noun} in the imported data"
    return PageOverview(page, _title(page), summary, tuple(rows))


def _wizard_view(mapping: MappingConfig, dataset: Dataset) -> SetupState:
    """The wizard's own view of the stored mapping: the same rows, picks and verdicts."""
    state = SetupState(stored=dataset)
    state.load_mapping(mapping)
    return state


def _page_rows(state: SetupState, section: str) -> list[MappingRow]:
    """Each row as the wizard's page shows it: mapped, defaulted, or what stays unmapped."""
    left = {u.row.key: u for u in sections.unmapped(state, section)}
    found = []
    for row in sections.rows(state, section):
        pick = state.picks[section].get(row.key)
        if pick is not None:
            origin = ("in QuickBooks" if pick.qbo_id else
                      "created on the first post" if pick.new else "mapped")
            found.append(MappingRow(row.label, pick.name, origin))
        elif row.key in left:
            gap = left[row.key]
            target = row.fallback if row.fallback else ""
            found.append(MappingRow(row.label, target,
                                    "unmapped" if gap.blocking else gap.blocks))
        elif row.fallback:  # a tender whose group's account is chosen
            found.append(MappingRow(row.label, row.fallback, "its group's account"))
        else:  # create_missing names it
            found.append(MappingRow(row.label, row.new_name, "default: created if missing"))
    return found


def _income(state: SetupState) -> PageOverview:
    return _rows_page("income", _page_rows(state, "income"), "program categories")


def _classes(state: SetupState, mapping: MappingConfig) -> PageOverview:
    page = _rows_page("classes", _page_rows(state, "locations"), "locations")
    organisation = mapping.organisation_class or "none (class tracking off)"
    return PageOverview(page.page, page.title,
                        f"Organisation class: {organisation}; {page.summary}", page.rows)


def _tenders(state: SetupState) -> PageOverview:
    return _rows_page("tenders", _page_rows(state, "tenders"), "tenders")


def _tax(state: SetupState) -> PageOverview:
    return _rows_page("tax", _page_rows(state, "tax_rates"), "tax rates")


def _special(state: SetupState) -> PageOverview:
    return _rows_page("special_accounts", _page_rows(state, "accounts"),
                      "account roles of this style")


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


def import_mapping(database: Database, company_id: int, path: Path,
                   data_dir: Path | None = None) -> tuple[int | None, tuple[Issue, ...]]:
    """Replace the company's mapping with a TOML file (``mapping import``): version, issues.

    With ``data_dir`` (the window) a connected company's chart is read first and the file
    gets every wizard page's check: nothing is stored when one fails.
    """
    config, issues = read_mapping_file(path)
    if config is None:
        return None, issues
    if data_dir is not None:
        found = _against_quickbooks(database, company_id, config, data_dir)
        if found:
            return None, issues + found
    with database.session() as session:
        return save_mapping(session, company_id, config), issues


def _against_quickbooks(database: Database, company_id: int, config: MappingConfig,
                        data_dir: Path) -> tuple[Issue, ...]:
    from app.company_session import company_client
    from app.setup.chart import Chart
    from app.setup.mapping_check import problems_against
    from app.sync.company_link import CONNECTED
    from app.sync.preflight import fetch_chart

    with database.session() as session:
        company = session.get(Company, company_id)
        dataset = load_dataset(session, company_id)
        if company is None or company.connection_state != CONNECTED:
            return ()  # checked by pre-flight once it is connected
        session.expunge(company)
    with company_client(company, database, data_dir) as client:
        chart = Chart.from_snapshot(fetch_chart(client))
    return problems_against(chart, config, dataset)


def export_mapping(database: Database, company_id: int, path: Path) -> None:
    """Write the company's mapping as the TOML file ``mapping export`` writes."""
    with database.session() as session:
        config = load_mapping(session, company_id)
    if config is None:
        raise LookupError("there is no mapping to export yet")
    write_mapping_file(path, config)
