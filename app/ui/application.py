"""The QApplication and the crash hook: an unexpected error is logged and shown."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, __version__
from app.bundle import resource
from app.yielding import settle_heap

log = logging.getLogger(__name__)

# A light touch over the platform's own style: cards, the banner, the sidebar, badges.
STYLE = """
QFrame#card { border: 1px solid palette(mid); border-radius: 6px;
              background: palette(base); }
QLabel#cardHeading { font-weight: 600; color: palette(dark); }
QLabel#simulatorNote { color: #8a4b00; }
QLabel#problem { color: #c62828; }
QLabel#hint { color: palette(dark); }
QFrame#banner { border-radius: 4px; padding: 2px; background: #fff4e5;
                border: 1px solid #f0b429; }
QFrame#banner[severity="info"] { background: #e8f1fb; border: 1px solid #7aa7d6; }
QFrame#banner QLabel { color: #3d2c00; }
QFrame#banner[severity="info"] QLabel { color: #0d2f52; }
QListWidget#sidebar { font-size: 11pt; }
QListWidget#sidebar::item { padding: 7px 10px; }
QFrame#notice, QFrame#noticeCard { border-radius: 6px; background: #fdecea;
                                   border: 1px solid #e57373; }
QFrame#notice QLabel, QFrame#noticeCard QLabel { color: #5f1212; }
QFrame#workPanel { border: 1px solid palette(mid); border-radius: 6px; }
QLabel#outcome { font-weight: 600; }
QToolButton#failedBadge { color: white; background: #c62828; border-radius: 9px;
                          padding: 1px 8px; font-weight: 600; }
"""


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # High DPI: Qt 6 scales by default; fractional factors (125 %, 150 %) are kept exact.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    application = QApplication(argv)
    application.setStyleSheet(STYLE)
    application.setApplicationName(APP_NAME)
    application.setOrganizationName(APP_NAME)
    application.setApplicationVersion(__version__)
    application.setWindowIcon(QIcon(str(resource("icons/ledgerbridge.png"))))
    return application


def settle_startup_heap() -> None:
    """Keep the event loop answering while worker threads compute (SPEC §10: no stall
    over 50 ms; measured by bench/gui_responsiveness.py, docs/performance.md).

    - What start-up built (modules, Qt wrappers, the window) is taken out of the cyclic
      garbage collector's full scans (``gc.freeze``): it lives as long as the app, and a
      full scan — run on whichever thread allocates, holding the GIL — kept the event loop
      waiting ~90 ms each time. Reference counting still frees what goes away. Big reads
      and plans run under ``collector_paused``, which keeps what they build frozen too;
      the full scans that remain are made ten times rarer (``settle_heap`` says why).
    - Threads take turns with the GIL every millisecond instead of every five: with the
      poster's eight HTTP threads and its writer all runnable, the GUI thread otherwise
      waits several turns for each of its slots.
    """
    settle_heap()
    sys.setswitchinterval(0.001)


def install_crash_hook(log_file_hint: str) -> None:
    """Log any uncaught exception and tell the user where the details are."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                f"{APP_NAME} — unexpected error",
                f"Something went wrong: {error}\n\nDetails were written to {log_file_hint}.",
            )

    sys.excepthook = hook
