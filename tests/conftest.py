"""Test-wide safety rails: no real keyring, no display, no user folders."""

from __future__ import annotations

import os

import keyring
import pytest
from hypothesis import settings

from app.memory_keyring import InMemoryKeyring
from tests.pg_schema import all_on_postgres, fresh_schema, postgres_url

# CI replays the same examples on every run (a red CI means a real regression, and it is
# reproducible); developers' runs explore new random examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def memory_keyring() -> InMemoryKeyring:
    """Every test gets a fresh in-memory keyring; the OS keyring is never touched."""
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    return backend


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not all_on_postgres():
        return
    skip = pytest.mark.skip(reason="checks the SQLite file itself (whole-suite PostgreSQL run)")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point LEDGERBRIDGE_HOME at a fresh folder so no test reads or writes user data.

    The database is that folder's SQLite file, or, in the whole-suite PostgreSQL run
    (docs/postgresql.md), a schema of its own on the test server.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("LEDGERBRIDGE_HOME", str(home))
    monkeypatch.delenv("LEDGERBRIDGE_DATABASE_URL", raising=False)
    if not all_on_postgres():
        yield home
        return
    with fresh_schema(postgres_url() or "") as url:
        monkeypatch.setenv("LEDGERBRIDGE_DATABASE_URL", url)
        yield home
