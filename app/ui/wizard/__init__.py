"""The setup wizard (issue 11): ``open_setup_wizard`` is the one way the shell opens it.

``company_id`` None adds a company; a company id goes through its whole setup again;
``page`` (one of ``app.setup.pages.PAGES``) re-enters that single page only, and Finish
then changes only what that page owns. The wizard is shown non-modal and returned, so
the caller can connect to ``setup_finished(company_id)``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.setup.services import SetupServices

from .setup_wizard import SetupWizard


def open_setup_wizard(parent: QWidget | None, services: SetupServices,
                      company_id: int | None = None, page: str | None = None) -> SetupWizard:
    wizard = SetupWizard(services, company_id=company_id, page=page, parent=parent)
    wizard.show()
    return wizard


__all__ = ["SetupWizard", "open_setup_wizard"]
