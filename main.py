"""Composition root of the desktop app: paths, logging, database, the window.

``python main.py`` starts the GUI; ``--home DIR`` keeps everything under DIR;
``--demo`` opens the demo company (the built-in QuickBooks simulator, in its own
folder); ``--self-test`` builds the window offscreen, checks the database, prints one
line and exits (0 when all is well).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from app import __version__
from app.config import resolve_paths
from app.demo_company import DemoCompany, demo_paths
from app.logging_setup import LOG_FILE, configure_logging
from app.models.database import Database
from app.status import collect_status

log = logging.getLogger("ledgerbridge")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledgerbridge-gui")
    parser.add_argument("--home", metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument("--demo", action="store_true",
                        help="open the demo company on the built-in QuickBooks simulator")
    parser.add_argument("--self-test", action="store_true",
                        help="build the window offscreen, check the database, print a report")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    paths = (demo_paths(args.home) if args.demo else resolve_paths(args.home)).ensure()
    configure_logging(paths.log_dir, stderr_level=logging.WARNING)
    log.info("starting Ledgerbridge %s%s", __version__, " (demo company)" if args.demo else "")
    database = Database.open(paths)
    demo = DemoCompany.start(paths, database) if args.demo else None
    try:
        from app.ui.application import create_application, install_crash_hook
        from app.ui.main_window import MainWindow

        application = create_application(sys.argv[:1])
        install_crash_hook(str(paths.log_dir / LOG_FILE))
        window = MainWindow(paths.config_dir / "window.ini")
        with database.session() as session:
            window.show_status(collect_status(session, database_location=str(paths.database_file)))
        if args.self_test:
            return self_test(database, window)
        window.show()
        return application.exec()
    finally:
        if demo is not None:
            demo.stop()
        database.close()


def self_test(database: Database, window: object) -> int:
    current = database.is_current()
    pixels = window.grab()  # type: ignore[attr-defined]
    ok = current and not pixels.isNull()
    print(
        f"self-test {'ok' if ok else 'FAILED'}: Ledgerbridge {__version__}, "
        f"schema {database.current_revision()} (head {database.head_revision()}), "
        f"window {pixels.width()}x{pixels.height()}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
