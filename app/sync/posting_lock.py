"""One poster per company at a time, across processes and machines (SPEC §11).

Beside a SQLite database the lock is a file next to it, held with the OS's own file
lock (``filelock``): the OS releases it when the holder dies, even by SIGKILL, so a
crash never leaves a company locked. On PostgreSQL it is a session advisory lock
(``pg_try_advisory_lock``) on a connection held for the whole run: every machine of an
office that shares the database sees it, and it too ends with the holder's session.
A second poster never waits: it stops at once with ``PostingLocked``.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import text

from app.models.database import Database

_NAMESPACE = zlib.crc32(b"ledgerbridge-posting") & 0x7FFFFFFF  # advisory lock class id


class PostingLocked(Exception):
    """Another post, sync or undo is running on this company."""

    def __init__(self, company_name: str) -> None:
        super().__init__(
            f"another Ledgerbridge post is already running on {company_name} (on this or "
            "another computer sharing the database); wait for it to finish, then try again")


@contextmanager
def posting_lock(database: Database, company_id: int, company_name: str) -> Iterator[None]:
    backend = database.engine.url.get_backend_name()
    if backend == "postgresql":
        with _advisory_lock(database, company_id, company_name):
            yield
        return
    if backend != "sqlite" or not database.engine.url.database \
            or database.engine.url.database == ":memory:":
        raise ValueError(f"posting needs SQLite in a file or PostgreSQL, not {backend}")
    path = Path(database.engine.url.database)
    lock = FileLock(path.with_name(f"{path.name}.company-{company_id}.posting.lock"),
                    timeout=0, thread_local=False, fallback_to_soft=False)
    try:
        lock.acquire()
    except Timeout:
        raise PostingLocked(company_name) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def _advisory_lock(database: Database, company_id: int, company_name: str) -> Iterator[None]:
    with database.engine.connect() as connection:
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:space, :company)"),
                                   {"space": _NAMESPACE, "company": company_id}).scalar()
        connection.commit()
        if not taken:
            raise PostingLocked(company_name)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:space, :company)"),
                               {"space": _NAMESPACE, "company": company_id})
            connection.commit()
