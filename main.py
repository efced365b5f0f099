"""Composition root of the desktop app: paths, logging, database, services, the window.

``python main.py`` starts the GUI on the companies of the data folder (the first-run
screen when there is none); ``--home DIR`` keeps everything under DIR; ``--demo`` opens
the demo company (the built-in QuickBooks simulator, in its own folder); ``--self-test``
builds the window offscreen, waits for the first screen to load, checks the database,
prints one line and exits (0 when all is well).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()

from app import __version__  # noqa: E402 (the clock starts before the imports)
from app.config import resolve_paths  # noqa: E402
from app.logging_setup import LOG_FILE, configure_logging  # noqa: E402
from app.models.database import Database  # noqa: E402

log = logging.getLogger("ledgerbridge")
SELF_TEST_TIMEOUT_S = 30.0
QUIT_WAIT_S = 1.0  # how long a quit waits for background reads before leaving them
SELF_TEST_FILE = "self-test.txt"  # in the log folder: a windowed build has no console
# The Qt platform plugins a build must carry: offscreen (self-test, CI) and the native one.
PLATFORM_PLUGINS = {"linux": ("offscreen", "xcb"), "win32": ("offscreen", "windows"),
                    "darwin": ("offscreen", "cocoa")}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ledgerbridge-gui")
    parser.add_argument("--version", action="version", version=f"Ledgerbridge {__version__}")
    parser.add_argument("--home", metavar="DIR", help="keep all data, settings and logs under DIR")
    parser.add_argument("--demo", action="store_true",
                        help="open the demo company on the built-in QuickBooks simulator")
    parser.add_argument("--self-test", action="store_true",
                        help="build the window offscreen, check the database, print a report")
    return parser.parse_args(argv)


def check_display() -> int | None:
    """Exit code 3 with the missing X library named, before Qt aborts with a wrong hint."""
    from app.qt_platform import advice, missing_by_loading, wants_xcb

    if not wants_xcb():
        return None
    missing = missing_by_loading()
    if not missing:
        return None
    print(advice(missing), file=sys.stderr)
    if os.environ.get("WAYLAND_DISPLAY"):  # a Wayland session can still show the window
        os.environ["QT_QPA_PLATFORM"] = "wayland"
        return None
    return 3


def main(argv: list[str] | None = None) -> int:
    if sys.stdout is None:  # a windowed build on Windows has no console: print nowhere
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif (code := check_display()) is not None:
        return code
    paths = resolve_paths(args.home).ensure()
    configure_logging(paths.log_dir, stderr_level=logging.WARNING)
    log.info("starting Ledgerbridge %s%s", __version__, " (demo company)" if args.demo else "")
    database = Database.open(paths)
    from app.demo_company import demo_paths, open_demo_database, prepare_demo_company
    from app.ui.application import create_application, install_crash_hook, settle_startup_heap
    from app.ui.main_window import MainWindow
    from app.ui.services import Services
    from app.ui.tasks import TaskRunner

    application = create_application(sys.argv[:1])
    install_crash_hook(str(paths.log_dir / LOG_FILE))
    services = Services(paths, database, TaskRunner(), demo_paths=demo_paths(args.home),
                        open_demo_database=open_demo_database,
                        prepare_demo=prepare_demo_company)
    try:
        window = MainWindow(services, paths.config_dir / "window.ini")
        settle_startup_heap()
        window.open_demo() if args.demo else window.start()
        if args.self_test:
            return self_test(database, window, services, paths.log_dir / SELF_TEST_FILE)
        window.show()
        log.info("window shown %.2f s after start", time.perf_counter() - STARTED)
        code = application.exec()
        if not services.runner.shutdown(QUIT_WAIT_S):
            leave_now(code)  # a read still runs: Qt would wait for it at exit, unseen
        return code
    finally:
        services.close()
        database.close()


def leave_now(code: int) -> None:
    """End the process without waiting for background reads (only reads are left: the
    window asked before closing while QuickBooks was written to). An unfinished read
    changes nothing, so nothing is lost; the log is flushed first."""
    log.info("quitting while a background read runs: it is left unfinished")
    logging.shutdown()
    sys.stdout.flush()
    os._exit(code)


def self_test(database: Database, window: object, services: object, report: Path) -> int:
    """Wait for the first screen's background loads, grab the window, check that every
    module, migration, resource and Qt part is there; report on standard output and in
    ``report``."""
    from PySide6.QtWidgets import QApplication

    runner = services.runner  # type: ignore[attr-defined]
    deadline = time.perf_counter() + SELF_TEST_TIMEOUT_S
    QApplication.processEvents()
    while runner.busy and time.perf_counter() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)
    QApplication.processEvents()
    usable = time.perf_counter() - STARTED
    current = database.is_current()
    pixels = window.grab()  # type: ignore[attr-defined]
    title = window.windowTitle()  # type: ignore[attr-defined]
    from app.bundle import check_bundle, is_frozen

    bundle = check_bundle()  # after the clock: importing every module is not start-up
    plugins, qt_problems = check_qt()
    problems = bundle.problems + qt_problems
    ok = current and not pixels.isNull() and not runner.busy and not problems
    lines = [
        f"self-test {'ok' if ok else 'FAILED'}: Ledgerbridge {__version__}, "
        f"schema {database.current_revision()} (head {database.head_revision()}), "
        f"window {pixels.width()}x{pixels.height()} \"{title}\", usable after {usable:.2f} s",
        f"  {'build' if is_frozen() else 'source'}: {bundle.modules} modules imported, "
        f"{bundle.migrations} migrations, {bundle.resources} resources; Qt platform "
        f"plugins {', '.join(plugins) or 'none'}; QtCharts "
        f"{'missing' if any('QtCharts' in p for p in qt_problems) else 'loaded'}",
        *(f"  MISSING: {problem}" for problem in problems),
    ]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    report.write_text(text, encoding="utf-8")
    return 0 if ok else 1


def check_qt() -> tuple[list[str], list[str]]:
    """The platform plugins found, and what is missing (plugins, QtCharts)."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    files = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    wanted = PLATFORM_PLUGINS.get(sys.platform, ("offscreen",))
    found = [name for name in wanted if any(f"q{name}." in f for f in files)]
    problems = [f"Qt platform plugin {name!r} (in {folder})" for name in wanted
                if name not in found]
    try:
        from PySide6.QtCharts import QChart

        QChart()
    except Exception as exc:  # a missing module or library: what the check is for
        problems.append(f"QtCharts: {type(exc).__name__}: {exc}")
    return found, problems


if __name__ == "__main__":
    sys.exit(main())
