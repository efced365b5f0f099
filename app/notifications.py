"""Failures nobody watched happen: shown when the app opens next, and on Home.

A scheduled sync, the command line or another computer may post while the window is
closed, and a run may end failed (stopped: reconnect needed, an unexpected error),
interrupted (the computer slept or the program was killed) or with errors (some jobs
failed or were blocked). Those runs, failed jobs the bookkeeper has not seen, and daily
syncs that failed or need attention (``app.daily_sync.history.unseen_failures``) make
one notice naming them, with the way to the Error log. What was seen is remembered per
company: runs and jobs on this computer (``app/company_prefs.py``), syncs in the
database (``mark_seen``, the sync's own record). A notice shows until the bookkeeper
acknowledges it, opens the Error log, or watched the run or sync in this window, and
comes back only when something new fails. A cancelled run is not a failure: the
bookkeeper stopped it and the next post sends the rest.

A sync whose own post failed is named once, as the sync (it says why, and where its
report is); its posting run is not named beside it but is seen with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.company_prefs import CompanyPrefs, load_prefs, update_prefs
from app.daily_sync.history import SyncSummary, mark_seen, unseen_failures
from app.daily_sync.problems import Problem
from app.daily_sync.reports import ATTENTION_KINDS, local_time, text_beside
from app.models.database import Database
from app.models.jobs import Job
from app.sync.runs import RunRow, list_runs

FAILING = ("failed", "interrupted", "finished_with_errors")
NAMED_RUNS = 3  # more than this are counted, not named


@dataclass(frozen=True)
class FailedJob:
    job_id: int
    run_id: int | None  # the run that last handled it


@dataclass(frozen=True)
class Notice:
    text: str
    run_ids: tuple[int, ...]  # the failing runs not seen yet
    job_ids: tuple[int, ...]  # the failed jobs not seen yet
    failed_now: tuple[int, ...]  # every failed job when the notice was made
    sync_ids: tuple[int, ...] = ()  # the failed syncs not seen yet (``mark_seen``)


def notice_for(runs: Sequence[RunRow], failed: Sequence[FailedJob], prefs: CompanyPrefs,
               syncs: Sequence[SyncSummary] = ()) -> Notice | None:
    """The notice for what failed and was not seen, or None. ``syncs`` are the unseen
    failed syncs (``unseen_failures``): a sync's own posting run is named as the sync."""
    syncs = sorted((s for s in syncs if s.failed and s.seen_at is None), key=lambda s: s.id)
    by_sync = {s.posting_run_id for s in syncs if s.posting_run_id is not None}
    new_runs = [r for r in runs if r.status in FAILING and r.id not in prefs.runs_seen]
    seen_jobs = set(prefs.failed_jobs_seen)
    new_jobs = tuple(sorted(j.job_id for j in failed if j.job_id not in seen_jobs))
    if not new_runs and not new_jobs and not syncs:
        return None
    named = {r.id for r in new_runs} | by_sync
    others = [j for j in failed if j.job_id in new_jobs and j.run_id not in named]
    parts = _named([_sync_words(s) for s in syncs], "sync(s) also failed")
    runs_named = [r for r in new_runs if r.id not in by_sync]
    parts += _named([_run_words(run) for run in runs_named], "run(s) also did not finish "
                    "cleanly")
    text = "Since you last looked: " + "; ".join(parts) + "." if parts else \
        "Since you last looked:"
    if others:  # failed jobs the runs named above do not account for
        text += (f" {len(others)} {'other ' if parts else ''}job"
                 f"{' has' if len(others) == 1 else 's have'} failed since you last looked.")
    if runs_named or others or any(p.kind == "failed_records" for s in syncs
                                   for p in s.problems):
        text += " The Error log shows each problem with its fix."
    if syncs:
        text += (" The sync's report says what to do." if len(syncs) == 1 else
                 " Each sync's report says what to do.")
    return Notice(text, tuple(r.id for r in new_runs), new_jobs,
                  tuple(sorted(j.job_id for j in failed)), tuple(s.id for s in syncs))


def _named(parts: list[str], more: str) -> list[str]:
    """The newest NAMED_RUNS named, the earlier ones counted."""
    if len(parts) <= NAMED_RUNS:
        return parts
    return [f"{len(parts) - NAMED_RUNS} earlier {more}", *parts[-NAMED_RUNS:]]


def _sync_words(sync: SyncSummary) -> str:
    """``the daily sync of 2026-11-30 06:00 CET could not post: … (report: …)``: in this
    computer's time, as the schedule is set."""
    name = "the daily sync" if sync.trigger == "scheduled" else "the sync"
    name += f" of {local_time(sync.started_at)}"
    report = f" (report: {text_beside(sync.report_file)})" if sync.report_file else ""
    if sync.status == "interrupted":
        return f"{name} was interrupted before it finished; the next sync resumes it{report}"
    stopping = [p for p in sync.problems if p.kind not in ATTENTION_KINDS]
    if sync.status == "failed":
        why = _problem_words(stopping[:1] or list(sync.problems[:1])) or sync.message
        done = f"posted {sync.posted} record(s), then stopped" if sync.posted \
            else "could not post"
        return f"{name} {done}: {why}{report}"
    posted = f"posted {sync.posted} record(s) but" if sync.posted else "posted nothing new and"
    return f"{name} {posted} needs attention: " \
           f"{_problem_words(list(sync.problems)) or sync.message}{report}"


def _problem_words(problems: list[Problem]) -> str:
    return "; ".join(p.message for p in problems)


def _run_words(run: RunRow) -> str:
    period = (f", {run.period_from:%d %b %Y} to {run.period_to:%d %b %Y}"
              if run.period_from and run.period_to else "")
    when = f"{run.finished_at or run.started_at:%d %b %Y, %H:%M} UTC"
    name = f"run {run.id} ({run.kind}{period})"
    if run.status == "interrupted":
        return f"{name} was interrupted before it finished ({when}); the next post resumes it"
    if run.status == "failed":
        reason = f": {run.message}" if run.message else ""
        return f"{name} stopped on {when}{reason}"
    problems = ", ".join(f"{run.counts[k]} {k}" for k in ("failed", "blocked", "held")
                         if run.counts.get(k)) or "errors"
    return f"{name} ended on {when} with {problems}"


# -- reading and remembering ---------------------------------------------------------------

def failed_jobs(database: Database, company_id: int) -> list[FailedJob]:
    with database.session() as session:
        rows = session.execute(select(Job.id, Job.run_id).where(
            Job.company_id == company_id, Job.status == "failed").order_by(Job.id)).all()
    return [FailedJob(int(job_id), run_id) for job_id, run_id in rows]


def load_notice(database: Database, company_id: int, config_dir: Path) -> Notice | None:
    return notice_for(list_runs(database, company_id), failed_jobs(database, company_id),
                      load_prefs(config_dir, company_id),
                      unseen_failures(database, company_id))


def acknowledge(config_dir: Path, company_id: int, notice: Notice,
                database: Database | None = None) -> None:
    """The bookkeeper saw ``notice``: its runs, every job failed when it was made, and
    its syncs (marked seen in ``database``)."""
    prefs = load_prefs(config_dir, company_id)
    update_prefs(config_dir, company_id,
                 runs_seen=tuple(sorted(set(prefs.runs_seen) | set(notice.run_ids))),
                 failed_jobs_seen=notice.failed_now)
    if notice.sync_ids:
        if database is None:
            raise ValueError("a notice naming syncs is acknowledged in their database")
        mark_seen(database, company_id, notice.sync_ids)


def mark_all_seen(database: Database, company_id: int, config_dir: Path) -> None:
    """The Error log was opened: everything failing now has been seen."""
    notice = load_notice(database, company_id, config_dir)
    if notice is not None:
        acknowledge(config_dir, company_id, notice, database)


def mark_sync_watched(database: Database, company_id: int, config_dir: Path, sync_id: int,
                      posting_run_id: int | None) -> None:
    """A sync the bookkeeper watched in the window (Sync now): it, and its posting run
    with the jobs that run failed, are seen."""
    mark_seen(database, company_id, [sync_id])
    if posting_run_id is not None:
        mark_watched(database, company_id, config_dir, posting_run_id)


def mark_watched(database: Database, company_id: int, config_dir: Path, run_id: int) -> None:
    """A run the bookkeeper watched in the window (its result was shown): it and the jobs
    it failed are seen; failures of runs nobody watched still make a notice."""
    prefs = load_prefs(config_dir, company_id)
    failed = failed_jobs(database, company_id)
    current = {job.job_id for job in failed}
    seen = (set(prefs.failed_jobs_seen) & current) | {
        job.job_id for job in failed if job.run_id == run_id}
    update_prefs(config_dir, company_id, runs_seen=tuple(sorted({*prefs.runs_seen, run_id})),
                 failed_jobs_seen=tuple(sorted(seen)))
