"""The guided close's steps as a state object: which are allowed and done, what Next
and Post do, and every text the screen shows about them (Electrum's wizard: navigation
in plain Python, tested without widgets; the screen renders it and writes back).

One ``CloseFlow`` per company, kept for the window's life: switching to another
company and back finds the close where it was, and a post's progress and result only
ever reach the flow of the company it posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from app.monthly_close.checking import PeriodCheck
from app.monthly_close.importing import ImportOutcome, ImportRequest
from app.monthly_close.start import CloseStart, Leftover, day_text
from app.plan.plan import Period
from app.posting import PostReport
from app.progress import PostProgress
from app.reconciliation import Reconciliation

STEPS = ("period", "import", "preflight", "preview", "post", "result")
TITLES = {"period": "Period", "import": "Import", "preflight": "Pre-flight",
          "preview": "Preview", "post": "Post", "result": "Result"}
CLOSED_CHOICES = ("hold", "redate", "export")


@dataclass
class CloseFlow:
    start: CloseStart | None = None
    period: Period | None = None
    step: str = "period"
    period_chosen: bool = False  # by the bookkeeper: it stays when the company is read again
    imported: ImportOutcome | None = None
    check: PeriodCheck | None = None
    checking: bool = False
    closed_choice: str = "hold"
    export_file: Path | None = None
    posting: bool = False  # this company's post is running
    progress: PostProgress | None = None
    report: PostReport | None = None
    post_error: str | None = None
    reconciliation: Reconciliation | None = None
    reconcile_error: str | None = None
    visited: set[str] = field(default_factory=set)

    # -- what the bookkeeper does ----------------------------------------------------------
    def started(self, start: CloseStart) -> bool:
        """The company's months and sources were read (again). A period the close chose
        itself follows the company (a retry elsewhere finished the month it held) until
        the bookkeeper chooses one or starts on it.

        True when the run shown on Result has just been found undone (from Runs): its
        reconciliation read QuickBooks before the undo, so it is dropped to be read again.
        """
        was_undone = self.undone_by
        before, self.start = self.start, start
        stale = self.undone_by is not None and self.undone_by != was_undone
        if stale:
            self.reconciliation, self.reconcile_error = None, None
        untouched = not self.period_chosen and self.step == "period" \
            and self.imported is None and self.check is None
        if self.period is None or (untouched and before is not None
                                   and self.period == before.default_period):
            self.period = start.default_period
        return stale

    def leftover_changed(self, left: Leftover) -> None:
        """A post ended: what it left to send (the months and records are as they were)."""
        if self.start is not None:
            self.start = replace(self.start, leftover=left)

    def choose_period(self, period: Period) -> None:
        self.period_chosen = True
        if period != self.period:
            self.period = period
            self.forget_check()

    def import_requested(self, paths: tuple[Path, ...] = (), api_name: str | None = None,
                         full: bool = False) -> ImportRequest:
        preset = self.start.origin.preset if self.start is not None else None
        return ImportRequest(paths, api_name, full, preset)

    def import_finished(self, outcome: ImportOutcome) -> None:
        self.imported = outcome
        if outcome.ok:
            self.forget_check()  # the records changed: plan again

    def forget_check(self) -> None:
        self.check = None
        self.visited.discard("preview")

    def go(self, step: str) -> None:
        if self.allowed(step):
            self.step = step
            self.visited.add(step)

    def post_started(self) -> None:
        self.posting, self.progress, self.report, self.post_error = True, None, None, None
        self.reconciliation, self.reconcile_error = None, None
        self.step = "post"

    def post_ended(self, report: PostReport | None, error: str | None = None) -> None:
        self.posting, self.report, self.post_error = False, report, error
        if report is not None:
            self.forget_check()  # what is in QuickBooks changed: a new preview is needed
        # Without a report the post stopped before it began (another post running,
        # QuickBooks unreachable): the preview stands, and Post plans again anyway.
        self.step = "result" if report is not None else "post"
        self.visited.add(self.step)

    # -- the rules --------------------------------------------------------------------------
    def allowed(self, step: str) -> bool:
        return self.why_not(step) is None

    def why_not(self, step: str) -> str | None:
        """Why ``step`` cannot be opened now (None: it can)."""
        if self.start is None:
            return "Loading…"
        if self.posting and step not in ("post",):
            return "A post is running: its progress is on the Post step."
        if step in ("period",):
            return None
        if self.period is None:
            return "There is no registration data yet: import the exports first."
        if step in ("import", "preflight"):
            return None if self.start.outlook.mapped or step == "import" else \
                "Map the data to QuickBooks first (the Mapping screen)."
        if step in ("preview", "post"):
            return None if self.check is not None else "Check the period against " \
                "QuickBooks first (Pre-flight)."
        return None if self.report is not None else "Post first: the result follows."

    def done(self, step: str) -> bool:
        if step in ("post", "result") and self.undone_by is not None:
            return False  # what the run sent is out of QuickBooks again
        if step == "period":
            return self.period is not None and "import" in self.visited
        if step == "import":
            return self.imported is not None and self.imported.ok
        if step == "preflight":
            return self.check is not None and not self.check.stopping
        if step == "preview":
            return self.check is not None and "preview" in self.visited
        if step == "post":
            return self.posted_everything
        return (self.posted_everything and self.reconciliation is not None
                and self.reconciliation.agrees)

    @property
    def undone_by(self) -> int | None:
        """The undo run that took the shown run's records out of QuickBooks, if any."""
        if self.report is None or self.report.run_id is None or self.start is None:
            return None
        return self.start.outlook.undone_by(self.report.run_id)

    def undone_text(self) -> str:
        """Result's headline once its run was undone (the counts stay: what it did)."""
        if self.undone_by is None or self.report is None:
            return ""
        return (f"Run {self.report.run_id} was undone by run {self.undone_by}: what it sent "
                "is no longer in QuickBooks (the counts below are what it did). Post the "
                "period again to put it back.")

    @property
    def posted_everything(self) -> bool:
        """The last run finished with nothing left to send (not cancelled, no failure)."""
        report = self.report
        return (report is not None and report.summary is not None
                and not report.summary.was_cancelled and report.exit_code == 0)

    def mark(self, step: str) -> str:
        """The tab's mark: ✓ done; ⚠ the run ended with something to look at (cancelled,
        failed or held records, a reconciliation that differs); nothing otherwise."""
        if self.done(step):
            return " ✓"
        if step == "post" and self.report is not None and self.report.summary is not None:
            return " ⚠"
        if step == "result" and (self.reconcile_error or self.reconciliation is not None
                                 or self.undone_by is not None):
            return " ⚠"
        return ""

    def last_run_text(self) -> str:
        """The Post step's words about the last run when nothing is running (its pane of
        figures is for a run in progress only)."""
        report = self.report
        if self.posting or report is None or report.summary is None:
            return ""
        summary = report.summary
        if summary.was_cancelled:
            return (f"The last run (run {report.run_id}) was cancelled after {summary.posted:,}"
                    f" of {summary.total:,} record(s); the rest stays pending and Post sends "
                    "it.")
        if not self.posted_everything:
            return (f"The last run (run {report.run_id}) sent {summary.posted:,} of "
                    f"{summary.total:,} record(s) and left some to look at: see the Result "
                    "step and the Error log.")
        if self.undone_by is not None:
            return (f"The last run (run {report.run_id}) sent all {summary.total:,} "
                    f"record(s); run {self.undone_by} undid it.")
        return f"The last run (run {report.run_id}) sent all {summary.total:,} record(s)."

    def period_summary(self) -> str:
        """The Period step's words: what is posted, the last import, the dates closed.
        A month posted with failures is said once, as posted but not finished."""
        start, period = self.start, self.period
        if start is None:
            return "Reading the company…"
        if period is None:
            return ("No registration data yet: import the month's exports in the next step "
                    "(or the setup wizard's Data source page).")
        last_posted, unfinished = start.outlook.last_posted, start.unfinished_text(period)
        if last_posted is not None:
            posted = f"Posted through {last_posted:%B %Y}" + (
                f", with {unfinished}" if unfinished else ".")
        else:
            posted = "Nothing posted yet" + (f"; {unfinished}" if unfinished else ".")
        last_import = start.origin.last_import
        last = f" Last import {day_text(last_import)}." if last_import else ""
        return (f"{posted}{last} This close covers {day_text(period.start)} to "
                f"{day_text(period.end)}.")

    def next_step(self) -> str | None:
        index = STEPS.index(self.step)
        if index + 1 >= len(STEPS) or self.step == "post":
            return None  # Post is the Post button; the result follows it
        return STEPS[index + 1]

    def previous_step(self) -> str | None:
        """The nearest step before this one that may be opened (Back)."""
        before = STEPS[:STEPS.index(self.step)]
        return next((s for s in reversed(before) if self.allowed(s)), None)

    def next_text(self) -> str:
        following = self.next_step()
        return f"Next: {TITLES[following]}" if following else "Next"

    @property
    def leftover(self) -> Leftover:
        return self.start.leftover if self.start is not None else Leftover()

    def why_not_post(self, other_write: str | None = None) -> str | None:
        """Why Post is disabled (None: enabled); ``other_write``: another write running."""
        if self.posting:
            return "Posting…"
        if other_write:
            return (f"{other_write} is running: one write to QuickBooks at a time. Post "
                    "when it has finished.")
        if self.check is None:
            return "Check the period against QuickBooks first (Pre-flight)."
        if self.check.stopping:
            return "Fix the problems that stop the post first (Pre-flight)."
        if self.closed_choice == "export" and self.export_file is None:
            return "Choose the file the closed-period records are written to (Pre-flight)."
        if not self.check.preview.operations and not self.leftover.in_doubt:
            return "Nothing to send: everything in this period is in QuickBooks already."
        return None

    def post_text(self) -> str:
        count = len(self.check.preview.operations) if self.check is not None else 0
        return f"Post {count:,} operation(s) to QuickBooks"

    def ready_text(self) -> str:
        """What Post will do, said before it is pressed."""
        if self.check is None or self.period is None:
            return "Check the period against QuickBooks and look at the preview first."
        preview = self.check.preview
        parts = [f"Post sends {len(preview.operations):,} operation(s) for "
                 f"{day_text(self.period.start)} to {day_text(self.period.end)}; debits "
                 f"{preview.total_debits:,.2f} = credits {preview.total_credits:,.2f}."]
        if self.leftover.text:
            parts.append(self.leftover.text)
        if self.check.closed_keys:
            parts.append(self.closed_text())
        parts.append("Nothing is sent before you press Post. Cancel stops after the request "
                     "in flight; what was not sent stays pending and the next Post sends it.")
        return " ".join(parts)

    def closed_text(self) -> str:
        check = self.check
        if check is None or not check.closed_keys or check.closed_through is None:
            return ""
        count, through = len(check.closed_keys), day_text(check.closed_through)
        if self.closed_choice == "redate":
            first_open = day_text(check.closed_through + timedelta(days=1))
            return (f"{count} record(s) dated on or before {through} (books closed) will be "
                    f"re-dated to {first_open}, with a memo.")
        if self.closed_choice == "export":
            where = self.export_file.name if self.export_file else "(choose a file)"
            return (f"{count} record(s) dated in the closed period are held and written to "
                    f"{where} for the accountant.")
        return (f"{count} record(s) dated on or before {through} (books closed) are held: "
                "posted by a later Post once the closing date moves.")
