"""What a watch folder holds beyond settled exports: a set still being written (held
whole, with the folders after it), stray files that are not exports (ignored, listed),
and the report's words for each case."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.daily_sync.reports import local_time
from app.models.company import Company
from tests.daily_sync.shop import JAN_31


def age(folder: Path, seconds: float, *names: str) -> None:
    """Make the files (all when none named) look last written ``seconds`` ago."""
    past = time.time() - seconds
    for path in folder.iterdir():
        if not names or path.name in names:
            os.utime(path, (past, past))


def test_a_set_with_one_file_still_being_written_waits_whole_with_the_folders_after_it(
        shop, exports):
    shop.drop(exports, "day3", "customers.csv", "participants.csv", "programs.csv",
              "locations.csv", "tax_rates.csv", "charges.csv")
    day4 = shop.drop(exports, "day4", "payments.csv", "payment_allocations.csv",
                     "refunds.csv")
    day5 = shop.drop(exports, "day5", "customers.csv")
    for folder in (shop.watch / "day3", day4, day5):
        age(folder, 300)
    age(day4, 5, "payments.csv")  # still being written beside its allocations

    report = shop.sync(settle_seconds=60)
    assert report.status == "ok" and report.exit_code == 0, report.as_text()
    assert len(report.intake.files_read) == 6  # day3, settled and before the held set
    assert [Path(n).name for n in report.intake.settling] == ["payments.csv"]
    assert sorted(str(Path(n).relative_to(shop.watch)) for n in report.intake.waiting) == [
        "day4/payment_allocations.csv", "day4/payments.csv", "day4/refunds.csv",
        "day5/customers.csv"]
    assert "payment_allocations.csv" not in shop.files_read()
    assert "4 file(s) held back for the next sync because exports are still being " \
        "written" in report.message
    text = report.as_text()
    assert f"left for the next sync: {day4 / 'payments.csv'} (still being written)" in text
    assert (f"left for the next sync: {day4 / 'payment_allocations.csv'} (another file of "
            "its folder is still being written)") in text
    assert f"{day5 / 'customers.csv'} (an earlier folder is still being written)" in text

    age(day4, 120, "payments.csv")
    later = shop.sync(settle_seconds=60)
    assert later.status == "ok" and later.intake.waiting == [], later.as_text()
    assert sorted(Path(n).name for n in later.intake.files_read) == [
        "customers.csv", "payment_allocations.csv", "payments.csv", "refunds.csv"]


def test_nothing_ready_says_the_files_are_held_back_not_that_there_is_nothing(shop, exports):
    shop.drop(exports, "today")
    report = shop.sync(settle_seconds=60)
    assert report.message == (
        f"Sync of {report.company_name}: no new exports ready (9 file(s) held back for the next "
        "sync because exports are still being written); nothing new to post.")
    notes = [line for line in report.as_text().splitlines() if line.startswith("Note:")]
    assert notes == [f"Note: nothing to post yet: no export has been imported from the "
                     f"watch folder {shop.watch} so far (the files held back are read by "
                     "the next sync); the registration system's exports go there, and each "
                     "sync reads the new ones"]
    assert "ledgerbridge import" not in report.as_text()


def test_files_that_are_not_exports_are_ignored_and_listed_never_an_error(shop, exports):
    folder = shop.drop(exports, "2025-01-31")
    (shop.watch / "README.txt").write_text("Exports from RegSys go here.\n")
    (folder / "notes.txt").write_text("Ann: re-export payments on Monday\n")
    (folder / "summary.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "~$charges.xlsx").write_bytes(b"")  # Excel's lock file: not even listed
    report = shop.sync(through=JAN_31)
    assert report.status == "ok", report.as_text()
    assert len(report.intake.files_read) == 9 and report.posted > 0
    assert sorted(Path(n).name for n in report.intake.ignored) == [
        "README.txt", "notes.txt", "summary.pdf"]
    text = report.as_text()
    assert f"ignored (not an export by its name): {folder / 'notes.txt'}" in text
    assert "3 file(s) in the watch folder are not exports by their name" in text
    assert report.as_dict()["import"]["ignored"] == report.intake.ignored


def test_the_report_says_records_considered_and_times_in_local_time(shop, exports):
    shop.drop(exports, "2025-01-31")
    text = shop.sync(through=JAN_31).as_text()
    assert "Records considered: dated up to 2025-01-31" in text
    assert "Posted records dated" not in text


def test_a_company_that_must_sign_in_again_is_told_so_in_words(shop, exports):
    shop.drop(exports, "2025-01-31")
    with shop.database.session() as session:
        session.get(Company, shop.company_id).connection_state = "reauthorisation_needed"
    report = shop.sync(through=JAN_31)
    assert report.status == "failed" and [p.kind for p in report.problems] == ["reconnect"]
    name = report.company_name
    assert report.message == (
        f"Sync of {name} posted nothing: QuickBooks needs you to sign in again to {name} "
        "(its sign-in expired or was revoked)")
    assert "Records considered: dated up to 2025-01-31" in report.as_text()


def test_local_time_names_the_zone(monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        moment = datetime(2026, 12, 1, 5, 30, tzinfo=UTC)
        assert local_time(moment) == "2026-12-01 06:30 CET"
        assert local_time(moment.replace(tzinfo=None), seconds=True) == \
            "2026-12-01 06:30:00 CET"
    finally:
        monkeypatch.undo()
        time.tzset()
