"""Settings' Daily sync group in words and rules, without widgets: what may be done and
why not, the schedule through a scheduler kept in memory, the source chosen, a result."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from app.config import resolve_paths
from app.daily_sync.history import SyncSummary
from app.daily_sync.intake import Intake
from app.daily_sync.problems import Problem
from app.daily_sync.reports import SyncReport, local_time
from app.daily_sync.source import SyncSourceSettings, load_sync_source
from app.daily_sync_view import (
    DEMO,
    NO_SOURCE,
    forget_source,
    last_run_words,
    load_daily_sync,
    sync_result_text,
    turn_off,
    turn_on,
    use_source,
)
from app.models.company import Company
from app.models.database import Database
from app.scheduling.memory import MemoryScheduler
from app.scheduling.runner import SchedulingError


@pytest.fixture(autouse=True)
def per_user_install(isolated_home, monkeypatch):
    """A per-user install (an office database cannot schedule: its own test below)."""
    monkeypatch.delenv("LEDGERBRIDGE_DATABASE_URL", raising=False)


@pytest.fixture
def books(tmp_path):
    paths = resolve_paths(tmp_path / "books").ensure()
    database = Database.open(paths)
    with database.session() as session:
        session.add(Company(name="Riverside Swim", realm_id="9130357766",
                            connection_state="connected"))
    yield database, paths
    database.close()


def test_nothing_is_scheduled_without_a_source_then_on_moved_and_off(books, tmp_path):
    database, paths = books
    scheduler = MemoryScheduler()
    view = load_daily_sync(database, paths, 1, scheduler)
    assert view.schedule_blocked == NO_SOURCE == view.sync_now_blocked
    assert view.clear_blocked and view.api_blocked.startswith("No API source")
    assert view.last_run_text.startswith("None yet") and view.at == time(6, 0)
    view, said = turn_on(database, paths, 1, scheduler, time(7, 30))
    assert said.startswith("The daily sync could not be turned on: Riverside Swim has no "
                           "sync source yet") and not scheduler.tasks

    folder = tmp_path / "exports"
    folder.mkdir()
    view, said = use_source(database, paths, 1, scheduler, "folder", folder)
    assert said == f"The sync now reads the watch folder {folder.resolve()}."
    assert view.source_text.startswith(f"A watch folder, {folder.resolve()}")
    assert view.schedule_blocked == "" and view.sync_now_blocked == ""
    view, said = turn_on(database, paths, 1, scheduler, time(7, 30))
    (task,) = scheduler.tasks.values()
    assert task.at_text == "07:30" and task.argv[-4:] == ("--company", "9130357766", "sync",
                                                          "--scheduled")
    assert view.on and view.at == time(7, 30) and said.startswith("The daily sync is on: "
                                                                 "every day at 07:30")
    assert view.schedule_text.startswith("On: every day at 07:30 (this computer's time)")
    assert view.clear_blocked.startswith("Turn the daily sync off first")
    view, _said = turn_on(database, paths, 1, scheduler, time(8, 15))  # moved, still one
    assert [t.at_text for t in scheduler.tasks.values()] == ["08:15"] and view.at == time(8, 15)
    view, said = turn_off(database, paths, 1, scheduler)
    assert not view.on and not scheduler.tasks and said.startswith("The daily sync is off")
    assert load_sync_source(database, 1).scheduled_on is None

    view, said = forget_source(database, paths, 1, scheduler)
    assert view.source is None and said.startswith("The sync source was forgotten")


def test_what_cannot_be_scheduled_says_why(books, monkeypatch, tmp_path):
    database, paths = books
    use_source(database, paths, 1, MemoryScheduler(), "folder", tmp_path)
    assert load_daily_sync(database, paths, 1, MemoryScheduler(), demo=True
                           ).schedule_blocked == DEMO

    def none() -> MemoryScheduler:
        raise SchedulingError("this computer has no scheduler Ledgerbridge can use: neither")

    lonely = load_daily_sync(database, paths, 1, none)
    assert lonely.schedule_blocked.startswith("This computer has no scheduler")
    # said once: the scheduler's note is the reason, not repeated beside it
    assert lonely.schedule_text.startswith("Off. This computer has no scheduler")
    assert lonely.schedule_text.count("no scheduler") == 1
    monkeypatch.setenv("LEDGERBRIDGE_DATABASE_URL", "postgresql+psycopg://u:secret@db/x")
    office = load_daily_sync(database, paths, 1, MemoryScheduler())
    assert "office database" in office.schedule_blocked and "secret" not in \
        office.schedule_blocked


def test_a_source_that_cannot_be_read_is_not_chosen(books, tmp_path):
    database, paths = books
    view, said = use_source(database, paths, 1, MemoryScheduler(), "folder",
                            tmp_path / "nowhere")
    assert said.startswith("The sync source was not changed: no such folder") and \
        view.source is None
    view, said = use_source(database, paths, 1, MemoryScheduler(), "api", "registrations")
    assert "cannot read API source 'registrations'" in said and view.source is None


def test_a_sync_and_a_scheduled_run_in_words():
    report = SyncReport(1, "Riverside Swim", "manual",
                        started_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
                        finished_at=datetime(2026, 12, 1, 9, 1, tzinfo=UTC),
                        intake=Intake("the watch folder /srv/x", files_read=["a.csv"],
                                      waiting=["b.csv"]),
                        through=date(2026, 11, 30),
                        post={"counts": {"posted": 12}},
                        text_file=Path("/data/reports/sync-1.txt"))
    assert sync_result_text(report) == (
        "Sync done. Sync of Riverside Swim: imported 1 file(s) (0 new, 0 changed record(s)); "
        "1 file(s) held back for the next sync because exports are still being written; "
        "posted 12 record(s). Report: /data/reports/sync-1.txt")
    report.problems.append(Problem("reconnect", "QuickBooks needs you to sign in again"))
    assert sync_result_text(report).startswith("Sync stopped. Sync of Riverside Swim posted "
                                               "12 record(s), then stopped")
    run = SyncSummary(4, 1, "scheduled", datetime(2026, 12, 2, 6, tzinfo=UTC), None, "failed",
                      "Sync of Riverside Swim posted nothing: expired", (), None, "0.1", None)
    assert last_run_words(run) == (f"{local_time(run.started_at)}, stopped: Sync of Riverside "
                                   "Swim posted nothing: expired")
    assert SyncSourceSettings("api", "registrations").describe() == \
        "the API source 'registrations'"
