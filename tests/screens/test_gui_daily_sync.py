"""Settings' Daily sync group in the real window: a watch folder chosen, the schedule turned
on, moved and off (on a scheduler kept in memory: nothing is installed on this computer),
Sync now posting a folder of exports to QuickBooks, and a failed scheduled sync shown
when the app opens next — on Home, until dismissed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime

from app.config import resolve_paths
from app.daily_sync.history import sync_history, unseen_failures
from app.daily_sync.source import load_sync_source
from app.scheduling.memory import MemoryScheduler
from app.simulator import SandboxServer
from tests.screens.office import TIME_SCALE, Office, settle
from tests.shell.gui_helpers import close

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
DATABASE_URL = "LEDGERBRIDGE_DATABASE_URL"


@pytest.fixture
def simulator() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def _settings(qtbot: Any, office: Office, scheduler: MemoryScheduler | None = None
              ) -> tuple[Any, Any, Any]:
    window, services = office.window(qtbot, scheduler=scheduler)
    window.start()
    settle(qtbot, services)
    window.show_screen("Settings")
    settle(qtbot, services)
    return window, services, window.current_screen().daily


def _settled_exports(tmp_path: Path) -> Path:
    """The office's exports, written an hour ago (a sync leaves files written in the last
    minute for the next one)."""
    folder = tmp_path / "exports"
    for path in folder.iterdir():
        os.utime(path, (path.stat().st_mtime - 3600,) * 2)
    return folder


def _choose_folder(qtbot: Any, services: Any, daily: Any, folder: Path) -> None:
    qtbot.mouseClick(daily.folder_button, Qt.MouseButton.LeftButton)
    dialog = daily.file_dialog  # opened with open(): the click returned at once
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    dialog.fileSelected.emit(str(folder))  # chosen in the (non-blocking) dialog
    dialog.close()
    settle(qtbot, services)


def test_a_watch_folder_then_the_schedule_on_moved_and_off(qtbot, tmp_path, simulator,
                                                           monkeypatch):
    # The per-user install, on its own SQLite home even in the PostgreSQL run: an office
    # database cannot be scheduled (the next test).
    monkeypatch.delenv(DATABASE_URL, raising=False)
    office = Office(tmp_path, simulator, "summary", families=2)
    scheduler = MemoryScheduler()
    window, services, daily = _settings(qtbot, office, scheduler)
    company = window.context.entry
    assert daily.source.text().startswith("Not chosen")
    assert not daily.schedule.isEnabled() and daily.schedule.toolTip().startswith(
        "Choose where the sync reads first")
    assert not daily.sync_now_button.isEnabled() and not daily.clear_button.isEnabled()
    assert not daily.api_button.isEnabled() and "No API source" in daily.api_button.toolTip()

    folder = tmp_path / "exports"
    _choose_folder(qtbot, services, daily, folder)
    assert load_sync_source(services.database, company.id).location == str(folder.resolve())
    assert daily.source.text().startswith(f"A watch folder, {folder.resolve()}")
    assert daily.outcome.text() == f"The sync now reads the watch folder {folder.resolve()}."
    assert daily.schedule.isEnabled() and daily.sync_now_button.isEnabled()

    daily.at.setTime(QTime(7, 30))
    daily.schedule.click()
    settle(qtbot, services)
    (task,) = scheduler.tasks.values()
    assert task.at_text == "07:30"
    assert task.argv[-6:] == ("--home", str(office.home), "--company", company.realm_id,
                              "sync", "--scheduled")
    assert daily.schedule.isChecked() and daily.schedule_text.text().startswith(
        "On: every day at 07:30")
    assert load_sync_source(services.database, company.id).scheduled_at == "07:30"
    assert not daily.clear_button.isEnabled() and "off first" in daily.clear_button.toolTip()
    assert not daily.move_button.isEnabled() and "already" in daily.move_button.toolTip()

    daily.at.setTime(QTime(8, 15))
    assert daily.move_button.isEnabled()
    qtbot.mouseClick(daily.move_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert [t.at_text for t in scheduler.tasks.values()] == ["08:15"]

    close(window, services)  # what the scheduler holds is read back when Settings opens
    window, services, daily = _settings(qtbot, office, scheduler)
    assert daily.schedule.isChecked() and daily.at.time() == QTime(8, 15)
    daily.schedule.click()
    settle(qtbot, services)
    assert scheduler.tasks == {} and not daily.schedule.isChecked()
    assert daily.outcome.text().startswith("The daily sync is off on this computer")
    assert load_sync_source(services.database, company.id).scheduled_on is None
    close(window, services)


def test_an_office_database_is_not_scheduled_from_the_window(qtbot, tmp_path, simulator,
                                                            monkeypatch):
    office = Office(tmp_path, simulator, "summary", families=2)
    assert office.cli("sync-source", "folder", str(tmp_path / "exports")) == 0
    window, services = office.window(qtbot, scheduler=MemoryScheduler())
    if not os.environ.get(DATABASE_URL):  # the suite's PostgreSQL run has one already
        monkeypatch.setenv(DATABASE_URL, "postgresql+psycopg://lb:secret@office/books")
    window.start()
    window.show_screen("Settings")
    settle(qtbot, services)
    daily = window.current_screen().daily
    assert not daily.schedule.isEnabled() and "office database" in daily.schedule.toolTip()
    assert "secret" not in daily.schedule.toolTip() and daily.sync_now_button.isEnabled()
    close(window, services)


def test_sync_now_posts_the_folder_of_exports_and_shows_the_result(qtbot, tmp_path, capsys,
                                                                   simulator):
    office = Office(tmp_path, simulator, "detailed", families=3)
    assert office.cli("sync-source", "folder", str(_settled_exports(tmp_path))) == 0
    assert not office.keys("Invoice")  # nothing posted yet
    window, services, daily = _settings(qtbot, office)
    qtbot.mouseClick(daily.sync_now_button, Qt.MouseButton.LeftButton)
    assert services.quickbooks.running and not daily.sync_now_button.isEnabled()
    assert daily.progress.isVisible()  # its progress, with Cancel
    settle(qtbot, services, timeout=120_000)
    assert daily.outcome.text().startswith("Sync done. Sync of ")
    assert "Report: " in daily.outcome.text()
    (synced,) = sync_history(services.database, window.context.company_id)
    assert synced.trigger == "manual" and synced.status == "ok" and synced.posted > 0
    invoices, payments = office.keys("Invoice"), office.keys("Payment")
    assert invoices and payments and all(n == 1 for n in (*invoices.values(),
                                                         *payments.values()))
    runs = office.cli_json(capsys, "runs")
    assert [(r["kind"], r["status"]) for r in runs] == [("post", "finished")]
    assert window.notice.notice is None  # watched in the window: nothing to notice
    close(window, services)


def test_a_failed_scheduled_sync_is_shown_when_the_app_opens_until_dismissed(
        qtbot, tmp_path, simulator):
    office = Office(tmp_path, simulator, "summary", families=2)
    watch = tmp_path / "watch"
    watch.mkdir()
    assert office.cli("sync-source", "folder", str(watch)) == 0
    watch.rmdir()  # a network drive gone, say
    assert office.cli("sync", "--scheduled") == 2  # what the scheduler ran at dawn

    window, services = office.window(qtbot)
    window.start()
    settle(qtbot, services)
    home = window.current_screen()
    assert home.title == "Home" and home.notice_card.isVisible()
    text = home.notice_text.text()
    assert "the daily sync of " in text and f"could not post: the watch folder {watch}" in text
    reports = resolve_paths(office.home).data_dir / "reports"
    assert f"(report: {reports}" in text and text.endswith("The sync's report says what to do.")
    window.show_screen("Settings")
    settle(qtbot, services)
    assert window.notice.isVisible() and "the daily sync of" in window.notice.text.text()
    assert ", stopped: " in window.current_screen().daily.last_run.text()
    qtbot.mouseClick(window.notice.dismiss_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert not window.notice.isVisible()
    assert unseen_failures(services.database, window.context.company_id) == []
    close(window, services)

    window, services = office.window(qtbot)  # seen: not again
    window.start()
    settle(qtbot, services)
    assert not window.screen_list[0].notice_card.isVisible() and window.notice.notice is None
    close(window, services)
