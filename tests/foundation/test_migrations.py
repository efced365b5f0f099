"""Migrations produce exactly the models, and old databases upgrade in place."""

import os
import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.config import resolve_paths
from app.models import Base
from app.models.database import Database, alembic_config, create_database_engine


def test_migrations_match_models(tmp_path):
    database = Database.open(resolve_paths(tmp_path))
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_every_revision_upgrades_to_head_keeping_data(tmp_path):
    """Build a database at each released revision, put a row in, upgrade, row survives."""
    engine = create_database_engine(f"sqlite:///{tmp_path / 'probe.db'}")
    script = ScriptDirectory.from_config(alembic_config(engine))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions[0] == "0001"
    for index, revision in enumerate(revisions):
        database = Database(create_database_engine(f"sqlite:///{tmp_path / f'r{index}.db'}"))
        database.upgrade(revision)
        with database.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO company (name, environment, connection_state, sync_schedule, "
                "mapping_version, created_at, updated_at) VALUES "
                "('Riverside Swim', 'local', 'disconnected', 'manual', 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ))
        database.upgrade("head")
        assert database.is_current()
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM company")).scalar() == "Riverside Swim"
        database.close()


@pytest.mark.sqlite_only
def test_database_is_owner_only_with_wal_and_foreign_keys(tmp_path):
    paths = resolve_paths(tmp_path)
    database = Database.open(paths)
    mode = stat.S_IMODE(os.stat(paths.database_file).st_mode)
    assert mode == 0o600
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert "ledger_entry" in inspect(database.engine).get_table_names()


def test_opening_twice_reuses_the_database(tmp_path):
    paths = resolve_paths(tmp_path)
    Database.open(paths).close()
    database = Database.open(paths)
    assert database.is_current()


def test_a_percent_in_the_database_url_reaches_alembic_unchanged(tmp_path):
    """URL-encoded passwords ("p%40ss") must not trip Alembic's configparser."""
    folder = tmp_path / "100%"
    database = Database(create_database_engine(f"sqlite:///{folder / 'x.db'}"))
    config = alembic_config(database.engine)
    rendered = database.engine.url.render_as_string(hide_password=False)
    assert "%" in rendered
    assert config.get_main_option("sqlalchemy.url") == rendered
    database.upgrade()
    assert database.is_current()
