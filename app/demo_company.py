"""The demo company: the built-in QuickBooks simulator, connected, with sample exports.

It lives in its own data folder (``<data>/demo``) with its own SQLite database, even
when an office points Ledgerbridge at a shared PostgreSQL database, so trying
Ledgerbridge can never mix demo records into a real company's books (docs/decisions.md,
"The app shell"). The simulator persists to a file there, so
what was posted to the demo company survives a restart; it is labelled a simulator
wherever the user sees it. On its first start the folder also gets a small,
deterministic demo export set, imported like any other, and the example mapping
``resources/examples/demo-mapping.toml`` (summary style), so a preview works at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundle import resource
from app.config import AppPaths, resolve_paths
from app.importers.demo_data import write_demo_data
from app.importers.pipeline import import_paths
from app.importers.store import known_records, store_import
from app.mapping.store import load_mapping, save_mapping
from app.mapping.toml_format import read_mapping_file
from app.models.company import Company
from app.models.database import Database
from app.simulator import SandboxServer
from app.simulator.chart import SIMULATOR_NAME
from app.sync.client import QboClient
from app.sync.company_link import record_connection
from app.sync.local_demo import connect_local

log = logging.getLogger(__name__)

DEMO_EXPORTS = "demo-exports"
# The demo company's simulator keeps its books in this file of the data folder.
SIMULATOR_FILE = "demo-company.sqlite"


def demo_simulator(data_dir: Path) -> SandboxServer:
    """The demo company's simulator (not started), keeping its books in ``data_dir``."""
    return SandboxServer(port=0, data_file=str(data_dir / SIMULATOR_FILE))


def example_mapping_file() -> Path:
    """The shipped example mapping (beside the package, or in a frozen build's bundle)."""
    return resource("examples/demo-mapping.toml")


DEMO_COMPANY_NAME = SIMULATOR_NAME  # "Demo Company (Ledgerbridge simulator)"


def open_demo_database(paths: AppPaths) -> Database:
    """The demo's own SQLite file: never the office's shared database."""
    return Database.open(paths, url=f"sqlite:///{paths.database_file}")


def demo_company_row(session: Session) -> Company:
    """The one company of the demo's database (created on first use)."""
    company = session.scalars(select(Company).order_by(Company.id).limit(1)).first()
    if company is None:
        company = Company(name=DEMO_COMPANY_NAME, environment="local")
        session.add(company)
        session.flush()
    return company


def prepare_demo_company(paths: AppPaths, database: Database) -> int:
    """Connect, feed and map the demo company, then stop its simulator; its id.

    Later work (a preview, a post) starts the simulator again from its file for as long as
    it needs it (``app/company_session.py``), like the command line does.
    """
    DemoCompany.start(paths, database).stop()
    with database.session() as session:
        return demo_company_row(session).id


def demo_paths(home: str | Path | None) -> AppPaths:
    """The demo company's own folders, under the user's Ledgerbridge data folder."""
    base = resolve_paths(home)
    return resolve_paths(base.data_dir / "demo")


@dataclass
class DemoCompany:
    """A running simulator plus a connected client; ``stop()`` when the app closes."""

    simulator: SandboxServer
    client: QboClient

    @classmethod
    def start(cls, paths: AppPaths, database: Database) -> DemoCompany:
        simulator = demo_simulator(paths.data_dir)
        simulator.start()
        try:
            client, link = connect_local(simulator.info)
            with database.session() as session:
                record_connection(session, demo_company_row(session), link)
            _import_demo_exports_once(paths, database)
            _map_once(database)
        except BaseException:
            simulator.stop()
            raise
        log.info("demo company running on the simulator at %s", simulator.info["base_url"])
        return cls(simulator, client)

    def stop(self) -> None:
        self.simulator.stop()


def _import_demo_exports_once(paths: AppPaths, database: Database) -> None:
    folder = paths.data_dir / DEMO_EXPORTS
    if folder.exists():
        return
    write_demo_data(folder, families=25, months=3, seed=7)
    with database.session() as session:
        company_id = demo_company_row(session).id
        known = known_records(session, company_id)
    result = import_paths(sorted(folder.glob("*.csv")), known=known)
    with database.session() as session:
        summary = store_import(session, result, full=True, user="demo", source_kind="csv",
                               company_id=company_id)
    if not result.ok:  # the generator's own output must import cleanly
        raise RuntimeError(f"demo exports did not import: {result.issues[:3]}")
    log.info("imported the demo exports: %s", summary.counts)


def _map_once(database: Database) -> None:
    """Give the demo company the example mapping unless it already has one."""
    config, issues = read_mapping_file(example_mapping_file())
    if config is None:
        raise RuntimeError(f"the example mapping does not read: {[i.message for i in issues]}")
    with database.session() as session:
        company = demo_company_row(session)
        if load_mapping(session, company.id) is None:
            save_mapping(session, company.id, config)  # also records style and go-live
