"""The Error log screen's logic without Qt: which rows are shown, what Retry may do, texts.

The rows are ``app/sync/error_log.py``'s, the very rows ``ledgerbridge errors`` prints
and exports; the window's table only renders them. What is decided here — the filters
(status, kind, when, the search box), whether "Retry selected" may go and, when not,
why, the detail pane's words and the sentence a finished retry ends with — is plain
Python, so it is tested without widgets and reads the same from the CLI's vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from app.posting import PostReport
from app.retrying import RETRYABLE
from app.sync.error_log import ATTENTION, ErrorLogRow

# The status choices: (label, the statuses read). "Needs attention" is the CLI's default.
STATUS_FILTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Needs attention", ATTENTION),
    ("Failed", ("failed",)),
    ("Blocked", ("blocked",)),
    ("Held (closed period or edited)", ("held",)),
    ("Not sent (cancelled or in doubt)", ("cancelled", "sending")),
    ("Posted", ("posted",)),
    ("All jobs", ()),  # () = every status
)
ANY_KIND = ""
# Why a selected job is not sent again by Retry (retry_jobs refuses these statuses).
NOT_RETRIED = {
    "posted": "it is in QuickBooks already",
    "sending": "its outcome is in doubt: the next post looks it up in QuickBooks first, "
               "so it is never sent twice",
    "pending": "it has not been sent yet: the next post sends it",
    "skipped": "a newer plan of the same record replaced it",
}


@dataclass(frozen=True)
class DateRange:
    """Inclusive days (UTC, as the table shows times); an open end is unbounded."""

    start: date | None = None
    end: date | None = None

    @property
    def open(self) -> bool:
        return self.start is None and self.end is None

    def contains(self, day: date | None) -> bool:
        if self.open:
            return True
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None
                                                              or day <= self.end)


@dataclass(frozen=True)
class ErrorFilter:
    """What the bar above the table chose; the status is chosen when the rows are read."""

    entity: str = ANY_KIND  # a QuickBooks entity ("Invoice"), or every kind
    tried: DateRange = field(default_factory=DateRange)  # when the job was last tried
    text: str = ""  # the search box: any part of the job's words, case-insensitive

    def accepts(self, row: ErrorLogRow) -> bool:
        if self.entity and entity_of(row) != self.entity:
            return False
        if not self.tried.contains(row.time.date() if row.time else None):
            return False
        needle = self.text.strip().casefold()
        return not needle or needle in _words(row)


def nothing_shown_text(status_label: str, read: int) -> str:
    """What the empty table means, for the status chosen (and the other filters)."""
    if read:
        return "No job matches the kind, dates or words chosen: clear them to see all."
    if status_label == STATUS_FILTERS[0][0]:
        return "Nothing needs attention: no job failed, was blocked, held or left unsent."
    return f"No job is shown under “{status_label}”."


def entity_of(row: ErrorLogRow) -> str:
    """``"create Invoice"`` → ``"Invoice"`` (the CLI's ``--kind``)."""
    return row.kind.rsplit(" ", 1)[-1]


def entities(rows: Iterable[ErrorLogRow]) -> tuple[str, ...]:
    return tuple(sorted({entity_of(row) for row in rows}))


def _words(row: ErrorLogRow) -> str:
    return " ".join((str(row.job_id), row.status, row.kind, row.record, row.summary,
                     row.error_code, row.message, row.amount, row.explanation,
                     row.txn_date.isoformat() if row.txn_date else "",
                     *row.sources)).casefold()


# -- Retry selected -------------------------------------------------------------------

@dataclass(frozen=True)
class RetryChoice:
    """The jobs "Retry selected" would send, or why it cannot (the disabled tooltip)."""

    job_ids: tuple[int, ...]
    why_not: str = ""
    left_out: int = 0  # selected jobs Retry does not send (posted, in doubt, …)

    @property
    def allowed(self) -> bool:
        return not self.why_not and bool(self.job_ids)

    @property
    def tooltip(self) -> str:
        if not self.allowed:
            return self.why_not
        count = len(self.job_ids)
        text = (f"Send the {count} selected job{'s' if count != 1 else ''} to QuickBooks "
                "again, with what waited for them; what QuickBooks already holds is "
                "skipped, and a record dated in a closed period stays held.")
        if self.left_out:
            text += f" {self.left_out} other selected job(s) need no retry and are left out."
        return text


def retry_choice(selected: Sequence[ErrorLogRow], connection_state: str,
                 busy: str = "") -> RetryChoice:
    """What Retry would do with the selection, given the connection and the running work."""
    ids = tuple(row.job_id for row in selected if row.status in RETRYABLE)
    left_out = len(selected) - len(ids)
    if not selected:
        return RetryChoice((), "Select the jobs to send again first (Ctrl+A selects every "
                           "job shown).")
    if not ids:
        reasons = sorted({NOT_RETRIED.get(row.status, row.status) for row in selected})
        return RetryChoice((), "Nothing selected can be retried: " + "; ".join(reasons) + ".",
                           left_out)
    if connection_state == "reauthorisation_needed":
        return RetryChoice(ids, "QuickBooks needs you to sign in again first: Reconnect "
                           "(the banner above, or Settings).", left_out)
    if connection_state != "connected":
        return RetryChoice(ids, "This company is not connected to QuickBooks: reconnect it "
                           "in Settings first.", left_out)
    if busy:
        return RetryChoice(ids, f"Wait until \"{busy}\" has finished: Ledgerbridge writes to "
                           "QuickBooks one piece of work at a time.", left_out)
    return RetryChoice(ids, "", left_out)


def report_text(report: PostReport, what: str) -> str:
    """The sentence a finished retry or undo ends with (``what``: "retry", "undo of run
    2"): the run is named first, so an undo is never read as the run it undid."""
    summary = report.summary
    if summary is None:
        return f"{what[:1].upper()}{what[1:]}: nothing was sent."
    if summary.total == 0:
        return f"{what[:1].upper()}{what[1:]}: nothing to send (QuickBooks already holds it)."
    parts = [f"{summary.posted} sent"]
    for count, words in ((summary.adopted, "found already in QuickBooks"),
                         (summary.failed, "failed"), (summary.blocked, "blocked"),
                         (summary.held, "held (closed period)"),
                         (summary.cancelled, "not sent (cancelled)"),
                         (summary.in_doubt, "in doubt")):
        if count:
            parts.append(f"{count} {words}")
    text = f"Run {report.run_id} ({what}): " + ", ".join(parts) + "."
    if summary.stopped:
        text += f" It stopped: {summary.stopped}."
    if summary.failed or summary.blocked:
        text += " The Error log shows each problem with its fix."
    if report.duplicates:
        text += f" DUPLICATES found in QuickBooks: {len(report.duplicates)} key(s)."
    return text


# -- the detail pane --------------------------------------------------------------------

@dataclass(frozen=True)
class ErrorDetail:
    title: str
    said: str  # what QuickBooks (or Ledgerbridge) said about it
    explanation: str
    fix: str
    facts: tuple[tuple[str, str], ...]


def detail_of(row: ErrorLogRow) -> ErrorDetail:
    said = row.message
    if row.status == "failed" and row.message:
        code = f" (code {row.error_code})" if row.error_code else ""
        if code and code.strip() in row.message:
            code = ""  # the message names its code already
        said = f"QuickBooks said{code}: {row.message}"
    facts = [("Status", row.status), ("Record", row.record)]
    if row.txn_date:
        facts.append(("Dated", row.txn_date.isoformat()))
    if row.amount:
        facts.append(("Amount", row.amount))
    if row.time:
        facts.append(("Last tried", f"{row.time:%Y-%m-%d %H:%M} UTC"))
    if row.sources:
        facts.append(("From the source", ", ".join(row.sources)))
    return ErrorDetail(f"Job {row.job_id}: {row.kind} — {row.summary or row.record}", said,
                       row.explanation, row.fix, tuple(facts))
