"""One poster per company at a time, across processes and machines (SPEC §11).

Beside a SQLite database the lock is a file next to it, held with the OS's own file
lock (``filelock``): the OS releases it when the holder dies, even by SIGKILL, so a
crash never leaves a company locked. On PostgreSQL it is a session advisory lock
(``pg_try_advisory_lock``) on a connection held for the whole run: every machine of an
office that shares the database sees it, and it too ends with the holder's session.
A second poster stops at once with ``PostingLocked``, unless it asked to wait a bounded
time (the unattended sync does: the bookkeeper's post from the window may be running).
Whoever holds the lock gets a ``HeldLock``; work done inside it (a sync's import, then its
post) passes that on instead of taking the lock a second time, which would refuse itself.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import text

from app.models.database import Database

_NAMESPACE = zlib.crc32(b"ledgerbridge-posting") & 0x7FFFFFFF  # advisory lock class id
POLL_SECONDS = 0.5  # how often a waiting writer tries the lock again


class PostingLocked(Exception):
    """Another post, sync or undo is running on this company."""

    def __init__(self, company_name: str) -> None:
        super().__init__(
            f"another Ledgerbridge post is already running on {company_name} (on this or "
            "another computer sharing the database); wait for it to finish, then try again")


@dataclass
class HeldLock:
    """Proof that this caller holds a company's posting lock, valid inside its block."""

    database_url: str
    company_id: int
    active: bool = True

    def covers(self, database: Database, company_id: int) -> bool:
        if not self.active:
            raise RuntimeError("a posting lock was passed on after it was released")
        return (self.company_id == company_id
                and self.database_url == _url(database))


def holding(database: Database, company_id: int, company_name: str,
            held: HeldLock | None = None) -> AbstractContextManager[object]:
    """The company's lock: the one the caller already holds, else taken now (no wait)."""
    if held is not None and held.covers(database, company_id):
        return nullcontext(held)
    return posting_lock(database, company_id, company_name)


@contextmanager
def posting_lock(database: Database, company_id: int, company_name: str, *,
                 wait: float = 0.0) -> Iterator[HeldLock]:
    """Hold the company's lock; when another holds it, try again for up to ``wait``
    seconds, then raise ``PostingLocked``."""
    held = HeldLock(_url(database), company_id)
    try:
        with _acquired(database, company_id, company_name, wait):
            yield held
    finally:
        held.active = False


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=True)


@contextmanager
def _acquired(database: Database, company_id: int, company_name: str, wait: float
              ) -> Iterator[None]:
    backend = database.engine.url.get_backend_name()
    if backend == "postgresql":
        with _advisory_lock(database, company_id, company_name, wait):
            yield
        return
    if backend != "sqlite" or not database.engine.url.database \
            or database.engine.url.database == ":memory:":
        raise ValueError(f"posting needs SQLite in a file or PostgreSQL, not {backend}")
    path = Path(database.engine.url.database)
    lock = FileLock(path.with_name(f"{path.name}.company-{company_id}.posting.lock"),
                    timeout=0, thread_local=False, fallback_to_soft=False)
    try:
        lock.acquire(timeout=max(wait, 0.0), poll_interval=POLL_SECONDS)
    except Timeout:
        raise PostingLocked(company_name) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def _advisory_lock(database: Database, company_id: int, company_name: str, wait: float
                   ) -> Iterator[None]:
    deadline = time.monotonic() + max(wait, 0.0)
    with database.engine.connect() as connection:
        while True:
            taken = connection.execute(text("SELECT pg_try_advisory_lock(:space, :company)"),
                                       {"space": _NAMESPACE, "company": company_id}).scalar()
            connection.commit()
            if taken:
                break
            if time.monotonic() >= deadline:
                raise PostingLocked(company_name)
            time.sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0.0)))
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:space, :company)"),
                               {"space": _NAMESPACE, "company": company_id})
            connection.commit()
