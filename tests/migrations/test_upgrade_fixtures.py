"""A database written by each released schema opens with this version, upgrades to head
and keeps every row; the app then works on it (STYLE 10, issue 13).

The databases in ``data/`` were written by each release's own command line
(``make_fixtures.py``, beside this file). Every row of every table is compared, column by
column, before and after the upgrade, except what a migration documents it changes:
0002 keeps only ledger rows known to exist in QuickBooks (``posted``/``voided``) and turns
the ones whose outcome was unknown (``sending``/``unknown``) into jobs to look up. A column
that disappears on upgrade while it held data fails the test, unless ``DROPPED_ON_PURPOSE``
names it with the migration that drops it (none so far).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from app.cli import main as cli
from app.config import resolve_paths
from app.models.database import Database

DATA = Path(__file__).with_name("data")
FIXTURES = sorted(DATA.glob("schema_*.db"))
IN_DOUBT = ("sending", "unknown")
# (table, column) -> the revision whose migration drops that column on purpose.
DROPPED_ON_PURPOSE: dict[tuple[str, str], str] = {}

pytestmark = pytest.mark.sqlite_only  # the fixtures are SQLite files


def rows(path: Path) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every table's rows by primary key (``id``; the version table by its value)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.row_factory = sqlite3.Row
        names = [n for (n,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out: dict[str, dict[Any, dict[str, Any]]] = {}
        for name in names:
            table = [dict(r) for r in connection.execute(f'SELECT * FROM "{name}"')]
            key = "id" if table and "id" in table[0] else None
            out[name] = {(r[key] if key else i): r for i, r in enumerate(table)}
        return out


def opened(fixture: Path, tmp_path: Path) -> tuple[Path, Database]:
    paths = resolve_paths(tmp_path / "home").ensure()
    shutil.copyfile(fixture, paths.database_file)
    return tmp_path / "home", Database.open(paths, url=f"sqlite:///{paths.database_file}")


def run_cli(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, Any]:
    capsys.readouterr()
    code = cli(["--home", str(home), *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_there_is_a_database_for_every_released_schema() -> None:
    from alembic.script import ScriptDirectory

    from app.models.database import alembic_config, create_database_engine

    script = ScriptDirectory.from_config(alembic_config(create_database_engine("sqlite://")))
    revisions = {r.revision for r in script.walk_revisions()}
    assert {p.stem.removeprefix("schema_") for p in FIXTURES} == revisions


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_a_released_database_upgrades_to_head_keeping_every_row(
        fixture: Path, tmp_path: Path) -> None:
    before = rows(fixture)
    revision = next(iter(before["alembic_version"].values()))["version_num"]
    home, database = opened(fixture, tmp_path)
    try:
        assert database.is_current(), database.current_revision()
        after = rows(resolve_paths(home).database_file)
    finally:
        database.close()
    assert revision == fixture.stem.removeprefix("schema_")
    for table, old_rows in before.items():
        if table == "alembic_version":
            continue
        assert old_rows, f"{fixture.name}: no rows in {table} (make_fixtures.py fills every table)"
        new_rows = after[table]
        expected = old_rows
        if table == "ledger_entry" and revision < "0002":
            expected = {k: r for k, r in old_rows.items() if r["state"] in ("posted", "voided")}
        if table == "job" and revision < "0002":  # and jobs added for the rows in doubt
            assert set(new_rows) >= set(expected), f"{table}: rows lost"
        else:
            assert set(new_rows) == set(expected), f"{table}: rows lost or added"
        for key, old in expected.items():
            changed = row_changes(table, old, new_rows[key], revision)
            assert not changed, f"{table} row {key} changed on upgrade: {changed}"
    if revision < "0002":  # the ledger rows in doubt became jobs to look up in QuickBooks
        doubt = {r["key"] for r in before["ledger_entry"].values() if r["state"] in IN_DOUBT}
        new_jobs = [j for k, j in after["job"].items() if k not in before["job"]]
        assert {j["ledger_key"] for j in new_jobs} == doubt
        assert {j["status"] for j in new_jobs} == {"sending"}


def row_changes(table: str, old: dict[str, Any], new: dict[str, Any], revision: str
                ) -> dict[str, tuple[Any, Any]]:
    """What the upgrade changed in one row: a value changed, or a column holding data gone
    (shown as ``(value, "<column dropped>")``) unless a migration after ``revision`` is
    listed as dropping it on purpose."""
    changed: dict[str, tuple[Any, Any]] = {}
    for column, value in old.items():
        if column in new:
            if new[column] != value:
                changed[column] = (value, new[column])
        elif value is not None and DROPPED_ON_PURPOSE.get((table, column), "") <= revision:
            changed[column] = (value, "<column dropped>")
    return changed


def test_a_dropped_column_with_data_counts_as_a_change_unless_dropped_on_purpose(
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = {"id": 1, "memo": "kept for the auditor", "empty": None}
    assert row_changes("job", old, {"id": 1}, "0001") == {
        "memo": ("kept for the auditor", "<column dropped>")}
    monkeypatch.setitem(DROPPED_ON_PURPOSE, ("job", "memo"), "0004")
    assert row_changes("job", old, {"id": 1}, "0001") == {}  # 0004 drops it, listed
    assert row_changes("job", old, {"id": 1}, "0004") != {}  # already past that migration
    assert row_changes("job", old, {"id": 2, "memo": "x", "empty": None}, "0001") == {
        "id": (1, 2), "memo": ("kept for the auditor", "x")}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_the_app_works_on_an_upgraded_database(
        fixture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = rows(fixture)
    revision = fixture.stem.removeprefix("schema_")
    home, database = opened(fixture, tmp_path)
    database.close()

    code, status = run_cli(capsys, home, "status")
    assert status["company"]["name"] == next(iter(before["company"].values()))["name"]
    assert sum(status["records"].values()) == len(before["source_record"])
    assert status["imports"] == len(before["import_batch"])
    code, months = run_cli(capsys, home, "period", "list")
    assert code == 0 and months

    code, january = run_cli(capsys, home, "preview", "--offline", "--from", "2025-01-01",
                            "--to", "2025-01-31")
    if revision >= "0002":  # January was posted by that release: nothing left to send
        assert january["operations"] == [], january["operations"][:3]
    else:  # nothing was posted before the poster: January is all to send
        assert january["operations"] and january["balanced"]
    code, february = run_cli(capsys, home, "preview", "--offline", "--from", "2025-02-01",
                             "--to", "2025-02-28")
    assert february["balanced"]
    if revision < "0003":  # 0003's fixture synced February already
        assert february["operations"]


def columns(path: Path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(path)) as connection:
        names = [n for (n,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {name: [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')]
                for name in names}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_each_database_has_exactly_its_revisions_schema(fixture: Path, tmp_path: Path) -> None:
    """A fixture made before its migration was final would test an unreleased schema."""
    from app.models.database import create_database_engine

    revision = fixture.stem.removeprefix("schema_")
    fresh = tmp_path / "fresh.db"
    database = Database(create_database_engine(f"sqlite:///{fresh}"))
    database.upgrade(revision)
    database.close()
    assert columns(fixture) == columns(fresh)
