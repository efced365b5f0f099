"""Failures nobody watched happen: shown when the app opens next, and on Home.

A scheduled sync, the command line or another computer may post while the window is
closed, and a run may end failed (stopped: reconnect needed, an unexpected error),
interrupted (the computer slept or the program was killed) or with errors (some jobs
failed or were blocked). Those runs, and failed jobs the bookkeeper has not seen, make
one notice naming the runs, with the way to the Error log. What was seen is remembered
per company on this computer (``app/company_prefs.py``): a notice shows until the
bookkeeper acknowledges it, opens the Error log, or watched the run in this window,
and comes back only when something new fails. A cancelled run is not a failure: the
bookkeeper stopped it and the next post sends the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.company_prefs import CompanyPrefs, load_prefs, update_prefs
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


def notice_for(runs: Sequence[RunRow], failed: Sequence[FailedJob], prefs: CompanyPrefs
               ) -> Notice | None:
    """The notice for what failed and was not seen, or None."""
    new_runs = [r for r in runs if r.status in FAILING and r.id not in prefs.runs_seen]
    seen_jobs = set(prefs.failed_jobs_seen)
    new_jobs = tuple(sorted(j.job_id for j in failed if j.job_id not in seen_jobs))
    if not new_runs and not new_jobs:
        return None
    named = {r.id for r in new_runs}
    others = [j for j in failed if j.job_id in new_jobs and j.run_id not in named]
    parts = [_run_words(run) for run in new_runs[-NAMED_RUNS:]]
    if len(new_runs) > NAMED_RUNS:
        parts.insert(0, f"{len(new_runs) - NAMED_RUNS} earlier run(s) also did not finish "
                        "cleanly")
    text = "Since you last looked: " + "; ".join(parts) + "." if parts else \
        "Since you last looked:"
    if others:  # failed jobs the runs named above do not account for
        text += (f" {len(others)} {'other ' if parts else ''}job"
                 f"{' has' if len(others) == 1 else 's have'} failed since you last looked.")
    text += " The Error log shows each problem with its fix."
    return Notice(text, tuple(r.id for r in new_runs), new_jobs,
                  tuple(sorted(j.job_id for j in failed)))


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
                      load_prefs(config_dir, company_id))


def acknowledge(config_dir: Path, company_id: int, notice: Notice) -> None:
    """The bookkeeper saw ``notice``: its runs, and every job failed when it was made."""
    prefs = load_prefs(config_dir, company_id)
    update_prefs(config_dir, company_id,
                 runs_seen=tuple(sorted(set(prefs.runs_seen) | set(notice.run_ids))),
                 failed_jobs_seen=notice.failed_now)


def mark_all_seen(database: Database, company_id: int, config_dir: Path) -> None:
    """The Error log was opened: everything failing now has been seen."""
    notice = load_notice(database, company_id, config_dir)
    if notice is not None:
        acknowledge(config_dir, company_id, notice)


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
