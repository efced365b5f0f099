"""What every write to QuickBooks starts from: post, retry, undo and resync alike.

In order: the company's posting lock (a second writer stops at once with who holds it);
runs a crash left "running" marked interrupted; a live client; the ledger as the poster
keeps it; and whatever an earlier run left in doubt looked up in QuickBooks and
settled, so the work that follows plans against what QuickBooks really holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

from app.models.database import Database
from app.plan.operations import Operation
from app.sync.client import QboClient
from app.sync.closed_period import ClosedPeriodDecision, apply_policy, closing_date
from app.sync.job_store import JobStore
from app.sync.ledger_writes import LiveLedger
from app.sync.posting_lock import HeldLock, holding
from app.sync.recovery import RecoveryReport, recover_in_doubt

ClientOpener = Callable[[], AbstractContextManager[QboClient]]


@dataclass(frozen=True)
class WriteSession:
    store: JobStore
    client: QboClient
    ledger: LiveLedger
    recovery: RecoveryReport

    def closed_period_decision(self, operations: tuple[Operation, ...] | list[Operation],
                               policy: str) -> ClosedPeriodDecision:
        """Hold, re-date or export what falls on or before the company's closing date."""
        preferences = self.client.query("SELECT * FROM Preferences")
        return apply_policy(tuple(operations),
                            closing_date(preferences[0] if preferences else {}), policy)


def load_ledger(database: Database, company_id: int) -> LiveLedger:
    with database.session() as session:
        return LiveLedger.load(session, company_id)


@contextmanager
def write_session(database: Database, company_id: int, company_name: str,
                  open_client: ClientOpener, held: HeldLock | None = None
                  ) -> Iterator[WriteSession]:
    """Raises ``PostingLocked`` when another writer holds the company (``held``: the
    caller holds the lock already, e.g. a sync that imported under it)."""
    store = JobStore(database, company_id)
    with holding(database, company_id, company_name, held):
        store.interrupt_stale_runs()
        with open_client() as client:
            ledger = load_ledger(database, company_id)
            recovery = recover_in_doubt(client, store, ledger)
            store.refresh_counts(recovery.runs)
            yield WriteSession(store, client, ledger, recovery)
