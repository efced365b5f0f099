"""The QApplication and the crash hook: an unexpected error is logged and shown."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, __version__

log = logging.getLogger(__name__)


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    application = QApplication(argv)
    application.setApplicationName(APP_NAME)
    application.setOrganizationName(APP_NAME)
    application.setApplicationVersion(__version__)
    return application


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
