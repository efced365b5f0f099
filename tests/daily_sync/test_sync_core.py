"""The daily sync's core (``app/daily_sync``) against the simulator over loopback HTTP.

A company connected to an in-process simulator, its mapping in place, a watch folder of
demo exports; ``sync_company`` is called as the ``sync`` command calls it. What
QuickBooks holds is read back over HTTP; what the app shows when it opens is read with
``unseen_failures``.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.daily_sync.history import last_sync, mark_seen, unseen_failures
from app.daily_sync.run import SyncOptions, sync_company
from app.daily_sync.source import SyncSourceSettings, save_sync_source
from app.models.base import utcnow
from app.models.daily_sync import SyncRun
from app.sync.posting_lock import posting_lock
from tests.daily_sync.shop import FEB_28, JAN_31, TO_FEB_28, invalid_payments
from tests.sync.simulator_helpers import admin_root, write_requests


def test_a_folder_sync_reads_each_file_once_and_posts_what_is_dated_up_to_its_day(
        shop, exports, simulator):
    shop.drop(exports, "2025-02-28")
    january = shop.sync(through=JAN_31)
    assert january.status == "ok", january.as_text()
    assert january.exit_code == 0 and january.posted > 0
    assert len(january.intake.files_read) == 9 and len(shop.files_read()) == 9
    assert all(key.split(":")[-1] <= "2025-01-31" for key in shop.stamped() if "2025-" in key)
    before = write_requests(simulator.info)

    february = shop.sync(through=FEB_28)
    assert february.status == "ok" and february.intake.files_read == []
    assert february.intake.already_read == 9 and february.posted > 0
    assert write_requests(simulator.info) > before

    again = shop.sync(through=FEB_28)
    assert again.status == "ok" and again.posted == 0
    assert again.message.endswith("no new exports; nothing new to post.")
    keys = shop.stamped()
    assert len(keys) == len(set(keys))  # nothing posted twice
    assert not shop.books.plan(TO_FEB_28).operations  # and nothing left to post

    report = json.loads(january.report_file.read_text())
    assert report["status"] == "ok" and report["ledgerbridge_version"]
    assert report["import"]["files_read"] and report["post"]["preview"]["operations"] > 0
    assert january.text_file.read_text().startswith("Sync of ")
    assert last_sync(shop.database, shop.company_id, None).status == "ok"
    assert unseen_failures(shop.database, shop.company_id) == []


def test_a_file_rewritten_with_new_content_is_read_again_and_only_it(shop, exports):
    folder = shop.drop(exports, "daily")
    assert shop.sync().status == "ok"
    customers = folder / "customers.csv"
    customers.write_text(customers.read_text().replace("family1@", "family.one@"))
    report = shop.sync()
    assert [Path(f).name for f in report.intake.files_read] == ["customers.csv"]
    assert report.intake.counts["customer"]["changed"] == 1
    assert report.intake.already_read == 8


def test_invalid_files_post_nothing_keep_everything_and_leave_a_report_the_app_shows(
        shop, exports, simulator):
    shop.drop(exports, "2025-02-28")
    assert shop.sync(through=JAN_31).status == "ok"  # January posted; February queued
    stored, writes, files = shop.records(), write_requests(simulator.info), shop.files_read()
    opened_at = utcnow()
    bad = invalid_payments(exports, shop.watch / "2025-03-01")

    report = shop.sync(through=FEB_28)
    assert report.status == "failed" and report.exit_code == 2
    assert [p.kind for p in report.problems] == ["invalid_files"]
    assert report.posted == 0 and write_requests(simulator.info) == writes  # nothing posted
    assert shop.records() == stored and shop.files_read() == files  # nothing lost or read
    assert bad.exists()  # the file is left where it was, to be corrected
    errors = report.errors_file.read_text(encoding="utf-8-sig")
    assert "eighty" in errors and "amount" in errors
    shown = unseen_failures(shop.database, shop.company_id, since=opened_at - timedelta(1))
    assert [(s.id, s.status) for s in shown] == [(report.sync_id, "failed")]
    assert shown[0].problems[0].kind == "invalid_files" and shown[0].problems[0].fix
    assert "posted nothing" in shown[0].message
    assert mark_seen(shop.database, shop.company_id) == 1
    assert unseen_failures(shop.database, shop.company_id) == []

    assert shop.sync(through=FEB_28).status == "failed"  # still wrong: reported again
    shutil.copy(exports / "payments.csv", bad)  # corrected
    fixed = shop.sync(through=FEB_28)
    assert fixed.status == "ok" and fixed.posted > 0, fixed.as_text()
    keys = shop.stamped()
    assert len(keys) == len(set(keys))
    assert not shop.books.plan(TO_FEB_28).operations


def test_folders_after_a_rejected_one_wait_for_it(shop, exports):
    invalid_payments(exports, shop.watch / "2025-01-31")
    shop.drop(exports, "2025-02-28")
    report = shop.sync()
    assert report.status == "failed" and report.intake.files_read == []
    assert shop.records() == 0 and report.posted == 0


def test_a_file_changed_in_the_last_minute_waits_for_the_next_sync(shop, exports):
    folder = shop.drop(exports, "today")
    report = shop.sync(settle_seconds=60)
    assert len(report.intake.waiting) == 9 and shop.records() == 0
    past = time.time() - 120
    for path in folder.iterdir():
        os.utime(path, (past, past))
    assert len(shop.sync(settle_seconds=60).intake.files_read) == 9


def test_records_in_quickbooks_closed_period_are_held_and_reported(shop, exports, simulator):
    import requests

    shop.drop(exports, "all")
    assert shop.sync(through=JAN_31).status == "ok"  # the go-live entry, dated 31 January
    requests.post(f"{admin_root(simulator.info)}/__sandbox/closing-date",
                  json={"date": "2025-02-10"}, timeout=10).raise_for_status()
    report = shop.sync(through=FEB_28)
    assert report.status == "attention" and report.exit_code == 1, report.as_text()
    assert "held_records" in [p.kind for p in report.problems]
    assert report.posted > 0  # the days after the closing date went out
    held = report.post["held"]
    assert held and all(key.rsplit(":", 1)[-1] <= "2025-02-10" for key in held)
    shown = unseen_failures(shop.database, shop.company_id)
    assert shown and shown[0].status == "attention"


def test_a_sync_waits_for_a_post_in_the_window_then_posts_what_is_left(shop, exports):
    shop.drop(exports, "all")
    taken = threading.Event()

    def window_post() -> None:
        with posting_lock(shop.database, shop.company_id, "the company"):
            taken.set()
            time.sleep(1.5)

    threading.Thread(target=window_post, daemon=True).start()
    assert taken.wait(5)
    started = time.monotonic()
    report = shop.sync(wait=30)
    assert time.monotonic() - started >= 1.0
    assert report.status == "ok" and report.posted > 0


def test_a_sync_that_waited_long_enough_stops_and_says_so(shop, exports, simulator):
    shop.drop(exports, "all")
    release = threading.Event()
    taken = threading.Event()

    def window_post() -> None:
        with posting_lock(shop.database, shop.company_id, "the company"):
            taken.set()
            release.wait(10)

    threading.Thread(target=window_post, daemon=True).start()
    assert taken.wait(5)
    try:
        report = shop.sync(wait=0.5)
    finally:
        release.set()
    assert report.status == "failed" and [p.kind for p in report.problems] == \
        ["posting_locked"]
    assert "already running" in report.message and shop.records() == 0
    assert write_requests(simulator.info) == 0
    assert unseen_failures(shop.database, shop.company_id)[0].id == report.sync_id


def test_a_sync_whose_process_died_is_shown_as_interrupted(shop):
    with shop.database.session() as session:
        session.add(SyncRun(company_id=shop.company_id, trigger="scheduled",
                            started_at=datetime(2025, 3, 1, 6, tzinfo=UTC), status="running",
                            message="", problems=[], imported={}, counts={},
                            app_version="0.1.0"))
    shown = unseen_failures(shop.database, shop.company_id)
    assert [(s.status, s.problems[0].kind) for s in shown] == [("interrupted", "interrupted")]


def test_a_company_without_a_sync_source_gets_a_report_saying_so(shop):
    from app.daily_sync.source import clear_sync_source

    assert clear_sync_source(shop.database, shop.company_id)
    report = shop.sync()
    assert report.status == "failed" and report.problems[0].kind == "no_source"
    assert report.problems[0].fix.startswith("Choose where")


def test_an_unreachable_api_source_posts_nothing_and_keeps_what_was_imported(
        shop, exports, simulator, memory_keyring):
    import socket

    from app.importers.api_source import ApiSourceConfig, save_source, store_secret

    shop.drop(exports, "all")
    assert shop.sync(through=JAN_31).status == "ok"
    stored, writes = shop.records(), write_requests(simulator.info)
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = ApiSourceConfig("regsys", f"http://127.0.0.1:{port}/", {"payment": "/payments"},
                             retries=0, timeout=2.0)
    save_source(config, shop.paths.config_dir / "sources")
    store_secret(config, "secret-token")
    save_sync_source(shop.database, shop.company_id, SyncSourceSettings("api", "regsys"))
    report = shop.sync(through=FEB_28)
    assert report.status == "failed" and report.problems[0].kind == "source_unreachable"
    assert "no answer" in report.problems[0].message and "secret-token" not in report.message
    assert write_requests(simulator.info) == writes and shop.records() == stored
    assert unseen_failures(shop.database, shop.company_id)[0].problems[0].kind == \
        "source_unreachable"


def test_a_locked_keyring_posts_nothing_keeps_the_import_and_says_so(shop, exports, simulator):
    import keyring.errors

    def locked_keyring():  # what opening the stored connection meets at 6:00 on a locked desktop
        raise keyring.errors.KeyringLocked("the keyring is locked")

    shop.drop(exports, "all")
    report = sync_company(shop.database, shop.paths, shop.company_id,
                          SyncOptions(through=FEB_28, settle_seconds=0),
                          open_client=locked_keyring)
    assert report.status == "failed" and [p.kind for p in report.problems] == ["keyring"]
    assert shop.records() > 0 and write_requests(simulator.info) == 0
    assert "keyring" in unseen_failures(shop.database, shop.company_id)[0].problems[0].fix


def test_a_sync_cancelled_while_it_waits_says_so_and_keeps_the_import(shop, exports, simulator):
    from app.progress import Cancelled, CancelToken

    def cancelled_in_a_back_off():  # Sync now's Cancel, met by the client's sleep
        raise Cancelled()

    shop.drop(exports, "all")
    cancel = CancelToken()
    cancel.cancel()
    report = sync_company(shop.database, shop.paths, shop.company_id,
                          SyncOptions(through=FEB_28, settle_seconds=0, cancel=cancel),
                          open_client=cancelled_in_a_back_off)
    assert [p.kind for p in report.problems] == ["cancelled"] and report.status == "failed"
    assert "cancelled before it finished" in report.message and "Nothing to do" in \
        report.problems[0].fix
    assert shop.records() > 0 and write_requests(simulator.info) == 0
