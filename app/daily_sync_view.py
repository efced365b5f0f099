"""The Settings screen's Daily sync group without Qt: where the sync reads, whether the
operating system runs it every day, its last scheduled run, and a sync's result in words.

The truth about the schedule is the scheduler's (``schedule_status`` reads the task
back); the sync source is the company's row in the database (``load_sync_source``), the
same one ``ledgerbridge sync-source`` writes. What the screen may offer, and why not when
it may not, is decided here: a disabled control says why in its tooltip. The actions
(``turn_on``, ``turn_off``, ``use_source``, ``forget_source``) run OS commands and
database writes: the screen calls them on a worker and shows the view and the sentence
they return.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path

from app.config import AppPaths
from app.daily_sync.history import SyncSummary
from app.daily_sync.reports import SyncReport, local_time
from app.daily_sync.source import (
    SyncSourceSettings,
    clear_sync_source,
    load_sync_source,
    save_sync_source,
)
from app.importers.api_source import ApiSourceError, load_source
from app.models.database import Database
from app.scheduling.runner import SchedulingError
from app.scheduling.service import (
    SchedulerFactory,
    ScheduleStatus,
    office_database_problem,
    schedule_off,
    schedule_on,
    schedule_status,
)
from app.scheduling.task import DEFAULT_AT, parse_at
from app.setup.source import api_source_names, api_sources_dir

STATUS_WORDS = {"ok": "done", "attention": "needs attention", "failed": "stopped",
                "interrupted": "interrupted", "running": "still running"}
NO_SOURCE = "Choose where the sync reads first: a watch folder or an API source."
DEMO = ("The demo company is for trying Ledgerbridge out: the daily schedule is for your own "
        "companies (choose a watch folder, and Sync now works here too).")


@dataclass(frozen=True)
class DailySyncView:
    source: SyncSourceSettings | None
    status: ScheduleStatus
    api_sources: tuple[str, ...]  # saved API sources (``ledgerbridge source add``)
    office: str = ""  # why an office database cannot be scheduled ("" when it can)
    demo: bool = False

    @property
    def on(self) -> bool:
        return self.status.on

    @property
    def at(self) -> time:
        """The time the task runs at (06:00 when it is off, or unreadable)."""
        installed = self.status.installed
        try:
            return parse_at(installed.at) if installed and installed.at else DEFAULT_AT
        except ValueError:
            return DEFAULT_AT

    @property
    def source_text(self) -> str:
        return source_words(self.source)

    @property
    def schedule_text(self) -> str:
        """What the scheduler holds, or, while off and it cannot be turned on, only why
        (the scheduler's own notes would say the same thing twice)."""
        blocked = self.schedule_blocked
        if blocked and not self.on:
            return f"Off. {blocked}"
        return schedule_words(self.status)

    @property
    def last_run_text(self) -> str:
        return last_run_words(self.status.last_run)

    @property
    def schedule_blocked(self) -> str:
        """Why the daily sync cannot be turned on here ("" when it can; turning it off
        is always possible while it is on)."""
        if self.on:
            return ""
        if self.demo:
            return DEMO
        if self.office:
            return f"The daily sync cannot be scheduled from here: {self.office}."
        if self.source is None:
            return NO_SOURCE
        if self.status.mechanism is None:
            notes = " ".join(self.status.notes) or "no scheduler Ledgerbridge can use"
            return notes[0].upper() + notes[1:]
        return ""

    @property
    def api_blocked(self) -> str:
        return "" if self.api_sources else (
            "No API source is saved yet: add one in the setup wizard's data source page, "
            "or with `ledgerbridge source add`.")

    @property
    def clear_blocked(self) -> str:
        if self.source is None:
            return "The sync reads nothing yet."
        if self.on:
            return "Turn the daily sync off first: every scheduled run would report that " \
                   "it has nothing to read."
        return ""

    @property
    def sync_now_blocked(self) -> str:
        return NO_SOURCE if self.source is None else ""


def load_daily_sync(database: Database, paths: AppPaths, company_id: int,
                    scheduler: SchedulerFactory, *, demo: bool = False) -> DailySyncView:
    """Read the source, the schedule (from the operating system) and the saved API sources;
    runs OS commands: call it on a worker thread."""
    return DailySyncView(load_sync_source(database, company_id),
                         schedule_status(database, paths, company_id, scheduler=scheduler),
                         tuple(api_source_names(paths.config_dir)),
                         office_database_problem(), demo)


def source_words(source: SyncSourceSettings | None) -> str:
    if source is None:
        return "Not chosen: the daily sync has nowhere to read exports from yet."
    if source.kind == "folder":
        return f"A watch folder, {source.location} (with its sub-folders; each file read once)"
    return f"The API source {source.location!r} (read whole at every sync)"


def schedule_words(status: ScheduleStatus) -> str:
    """Whether the operating system runs the sync every day, when, by what, and notes."""
    installed = status.installed
    if installed is not None:
        lines = [f"On: every day at {installed.at or '?'} (this computer's time), by the "
                 f"{installed.mechanism}: {installed.location}."]
        if installed.active is False:
            lines.append("The scheduler holds the task but it is not enabled or loaded: turn "
                         "the daily sync off and on again.")
    elif status.mechanism is not None:
        lines = [f"Off on this computer (it would use the {status.mechanism})."]
    else:
        lines = ["Off: this computer has no scheduler Ledgerbridge can use."]
    lines += [note for note in status.notes if note not in lines]
    return "\n".join(lines)


def last_run_words(run: SyncSummary | None) -> str:
    if run is None:
        return "None yet: no sync has been started by the schedule."
    return (f"{local_time(run.started_at)}, {STATUS_WORDS.get(run.status, run.status)}"
            f": {run.message or 'no message'}")


def sync_result_text(report: SyncReport) -> str:
    """A Sync now's result: its status, its one line (which says what was held back for the
    next sync), and where its report is."""
    word = STATUS_WORDS.get(report.status, report.status)
    text = f"Sync {word}. {report.message}"
    where = report.text_file or report.report_file
    return text + (f" Report: {where}" if where else " (no report file could be written)")


# -- the actions: each returns the view to show and a sentence saying what happened --------

def turn_on(database: Database, paths: AppPaths, company_id: int,
            scheduler: SchedulerFactory, at: time, *, demo: bool = False
            ) -> tuple[DailySyncView, str]:
    """Install (or move) the daily task; a refusal is said, not raised."""
    try:
        status = schedule_on(database, paths, company_id, at, scheduler=scheduler)
        said = (f"The daily sync is on: every day at {at:%H:%M} (this computer's time), by "
                f"the {status.mechanism}.")
    except SchedulingError as exc:
        said = f"The daily sync could not be turned on: {exc}."
    return load_daily_sync(database, paths, company_id, scheduler, demo=demo), said


def turn_off(database: Database, paths: AppPaths, company_id: int,
             scheduler: SchedulerFactory, *, demo: bool = False
             ) -> tuple[DailySyncView, str]:
    try:
        schedule_off(database, paths, company_id, scheduler=scheduler)
        said = "The daily sync is off on this computer; the sync source and reports stay."
    except SchedulingError as exc:
        said = f"The daily sync could not be turned off: {exc}."
    return load_daily_sync(database, paths, company_id, scheduler, demo=demo), said


def use_source(database: Database, paths: AppPaths, company_id: int,
               scheduler: SchedulerFactory, kind: str, location: str | Path, *,
               demo: bool = False) -> tuple[DailySyncView, str]:
    try:
        chosen = choose_source(database, paths, company_id, kind, location)
        said = f"The sync now reads {chosen.describe()}."
    except (ValueError, ApiSourceError) as exc:
        said = f"The sync source was not changed: {exc}."
    return load_daily_sync(database, paths, company_id, scheduler, demo=demo), said


def forget_source(database: Database, paths: AppPaths, company_id: int,
                  scheduler: SchedulerFactory, *, demo: bool = False
                  ) -> tuple[DailySyncView, str]:
    clear_sync_source(database, company_id)
    return (load_daily_sync(database, paths, company_id, scheduler, demo=demo),
            "The sync source was forgotten; files already read stay read (and imported).")


def choose_source(database: Database, paths: AppPaths, company_id: int, kind: str,
                  location: str | Path) -> SyncSourceSettings:
    """Make the company's sync read a watch folder or a saved API source, as
    ``sync-source folder DIR`` / ``sync-source api NAME`` do; the other settings (preset,
    sheet, date format, full exports) made on the command line are kept."""
    if kind == "folder":
        folder = Path(location).expanduser().resolve()
        if not folder.is_dir():
            raise ValueError(f"no such folder: {folder}")
        location = str(folder)
    else:
        load_source(api_sources_dir(paths.config_dir), str(location))  # it must be readable
    old = load_sync_source(database, company_id)
    settings = SyncSourceSettings(kind, str(location)) if old is None else \
        replace(old, kind=kind, location=str(location))
    save_sync_source(database, company_id, settings)
    return settings
