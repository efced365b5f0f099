"""Render every screen of the real app on the demo company: ``python3 dev.py screenshots``.

Runs the app as ``main.py`` builds it, in a fresh temporary home: the first-run screen,
then the demo company after two real posts through the poster (January, then February
with QuickBooks' books closed through 10 February, so some records are held and the
error log has something to show), each sidebar screen, and a second company whose
sign-in expired (the Reconnect banner). Offscreen unless a display is asked for.
Writes PNGs into the folder given (default ``docs/screenshots``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from app.config import resolve_paths

SIZE = (1280, 800)
SHOTS = (("02-home.png", "Home"), ("03-monthly-close.png", "Monthly close"),
         ("04-error-log.png", "Error log"), ("05-runs.png", "Runs"),
         ("06-mapping.png", "Mapping"), ("07-settings.png", "Settings"))


def post_demo_months(home: Path) -> None:
    """January posted; February posted with the books closed through 10 February."""
    from app.company_session import company_client
    from app.demo_company import (
        demo_paths,
        demo_simulator,
        open_demo_database,
        prepare_demo_company,
    )
    from app.models.company import Company
    from app.plan.plan import Period
    from app.posting import PostOptions, post_period

    paths = demo_paths(home).ensure()
    database = open_demo_database(paths)
    try:
        company_id = prepare_demo_company(paths, database)
        with database.session() as session:
            company = session.get(Company, company_id)
            assert company is not None
            session.expunge(company)
        months = (Period(date(2025, 1, 1), date(2025, 1, 31)),
                  Period(date(2025, 2, 1), date(2025, 2, 28)))
        for index, period in enumerate(months):
            if index == 1:
                with demo_simulator(paths.data_dir) as simulator:
                    simulator.set_closing_date("2025-02-10")
            post_period(database, company_id, company.name,
                        lambda: company_client(company, database, paths.data_dir),
                        PostOptions(period))
    finally:
        database.close()


def add_expired_company(home: Path) -> None:
    """A real company (no data yet) whose QuickBooks sign-in expired: the banner's case."""
    from app.companies import add_company
    from app.models.company import Company
    from app.models.database import Database

    database = Database.open(resolve_paths(home).ensure())
    try:
        with database.session() as session:
            entry = add_company(session, "Riverside Swim Club")
            company = session.get(Company, entry.id)
            assert company is not None
            company.environment, company.realm_id = "production", "9341453070461234"
            company.qbo_company_name = "Riverside Swim Club"
            company.connection_state = "reauthorisation_needed"
    finally:
        database.close()


def wait_until_idle(runner: object, timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    QApplication.processEvents()
    while runner.busy and time.monotonic() < deadline:  # type: ignore[attr-defined]
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        QApplication.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="screenshots")
    parser.add_argument("out", nargs="?", default="docs/screenshots", type=Path)
    parser.add_argument("--home", type=Path, help="data folder (default: a new temporary one)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = args.home or Path(tempfile.mkdtemp(prefix="ledgerbridge-shots-"))
    args.out.mkdir(parents=True, exist_ok=True)
    from app.demo_company import demo_paths, open_demo_database, prepare_demo_company
    from app.models.database import Database
    from app.scheduling.memory import MemoryScheduler
    from app.ui.application import create_application
    from app.ui.main_window import MainWindow
    from app.ui.services import Services
    from app.ui.tasks import TaskRunner

    paths = resolve_paths(home).ensure()
    application = create_application(sys.argv[:1])
    database = Database.open(paths)
    services = Services(paths, database, TaskRunner(), demo_paths=demo_paths(home),
                        open_demo_database=open_demo_database,
                        prepare_demo=prepare_demo_company,
                        scheduler=MemoryScheduler())  # never a task on this computer
    window = MainWindow(services, paths.config_dir / "window.ini")
    window.resize(*SIZE)
    window.show()
    window.start()
    wait_until_idle(services.runner)
    shoot(window, args.out / "01-first-run.png")
    post_demo_months(home)
    window.open_demo()
    wait_until_idle(services.runner)
    for name, title in SHOTS:
        window.show_screen(title)
        wait_until_idle(services.runner)
        shoot(window, args.out / name)
    from app.ui.close_screenshots import take as take_close

    take_close(window, services, args.out, wait_until_idle, shoot)
    add_expired_company(home)
    window.reload_companies(None)
    wait_until_idle(services.runner)
    expired = next(c for c in window.companies.choices if c.entry.name == "Riverside Swim Club")
    window.select(expired)
    window.show_screen("Home")
    wait_until_idle(services.runner)
    shoot(window, args.out / "08-reconnect-banner.png")
    from app.ui.screenshots_books import shoot_books_screens

    shoot_books_screens(window, services, home, args.out, shoot, wait_until_idle)
    window.close()
    services.close()
    database.close()
    application.processEvents()
    print(f"screenshots written to {args.out} (data in {home})")
    return 0


def shoot(window: object, path: Path) -> None:
    if not window.grab().save(str(path)):  # type: ignore[attr-defined]
        raise OSError(f"could not write {path}")
    print(f"  {path}")


if __name__ == "__main__":
    sys.exit(main())
