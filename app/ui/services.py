"""What the window's parts are given: the data folders, the background runner, the wizard.

``Services`` is built once by ``main.py`` (the composition root) and passed down; no
screen fetches anything global. A company is always seen through a ``CompanyContext``
(its id, the database and data folder it lives in, its label), so a screen can only
ever read the company it was shown. The demo company lives in its own folder and
database (docs/decisions.md): ``CompanyRef.demo`` says which folder an id belongs to.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.companies import CompanyEntry, companies_of, read_last_company, remember_company
from app.config import AppPaths
from app.models.database import Database
from app.setup.services import default_services
from app.ui.quickbooks_work import QuickBooksWork
from app.ui.tasks import TaskRunner

# open_setup_wizard(parent, SetupServices, company_id=None, page=None) -> a window with a
# ``setup_finished(company_id)`` signal (app/ui/wizard). Tests may pass a fake; the real
# one is imported only when a wizard is first opened (a faster cold start).
WizardOpener = Callable[..., Any]


@dataclass(frozen=True)
class CompanyRef:
    """A company of the real books (``demo=False``) or the demo company's own folder."""

    company_id: int
    demo: bool = False


@dataclass(frozen=True)
class CompanyChoice:
    ref: CompanyRef
    entry: CompanyEntry

    @property
    def label(self) -> str:
        return self.entry.label


@dataclass(frozen=True)
class CompanyContext:
    """One company as every screen and background job sees it."""

    ref: CompanyRef
    entry: CompanyEntry
    database: Database
    paths: AppPaths

    @property
    def company_id(self) -> int:
        return self.ref.company_id

    @property
    def label(self) -> str:
        return self.entry.label

    @property
    def data_dir(self) -> Path:
        return self.paths.data_dir

    def command(self, *words: str) -> str:
        """The same work on the command line (what a disabled button points to)."""
        chooser = ["--demo"] if self.ref.demo else ["--company", self.entry.realm_id
                                                    or self.entry.name]
        return shlex.join(["ledgerbridge", *chooser, *words])


class Services(QObject):
    """The app's dependencies, built by ``main.py``; ``companies_changed`` after any change."""

    companies_changed = Signal()

    def __init__(self, paths: AppPaths, database: Database, runner: TaskRunner, *,
                 demo_paths: AppPaths, open_demo_database: Callable[[AppPaths], Database],
                 prepare_demo: Callable[[AppPaths, Database], int],
                 wizard_opener: WizardOpener | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.database = database
        self.runner = runner
        self.quickbooks = QuickBooksWork(runner)  # the one write to QuickBooks at a time
        self.demo_paths = demo_paths
        self._open_demo_database = open_demo_database
        self._prepare_demo = prepare_demo
        self._demo_database: Database | None = None
        self._wizard_opener = wizard_opener

    # -- the companies ----------------------------------------------------------------
    def demo_database(self) -> Database:
        if self._demo_database is None:
            self._demo_database = self._open_demo_database(self.demo_paths.ensure())
        return self._demo_database

    def demo_exists(self) -> bool:
        return self.demo_paths.database_file.exists()

    def load_choices(self) -> list[CompanyChoice]:
        """The real companies, then the demo company if it was ever opened (a worker calls this)."""
        choices = [CompanyChoice(CompanyRef(e.id), e) for e in companies_of(self.database)]
        if self.demo_exists():
            choices += [CompanyChoice(CompanyRef(e.id, demo=True), e)
                        for e in companies_of(self.demo_database()) if e.realm_id]
        return choices

    def prepare_demo(self) -> CompanyRef:
        """Connect, feed and map the demo company in its folder (a worker calls this)."""
        return CompanyRef(self._prepare_demo(self.demo_paths, self.demo_database()), demo=True)

    def context(self, choice: CompanyChoice) -> CompanyContext:
        if choice.ref.demo:
            return CompanyContext(choice.ref, choice.entry, self.demo_database(), self.demo_paths)
        return CompanyContext(choice.ref, choice.entry, self.database, self.paths)

    def last_ref(self) -> CompanyRef | None:
        last = read_last_company(self.paths.config_dir)
        if last.demo:
            return None  # the demo's id is found among the choices
        return CompanyRef(last.company_id) if last.company_id is not None else None

    def last_was_demo(self) -> bool:
        return read_last_company(self.paths.config_dir).demo

    def remember(self, ref: CompanyRef) -> None:
        if ref.demo:
            remember_company(self.paths.config_dir, demo=True)
        else:
            remember_company(self.paths.config_dir, ref.company_id)

    # -- the setup wizard -------------------------------------------------------------
    def open_wizard(self, parent: QWidget, context: CompanyContext | None,
                    page: str | None, on_saved: Callable[[CompanyRef], None]) -> Any:
        """Open the setup wizard (a new company when ``context`` is None) on ``page``.

        A new company goes into the real books; a company is set up in its own folder
        (the demo's for the demo, the only place the demo choice is offered). The wizard
        runs its work on the same background helper and says when it saved.
        """
        demo = context is not None and context.ref.demo
        database = context.database if context is not None else self.database
        paths = context.paths if context is not None else self.paths
        setup = default_services(database, paths, self.runner.background, offer_demo=demo)
        opener = self._wizard_opener or _real_wizard_opener()
        wizard = opener(parent, setup, context.company_id if context else None, page)
        wizard.setup_finished.connect(lambda company_id: on_saved(CompanyRef(company_id, demo)))
        return wizard

    def close(self) -> None:
        if self._demo_database is not None:
            self._demo_database.close()
            self._demo_database = None


def _real_wizard_opener() -> WizardOpener:
    from app.ui.wizard import open_setup_wizard

    opener: WizardOpener = open_setup_wizard
    return opener
