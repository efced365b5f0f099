"""What the setup wizard needs from the application, handed in by the caller.

STYLE §12: dependencies are passed in, never fetched from globals. The shell builds one
``SetupServices`` (``default_services``) and gives it to ``open_setup_wizard``; tests
build one with a synchronous runner, a fake browser and environments that point at the
simulator. Nothing here imports Qt: the runner is described by a protocol that
``app/ui/background.BackgroundRunner`` satisfies.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from app.config import AppPaths
from app.models.company import Company
from app.models.database import Database
from app.progress import Progress
from app.sync.client import QboClient
from app.sync.environments import Environment, hosted_environment
from app.sync.tokens import KeyringTokenStore, TokenStore


class Runner(Protocol):
    """The one background helper: work on a worker thread, callbacks on the GUI thread."""

    def start(
        self,
        work: Callable[[Progress], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Any: ...


# A live client for a stored company, for the length of one piece of work.
ClientOpener = Callable[[int], AbstractContextManager[QboClient]]


@dataclass(frozen=True)
class SetupServices:
    """Everything the wizard talks to, in one small typed object.

    * ``database`` — the session factory; the wizard writes only at Finish.
    * ``paths`` — the data folder (the demo simulator's file) and the config folder
      (import presets, API sources).
    * ``runner`` — the one background helper (``BackgroundRunner``; tests pass
      ``SynchronousRunner``).
    * ``token_store`` — makes the keyring-backed token store; called when a hosted
      connection is started (so a missing keyring is said before the user signs in)
      and at Finish, when the tokens are saved.
    * ``open_client`` — a client for a stored company (re-entering the wizard reads its
      chart of accounts); by default ``app.company_session.company_client``.
    * ``open_browser`` — shows the authorisation page (``webbrowser.open``).
    * ``environment_for`` — Intuit's URLs for ``production`` and ``sandbox``; tests
      point it at the simulator so the hosted path runs end to end on loopback.
    * ``user`` — recorded on the import batch.
    * ``offer_demo`` — whether Connect offers the demo company. The desktop app keeps the
      demo in its own data folder (docs/decisions.md), so a company added to the real
      books is never the demo; only the demo company's own setup offers it.
    """

    database: Database
    paths: AppPaths
    runner: Runner
    token_store: Callable[[], TokenStore] = KeyringTokenStore
    open_client: ClientOpener | None = None
    open_browser: Callable[[str], object] = webbrowser.open
    environment_for: Callable[[str], Environment] = hosted_environment
    user: str | None = None
    offer_demo: bool = True

    def client_for(self, company_id: int) -> AbstractContextManager[QboClient]:
        opener = self.open_client or _stored_company_client(self.database, self.paths)
        return opener(company_id)


def _stored_company_client(database: Database, paths: AppPaths) -> ClientOpener:
    @contextmanager
    def opener(company_id: int) -> Iterator[QboClient]:
        from app.company_session import company_client

        with database.session() as session:
            company = session.get(Company, company_id)
            if company is None:
                raise ValueError(f"no company {company_id}")
        with company_client(company, database, paths.data_dir) as client:
            yield client

    return opener


def default_services(database: Database, paths: AppPaths, runner: Runner, *,
                     offer_demo: bool = True) -> SetupServices:
    """The services of the desktop app: the real keyring, browser and Intuit URLs."""
    import getpass

    try:
        user: str | None = getpass.getuser()
    except (KeyError, OSError):
        user = None
    return SetupServices(database=database, paths=paths, runner=runner, user=user,
                         offer_demo=offer_demo)
