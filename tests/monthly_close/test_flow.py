"""The close's steps as plain Python: what is allowed, what Next and Post do, the texts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from app.accounting.preview import build_preview
from app.close_outlook import CloseOutlook
from app.monthly_close.checking import PeriodCheck
from app.monthly_close.fixes import problems
from app.monthly_close.flow import STEPS, CloseFlow
from app.monthly_close.preview_tree import group_preview
from app.monthly_close.start import CloseStart, Leftover, SourceOrigin, month_choices
from app.monthly_close.unfinished import UnfinishedMonth
from app.plan.operations import Operation
from app.plan.plan import Issue, Period, Plan
from app.plan.postings import credit, debit

JANUARY = Period(date(2025, 1, 1), date(2025, 1, 31))
FEBRUARY = Period(date(2025, 2, 1), date(2025, 2, 28))


def outlook(period: Period | None = FEBRUARY, mapped: bool = True) -> CloseOutlook:
    return CloseOutlook(period, date(2025, 1, 1), 3, 1, 5, 1, None, mapped, True,
                        months=((date(2025, 1, 1), 10, 0, 12), (date(2025, 2, 1), 3, 1, 5),
                                (date(2025, 3, 1), 4, 0, 0)),
                        posted=(date(2025, 1, 1),))


def start(leftover: Leftover | None = None, mapped: bool = True) -> CloseStart:
    found = outlook(mapped=mapped)
    return CloseStart(found, month_choices(found), SourceOrigin(preset="ours"),
                      leftover or Leftover())


def journal(key: str, day: date, amount: str) -> Operation:
    value = Decimal(amount)
    return Operation("create", "JournalEntry", key, {"Line": []}, f"Journal entry {day}",
                     txn_date=day, amount=value,
                     postings=(debit("Undeposited Funds", value), credit("Tuition", value)))


def check(period: Period = FEBRUARY, issues: tuple[Issue, ...] = (),
          stopping: tuple[Issue, ...] = (), closed: tuple[str, ...] = (),
          operations: int = 2) -> PeriodCheck:
    ops = tuple(journal(f"je:{n}", period.start, "10.00") for n in range(operations))
    preview = build_preview(Plan(ops, issues, period))
    return PeriodCheck(period, preview, group_preview(preview),
                       problems(issues, stopping, None), stopping,
                       date(2025, 2, 10) if closed else None, closed)


def test_the_next_unposted_month_is_chosen_and_the_months_are_labelled():
    flow = CloseFlow()
    assert flow.why_not("period") == "Loading…"
    flow.started(start())
    assert flow.period == FEBRUARY and flow.step == "period"
    labels = [m.label for m in flow.start.months]
    assert labels[0].startswith("January 2025 — posted (10 payment(s)")
    assert labels[1].startswith("February 2025 — next to close (3 payment(s), 1 refund(s)")
    assert labels[2] == "March 2025 (4 payment(s), 0 refund(s), 0 charge(s))"
    flow.choose_period(JANUARY)
    flow.started(start())  # read again (after an import): the choice stays
    assert flow.period == JANUARY


def test_a_month_left_unfinished_is_chosen_until_its_records_are_in_quickbooks():
    found = outlook()
    left = (UnfinishedMonth(date(2025, 1, 1), failed=1),)
    held = CloseStart(found, month_choices(found, left), SourceOrigin(), Leftover(), left)
    flow = CloseFlow()
    flow.started(held)
    assert flow.period == JANUARY and held.holding == left[0]
    assert flow.period_summary() == (  # posted, yet not finished: one sentence says both
        "Posted through January 2025, with records still to finish in January 2025: 1 "
        "record(s) failed (fix the cause, then select them in the Error log and choose "
        "Retry). The close stays on this month until they are in QuickBooks; a later month "
        "can still be chosen. This close covers 1 Jan 2025 to 31 Jan 2025.")
    assert held.months[0].label.startswith("January 2025 — not finished: 1 failed (10 payment")
    assert held.months[1].label.startswith("February 2025 — next to close")
    flow.started(start())  # retried from the Error log: the close follows the company
    assert flow.period == FEBRUARY
    assert flow.period_summary() == ("Posted through January 2025. This close covers "
                                     "1 Feb 2025 to 28 Feb 2025.")
    flow.started(held)
    flow.choose_period(JANUARY)  # chosen by the bookkeeper: it stays
    flow.started(start())
    assert flow.period == JANUARY
    later = (UnfinishedMonth(date(2025, 2, 1), not_sent=2),)  # not before the next month
    assert CloseStart(found, month_choices(found, later), SourceOrigin(), Leftover(),
                      later).default_period == FEBRUARY


def test_steps_open_in_order_and_each_says_why_not():
    flow = CloseFlow()
    flow.started(start())
    assert [flow.allowed(s) for s in STEPS] == [True, True, True, False, False, False]
    assert "Pre-flight" in flow.why_not("preview")
    assert flow.next_text() == "Next: Import"
    flow.go("preview")
    assert flow.step == "period"  # refused
    flow.go("import")
    assert flow.done("period") and flow.next_text() == "Next: Pre-flight"
    flow.check = check()
    assert [flow.allowed(s) for s in STEPS] == [True, True, True, True, True, False]
    flow.go("post")
    assert flow.next_step() is None and flow.previous_step() == "preview"
    unmapped = CloseFlow()
    unmapped.started(start(mapped=False))
    assert "Map the data" in unmapped.why_not("preflight")


def test_post_is_enabled_only_when_there_is_something_safe_to_send():
    flow = CloseFlow()
    flow.started(start())
    assert "Pre-flight" in flow.why_not_post()
    stop = Issue("error", "target_deleted", "Account 'Tuition': deleted", "map another one")
    flow.check = check(issues=(stop,), stopping=(stop,))
    assert "stop the post" in flow.why_not_post()
    flow.check = check(operations=0)
    assert flow.why_not_post().startswith("Nothing to send")
    flow.check = check()
    assert flow.why_not_post() is None
    assert flow.why_not_post("Undoing run 3 (Lakeview)").startswith("Undoing run 3")
    assert flow.post_text() == "Post 2 operation(s) to QuickBooks"
    assert "debits 20.00 = credits 20.00" in flow.ready_text()
    flow.closed_choice = "export"
    assert "Choose the file" in flow.why_not_post()
    flow.export_file = Path("/tmp/held.csv")
    assert flow.why_not_post() is None


def test_work_left_by_an_earlier_run_is_said_before_posting():
    left = Leftover(not_sent=3, in_doubt=1, run_id=7, run_status="cancelled")
    flow = CloseFlow()
    flow.started(start(left))
    flow.check = check()
    text = flow.ready_text()
    assert "Run 7 (cancelled) left work to finish: 3 record(s) it did not send will be sent " \
        "first; 1 whose answer never arrived will be looked up in QuickBooks first" in text
    flow.check = check(operations=0)
    assert flow.why_not_post() is None  # the one in doubt is resolved by the post


def test_the_closed_period_choice_is_spoken_as_chosen():
    closed = Issue("error", "closed_period", "2 record(s) are dated on or before 2025-02-10",
                   "hold them", blocks=("je:0", "je:1"))
    flow = CloseFlow()
    flow.started(start())
    flow.check = check(issues=(closed,), closed=("je:0", "je:1"))
    assert flow.why_not_post() is None  # the choice decides; it does not stop the post
    assert flow.closed_text().startswith("2 record(s) dated on or before 10 Feb 2025 "
                                         "(books closed) are held")
    flow.closed_choice = "redate"
    assert "re-dated to 11 Feb 2025, with a memo" in flow.closed_text()
    problem = flow.check.problems[0]
    assert problem.action.kind == "closed_period" and not problem.stops_post


def test_a_post_moves_the_close_to_its_result_and_asks_for_a_new_preview():
    flow = CloseFlow()
    flow.started(start())
    flow.check = check()
    flow.go("post")
    flow.post_started()
    assert flow.posting and not flow.allowed("period") and flow.allowed("post")
    assert flow.why_not_post() == "Posting…"
    flow.post_ended(None, "Nothing was sent: another post is running.")
    assert flow.step == "post" and flow.post_error and flow.why_not_post() is None
    flow.post_started()
    flow.post_ended(report_of_one_post())
    assert flow.step == "result" and flow.check is None and flow.allowed("result")
    assert not flow.allowed("preview") and flow.previous_step() == "preflight"


def report_of_one_post():
    from app.posting import PostReport
    from app.sync.poster import PostSummary

    return PostReport(FEBRUARY, summary=PostSummary(total=2, posted=2), run_id=4,
                      run_status="finished")


def test_post_and_result_are_ticked_only_for_a_run_that_sent_everything():
    from app.posting import PostReport
    from app.reconciliation import Reconciliation
    from app.sync.poster import PostSummary

    flow = CloseFlow()
    flow.started(start())
    cancelled = PostReport(FEBRUARY, summary=PostSummary(total=246, posted=0,
                                                         was_cancelled=True), run_id=5)
    flow.post_started()
    flow.post_ended(cancelled)
    flow.reconciliation = Reconciliation(FEBRUARY, records_checked=1)
    assert (flow.mark("post"), flow.mark("result")) == (" ⚠", " ⚠")
    assert flow.last_run_text().startswith("The last run (run 5) was cancelled after 0 of 246")
    failed = PostReport(FEBRUARY, summary=PostSummary(total=3, posted=2, failed=1), run_id=6)
    flow.post_started()
    assert flow.mark("post") == "" and flow.last_run_text() == ""  # running: its pane shows
    flow.post_ended(failed)
    assert flow.mark("post") == " ⚠" and "left some to look at" in flow.last_run_text()
    assert flow.mark("result") == ""  # reconciling
    flow.post_started()
    flow.post_ended(report_of_one_post())
    assert flow.mark("post") == " ✓" and flow.mark("result") == ""
    flow.reconciliation = Reconciliation(FEBRUARY, records_checked=2)
    assert flow.mark("result") == " ✓"
    assert flow.last_run_text() == "The last run (run 4) sent all 2 record(s)."


def test_a_result_whose_run_was_undone_from_runs_is_no_longer_ticked():
    from dataclasses import replace

    from app.reconciliation import Reconciliation

    flow = CloseFlow()
    flow.started(start())
    flow.post_started()
    flow.post_ended(report_of_one_post())
    flow.reconciliation = Reconciliation(FEBRUARY, records_checked=2)
    assert flow.mark("result") == " ✓" and flow.undone_text() == ""
    assert not flow.started(start())  # read again, nothing undone: the reconciliation stands
    assert flow.reconciliation is not None
    undone = start()
    undone = replace(undone, outlook=replace(undone.outlook, undone=((4, 7),)))
    assert flow.started(undone)  # Runs → Undo run 4: QuickBooks must be read again
    assert flow.reconciliation is None and flow.step == "result"
    assert flow.undone_text().startswith("Run 4 was undone by run 7:")
    assert (flow.mark("post"), flow.mark("result")) == (" ⚠", " ⚠")
    assert flow.last_run_text() == "The last run (run 4) sent all 2 record(s); run 7 undid it."
    flow.reconciliation = Reconciliation(FEBRUARY, records_checked=2)
    assert not flow.started(undone)  # seen already: the new reading stays
    assert flow.reconciliation is not None and flow.mark("result") == " ⚠"
