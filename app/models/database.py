"""Open the local database: create it owner-only, turn on WAL and foreign keys, migrate.

Every entry point (GUI, CLI, tests) goes through ``Database.open``, so a database made
by an older version is upgraded before anything reads it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import AppPaths, database_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's options go through configparser, which reads "%" as interpolation: a
    # URL-encoded password ("p%40ss") or connect option must have it doubled.
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _create_owner_only(path: Path) -> None:
    """Create the SQLite file with mode 0600 before SQLite does it with the umask's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_owner_only(Path(parsed.database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """An engine plus a session factory; the one handle workers and commands receive."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session_factory = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, paths: AppPaths, url: str | None = None) -> Database:
        database = cls(create_database_engine(url or database_url(paths)))
        database.upgrade()
        return database

    def upgrade(self, revision: str = "head") -> None:
        """Migrate to ``revision`` in one transaction.

        On SQLite, foreign keys are off while migrating (Alembic's batch mode rebuilds a
        table by copying it and dropping the old one, which a row elsewhere referencing it
        would refuse) and every reference is checked before the transaction commits.
        """
        config = alembic_config(self.engine)
        sqlite = self.engine.url.get_backend_name() == "sqlite"
        with self.engine.connect() as connection:
            if sqlite:  # only outside a transaction does SQLite honour this pragma
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, revision)
                    if sqlite:
                        _check_references(connection)
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(alembic_config(self.engine)).get_current_head()

    def is_current(self) -> bool:
        return self.current_revision() == self.head_revision()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self.session_factory() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _check_references(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, row, parent, _key = broken[0]
        raise RuntimeError(f"the database upgrade left {len(broken)} broken reference(s), "
                           f"e.g. {table} row {row} -> {parent}; nothing was changed")
