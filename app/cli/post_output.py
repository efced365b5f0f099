"""What ``post`` and ``retry`` print: the question before, the progress, the result after.

A progress bar (tqdm: a well-kept library that handles terminal widths and redraws)
when standard error is a terminal; a plain line per 10 % otherwise, so a scheduled
run's log stays readable.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from app.progress import PostProgress

if TYPE_CHECKING:
    from app.accounting.preview import Preview
    from app.posting import PostReport
    from app.sync.closed_period import ClosedPeriodDecision

SHOWN_FAILURES = 20


class ProgressPrinter:
    def __init__(self, *, quiet: bool = False, stream=None) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self._bar: Any = None
        self._last_tenth = -1

    def update(self, progress: PostProgress) -> None:
        if self.quiet:
            return
        if self.stream.isatty():
            self._update_bar(progress)
            return
        tenth = int(progress.fraction * 10)
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            left = f", about {_duration(progress.seconds_left)} left" \
                if progress.seconds_left else ""
            print(f"done {progress.done}/{progress.total} ({tenth * 10}%), "
                  f"{progress.rate_per_minute:.0f} a minute{left}", file=self.stream,
                  flush=True)

    def _update_bar(self, progress: PostProgress) -> None:
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(total=progress.total, unit="record", file=self.stream,
                             dynamic_ncols=True)
        bar = self._bar
        bar.total = progress.total
        bar.n = progress.done
        bar.set_postfix_str(progress.current[:40], refresh=False)
        bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def confirm_on_terminal(preview: Preview, decision: ClosedPeriodDecision) -> bool:
    """Print what will be sent and ask; an answer other than yes (or no answer) declines."""
    print(preview.as_text())
    if decision.held:
        print(f"{len(decision.held)} record(s) dated in QuickBooks' closed period are held "
              "back (post with --closed-period redate to re-date them).")
    if decision.overrides:
        print(f"{len(decision.overrides)} record(s) dated in the closed period will be "
              "re-dated to the first open day, with a memo naming their own date.")
    if not preview.operations:
        return True  # nothing to send: no question to ask
    print(f"Send {len(preview.operations)} operation(s) to QuickBooks? [y/N] ", end="",
          flush=True)
    answer = sys.stdin.readline() if sys.stdin is not None else ""
    return answer.strip().lower() in ("y", "yes")


def print_report(report: PostReport) -> None:
    if report.stopping:
        print("Nothing was sent: fix these problems first.")
        for issue in report.stopping:
            print(f"  ERROR: {issue.message}. Fix: {issue.fix}")
        return
    if report.recovery.adopted or report.recovery.to_send:
        print(f"Resumed an interrupted run: {len(report.recovery.adopted)} record(s) found "
              f"already in QuickBooks and kept, {len(report.recovery.to_send)} to send again.")
    for key in report.recovery.gone:
        print(f"  FAILED {key}: deleted in QuickBooks while a change to it was in doubt "
              "(see `ledgerbridge errors`)")
    if report.declined:
        print("Nothing was sent.")
        return
    summary = report.summary
    if summary is None:
        return
    if summary.total == 0:
        print("Nothing to send: everything in this period has been posted "
              "(`ledgerbridge reconcile` checks QuickBooks itself).")
    else:
        print(f"Run {report.run_id}: posted {summary.posted}, found already in QuickBooks "
              f"{summary.adopted}, failed {summary.failed}, blocked {summary.blocked}, held "
              f"{summary.held}, not sent {summary.cancelled}, in doubt {summary.in_doubt}.")
    for key, message in summary.failures[:SHOWN_FAILURES]:
        print(f"  FAILED {key}: {message}")
    if len(summary.failures) > SHOWN_FAILURES:
        print(f"  … and {len(summary.failures) - SHOWN_FAILURES} more")
    if summary.failures or summary.blocked:
        print("See `ledgerbridge errors` for each problem with its fix, then "
              "`ledgerbridge retry --all`.")
    if summary.stopped:
        print(f"The run stopped: {summary.stopped}")
    if report.decision.held:
        print(f"Held (closed period): {len(report.decision.held)} record(s); they are posted "
              "once the closing date moves (`ledgerbridge errors --status held` lists them).")
    if report.decision.overrides:
        print(f"Re-dated to the first open day ({len(report.decision.overrides)}), each with "
              "a memo naming its own date:")
        for key, fields in sorted(report.decision.overrides.items()):
            print(f"  {key} -> {fields.get('TxnDate')}")
    if report.duplicates:
        print(f"DUPLICATES in QuickBooks: {len(report.duplicates)} key(s) carried by more "
              "than one record:")
        for duplicate in report.duplicates:
            print(f"  {duplicate.entity} {duplicate.key}: ids {', '.join(duplicate.ids)}")
    elif summary.total:
        print("Duplicate scan: no two QuickBooks records carry the same key.")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"
