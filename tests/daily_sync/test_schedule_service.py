"""``schedule on|off|status`` (core and command line) with the OS boundary mocked."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, time

import pytest

from app.cli import main as cli
from app.config import resolve_paths
from app.daily_sync.reports import local_time
from app.daily_sync.source import (
    SyncSourceSettings,
    load_sync_source,
    save_sync_source,
    set_scheduled,
)
from app.models.company import Company
from app.models.daily_sync import SyncRun
from app.models.database import Database
from app.scheduling.runner import Completed, SchedulingError
from app.scheduling.service import schedule_off, schedule_on, schedule_status
from app.scheduling.systemd import SystemdUserTimer
from app.scheduling.task import Launcher
from tests.daily_sync.test_scheduling import FakeOS

LAUNCHER = Launcher(("/opt/lb/ledgerbridge-cli",))


@pytest.fixture(autouse=True)
def per_user_install(isolated_home, monkeypatch):
    """These test the per-user install: a local SQLite home even when the suite runs on
    PostgreSQL (an office database is refused on purpose: see the test that says so)."""
    monkeypatch.delenv("LEDGERBRIDGE_DATABASE_URL", raising=False)


@pytest.fixture
def home(tmp_path):
    return tmp_path / "books"


@pytest.fixture
def database(home):
    database = Database.open(resolve_paths(home))
    with database.session() as session:
        session.add(Company(name="Riverside Swim", realm_id="9130357766",
                            connection_state="connected"))
    yield database
    database.close()


@pytest.fixture
def timers(tmp_path):
    fake = FakeOS({("systemctl", "--user", "is-enabled"): Completed(0, "enabled\n")})
    return SystemdUserTimer(fake, tmp_path / "user-home" / ".config")


def with_source(database: Database) -> None:
    save_sync_source(database, 1, SyncSourceSettings("folder", "/srv/exports"))


def test_the_schedule_needs_a_sync_source_first(database, home, timers):
    with pytest.raises(SchedulingError, match="no sync source"):
        schedule_on(database, resolve_paths(home), 1, backend=timers, launcher=LAUNCHER)
    assert not timers.unit_dir.exists()


def test_an_office_database_is_not_written_into_a_task(database, home, timers, monkeypatch):
    with_source(database)
    monkeypatch.setenv("LEDGERBRIDGE_DATABASE_URL", "postgresql+psycopg://u:secret@db/x")
    with pytest.raises(SchedulingError, match="office database"):
        schedule_on(database, resolve_paths(home), 1, backend=timers, launcher=LAUNCHER)


def test_on_status_off_and_the_last_scheduled_run(database, home, timers):
    paths = resolve_paths(home)
    with_source(database)
    status = schedule_on(database, paths, 1, time(7, 30), backend=timers, launcher=LAUNCHER)
    assert status.on and status.installed.at == "07:30" and status.installed.active
    assert status.mechanism == "systemd user timer" and status.last_run is None
    service = next(timers.unit_dir.glob("*.service")).read_text()
    assert (f"ExecStart=/opt/lb/ledgerbridge-cli --home {home} --company 9130357766 sync "
            "--scheduled") in service
    source = load_sync_source(database, 1)
    assert (source.scheduled_on, source.scheduled_at) == (socket.gethostname(), "07:30")

    with database.session() as session:  # what a scheduled run leaves
        session.add(SyncRun(company_id=1, trigger="scheduled", status="failed",
                            started_at=datetime(2026, 12, 1, 7, 30, tzinfo=UTC),
                            finished_at=datetime(2026, 12, 1, 7, 31, tzinfo=UTC),
                            message="Sync of Riverside Swim posted nothing: expired",
                            problems=[{"kind": "reconnect", "message": "expired"}],
                            imported={}, counts={}, app_version="0.1.0"))
    status = schedule_status(database, paths, 1, backend=timers, launcher=LAUNCHER)
    assert status.last_run.status == "failed" and status.last_run.problems[0].fix
    text = status.as_text()
    started = local_time(datetime(2026, 12, 1, 7, 30, tzinfo=UTC))  # as --at is: local
    assert "on, at 07:30" in text and f"Last scheduled run: {started}, failed" in text
    assert status.as_dict()["last_scheduled_run"]["status"] == "failed"

    status = schedule_off(database, paths, 1, backend=timers)
    assert not status.on and list(timers.unit_dir.iterdir()) == []
    assert load_sync_source(database, 1).scheduled_on is None


def test_the_status_says_where_else_the_sync_runs(database, home, timers):
    with_source(database)
    set_scheduled(database, 1, "OFFICE-PC", "06:00")
    status = schedule_status(database, resolve_paths(home), 1, backend=timers)
    assert not status.on
    assert any("OFFICE-PC at 06:00" in note for note in status.notes)


def test_the_command_line_turns_it_on_and_off(database, home, timers, monkeypatch, capsys):
    monkeypatch.setattr("app.scheduling.service.default_backend", lambda: timers)
    with_source(database)
    assert cli(["--home", str(home), "schedule", "on", "--at", "7:05", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["on"] and shown["installed"]["at"] == "07:05"
    assert shown["command"][-4:] == ["--company", "9130357766", "sync", "--scheduled"]
    assert cli(["--home", str(home), "schedule", "status"]) == 0
    assert "Daily sync of Riverside Swim: on, at 07:05" in capsys.readouterr().out
    assert cli(["--home", str(home), "schedule", "on", "--at", "25:00"]) == 2
    assert "HH:MM" in capsys.readouterr().err
    assert cli(["--home", str(home), "schedule", "off"]) == 0
    assert "off on this computer" in capsys.readouterr().out
