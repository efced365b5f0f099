"""The migrations on PostgreSQL: exactly the models, every revision upgrades with its data."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.config import resolve_paths
from app.models import Base
from app.models.database import Database, alembic_config, create_database_engine


def test_migrations_build_exactly_the_models(pg_database: Database) -> None:
    assert pg_database.engine.dialect.name == "postgresql"
    assert pg_database.is_current()
    with pg_database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        schema = connection.execute(text("SELECT current_schema()")).scalar()
    assert str(schema).startswith("lbtest_")  # the throwaway schema, never public
    assert set(Base.metadata.tables) <= set(inspect(pg_database.engine).get_table_names())


def test_every_revision_upgrades_to_head_keeping_data(pg_url: str) -> None:
    engine = create_database_engine(pg_url)
    revisions = [r.revision for r in
                 reversed(list(ScriptDirectory.from_config(alembic_config(engine))
                               .walk_revisions()))]
    engine.dispose()
    for revision in revisions:
        database = Database(create_database_engine(pg_url))
        _downgrade_to_base(database)
        database.upgrade(revision)
        with database.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO company (name, environment, connection_state, sync_schedule, "
                "mapping_version, created_at, updated_at) VALUES ('Riverside Swim', 'local', "
                "'disconnected', 'manual', 0, '2026-01-01 00:00:00+00', "
                "'2026-01-01 00:00:00+00')"))
        database.upgrade("head")
        assert database.is_current()
        with database.engine.connect() as connection:
            names = connection.execute(text("SELECT name FROM company")).scalars().all()
        assert names == ["Riverside Swim"]
        database.close()


def _downgrade_to_base(database: Database) -> None:
    from alembic import command

    config = alembic_config(database.engine)
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")


def test_downgrade_to_base_leaves_only_alembics_table(pg_database: Database) -> None:
    _downgrade_to_base(pg_database)
    assert inspect(pg_database.engine).get_table_names() == ["alembic_version"]
    pg_database.upgrade()
    assert pg_database.is_current()


def test_opening_twice_reuses_the_database(pg_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = resolve_paths(tmp_path).ensure()
    Database.open(paths, pg_url).close()
    database = Database.open(paths, pg_url)
    assert database.is_current()
    database.close()
