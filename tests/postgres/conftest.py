"""Fixtures for the PostgreSQL tests: skipped, with the reason, when no server is given."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.config import resolve_paths
from app.models.database import Database
from tests.pg_schema import SKIP_REASON, fresh_schema, postgres_url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL onto a new, empty schema of the test server; dropped afterwards."""
    base = postgres_url()
    if base is None:
        pytest.skip(SKIP_REASON)
    with fresh_schema(base) as url:
        yield url


@pytest.fixture
def pg_database(pg_url: str, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    database = Database.open(resolve_paths(tmp_path / "pg-home").ensure(), pg_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_database(tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """The same code on SQLite, to compare results with."""
    paths = resolve_paths(tmp_path / "sqlite-home").ensure()
    database = Database.open(paths, f"sqlite:///{paths.database_file}")
    yield database
    database.close()
