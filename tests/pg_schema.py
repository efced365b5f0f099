"""Throwaway PostgreSQL schemas for the tests that run on a real server (docs/postgresql.md).

Each test gets its own schema (``search_path`` set through the URL) and its own
``application_name``, so teardown can end the test's leftover connections and drop
everything it made, leaving the database as it was.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL_ENV = "LEDGERBRIDGE_TEST_POSTGRES_URL"
ALL_ON_POSTGRES_ENV = "LEDGERBRIDGE_TEST_ALL_ON_POSTGRES"
SKIP_REASON = (
    f"no PostgreSQL server given: set {POSTGRES_URL_ENV}="
    "postgresql+psycopg://USER:PASSWORD@127.0.0.1:5432/DB to run (see docs/postgresql.md)"
)


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_ENV) or None


def all_on_postgres() -> bool:
    """Whether every test's database should be a PostgreSQL schema (the whole-suite run)."""
    return bool(postgres_url() and os.environ.get(ALL_ON_POSTGRES_ENV))


@contextmanager
def fresh_schema(base_url: str) -> Iterator[str]:
    """A URL whose connections see only a new, empty schema; dropped on exit."""
    name = f"lbtest_{uuid.uuid4().hex[:16]}"
    url = make_url(base_url).update_query_dict(
        {"options": f"-csearch_path={name}", "application_name": name})
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": name})
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()
