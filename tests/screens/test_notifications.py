"""Failures nobody watched: one notice naming the runs, shown until seen, back when new."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from app.company_prefs import CompanyPrefs, load_prefs, update_prefs
from app.daily_sync.history import SyncSummary
from app.daily_sync.problems import Problem
from app.daily_sync.reports import local_time
from app.notifications import FailedJob, acknowledge, notice_for
from app.sync.runs import RunRow


def run(id_: int, status: str, message: str | None = None,
        counts: dict[str, int] | None = None) -> RunRow:
    return RunRow(id_, "post", date(2025, 3, 1), date(2025, 3, 31), datetime(2025, 4, 2, 6),
                  datetime(2025, 4, 2, 6, 5), status, counts or {}, 0, message)


RUNS = [run(1, "finished"), run(2, "finished_with_errors", counts={"posted": 5, "failed": 2}),
        run(3, "cancelled"), run(4, "interrupted"),
        run(5, "failed", "QuickBooks needs you to sign in again")]
FAILED = [FailedJob(10, 2), FailedJob(11, 2)]


def test_a_notice_names_each_failing_run_and_the_unseen_failed_jobs():
    notice = notice_for(RUNS, FAILED, CompanyPrefs())
    assert notice is not None
    assert notice.run_ids == (2, 4, 5) and notice.job_ids == (10, 11)  # cancelled: not one
    assert "run 2 (post, 01 Mar 2025 to 31 Mar 2025) ended on 02 Apr 2025, 06:05 UTC with " \
        "2 failed" in notice.text
    assert "run 4 (post, 01 Mar 2025 to 31 Mar 2025) was interrupted" in notice.text
    assert "run 5 (post, 01 Mar 2025 to 31 Mar 2025) stopped on 02 Apr 2025, 06:05 UTC: " \
        "QuickBooks needs you to sign in again" in notice.text
    assert "failed since you last looked" not in notice.text  # run 2 accounts for them
    other = notice_for(RUNS, [*FAILED, FailedJob(12, None)], CompanyPrefs())
    assert other is not None and "1 other job has failed since you last looked" in other.text
    assert notice.text.endswith("The Error log shows each problem with its fix.")


def test_seen_once_it_stays_quiet_until_something_new_fails(tmp_path):
    notice = notice_for(RUNS, FAILED, CompanyPrefs())
    assert notice is not None
    acknowledge(tmp_path, 7, notice)
    prefs = load_prefs(tmp_path, 7)
    assert prefs.runs_seen == (2, 4, 5) and prefs.failed_jobs_seen == (10, 11)
    assert notice_for(RUNS, FAILED, prefs) is None
    later = notice_for([*RUNS, run(6, "finished_with_errors", counts={"blocked": 1})],
                       [*FAILED, FailedJob(12, 6)], prefs)
    assert later is not None and later.run_ids == (6,) and later.job_ids == (12,)
    assert "run 6" in later.text and "run 2" not in later.text
    assert load_prefs(tmp_path, 8) == CompanyPrefs()  # another company: nothing seen


def test_many_failing_runs_are_counted_not_all_named():
    runs = [run(i, "interrupted") for i in range(1, 7)]
    notice = notice_for(runs, [], CompanyPrefs())
    assert notice is not None and "3 earlier run(s) also did not finish cleanly" in notice.text
    assert "run 6" in notice.text and "run 3 " not in notice.text


def test_preferences_survive_a_broken_file_and_keep_other_companies(tmp_path):
    (tmp_path / "company-preferences.json").write_text("{not json", encoding="utf-8")
    assert load_prefs(tmp_path, 1) == CompanyPrefs()
    update_prefs(tmp_path, 1, failed_jobs_seen=(4,))
    update_prefs(tmp_path, 2, runs_seen=(3, 1))
    assert load_prefs(tmp_path, 1).failed_jobs_seen == (4,)
    assert load_prefs(tmp_path, 2).runs_seen == (1, 3)


AT = local_time(datetime(2026, 11, 30, 6))  # in this computer's time, as the schedule


def sync(id_: int, status: str, problems: tuple[Problem, ...], posted: int = 0,
         posting_run_id: int | None = None, trigger: str = "scheduled") -> SyncSummary:
    return SyncSummary(id_, 7, trigger, datetime(2026, 11, 30, 6), datetime(2026, 11, 30, 6, 2),
                       status, "one line", problems, f"/data/reports/sync-{id_}.json", "0.1",
                       None, posting_run_id, posted)


def test_a_failed_scheduled_sync_is_named_once_with_its_report():
    expired = sync(3, "failed", (Problem("reconnect", "QuickBooks needs you to sign in "
                                                      "again"),), posted=4, posting_run_id=5)
    notice = notice_for(RUNS, [], CompanyPrefs(), [expired])
    assert notice is not None and notice.sync_ids == (3,)
    assert f"the daily sync of {AT} posted 4 record(s), then stopped: " \
        "QuickBooks needs you to sign in again (report: /data/reports/sync-3.txt)" in notice.text
    assert "run 5 " not in notice.text and 5 in notice.run_ids  # its post: seen with it
    assert notice.text.endswith("The sync's report says what to do.")

    invalid = sync(4, "failed", (Problem("invalid_files", "2 export(s) rejected"),),
                   trigger="manual")
    attention = sync(6, "attention", (Problem("failed_records", "1 record(s) failed"),),
                     posted=9)
    both = notice_for([], [], CompanyPrefs(), [attention, invalid])
    assert both is not None and both.sync_ids == (4, 6)
    assert f"the sync of {AT} could not post: 2 export(s) rejected" in \
        both.text
    assert f"the daily sync of {AT} posted 9 record(s) but needs attention: " \
        "1 record(s) failed" in both.text
    assert "The Error log shows each problem with its fix. Each sync's report says what to " \
        "do." in both.text
    seen = sync(7, "failed", (), trigger="manual")
    assert notice_for([], [], CompanyPrefs(), [replace(seen, seen_at=datetime(2026, 12, 1))]) \
        is None


def test_a_notice_naming_syncs_is_acknowledged_in_their_database(tmp_path):
    notice = notice_for([], [], CompanyPrefs(), [sync(3, "interrupted", ())])
    assert notice is not None and "was interrupted before it finished" in notice.text
    with pytest.raises(ValueError, match="in their database"):
        acknowledge(tmp_path, 7, notice)
