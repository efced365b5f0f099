"""Undo from the Runs screen, without widgets: may it be asked, the preview in words."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from app.accounting.preview import build_preview
from app.plan.operations import Operation
from app.plan.plan import Plan
from app.plan.postings import credit, debit
from app.sync.runs import RunRow
from app.undo import LaterRunsBuildOnIt
from app.undo_view import refusal_of, totals_text, undo_preview_view, why_not_undo


def run(id_: int, kind: str = "post", status: str = "finished", undoes: int | None = None,
        counts: dict[str, int] | None = None) -> RunRow:
    return RunRow(id_, kind, date(2025, 1, 1), date(2025, 1, 31), datetime(2025, 2, 1),
                  datetime(2025, 2, 1), status, {"posted": 3} if counts is None else counts, 0,
                  None, undoes)


def test_which_runs_may_be_undone_and_why_not():
    runs = [run(1), run(2, "resync"), run(3), run(4, "undo", undoes=3), run(5, status="running"),
            run(6, counts={"failed": 2})]
    assert why_not_undo(runs[0], runs, "connected") == ""
    assert "only Ledgerbridge's own ledger" in why_not_undo(runs[1], runs, "connected")
    assert why_not_undo(runs[2], runs, "connected") == "Run 3 was undone already (run 4)."
    assert why_not_undo(runs[3], runs, "connected") == ""  # an undo can be undone
    assert "still running" in why_not_undo(runs[4], runs, "connected")
    assert "put nothing in QuickBooks" in why_not_undo(runs[5], runs, "connected")
    assert "sign in again" in why_not_undo(runs[0], runs, "reauthorisation_needed")
    assert "one piece of work at a time" in why_not_undo(runs[0], runs, "connected", "Retry")


def test_the_preview_groups_what_happens_to_each_record():
    operations = (
        Operation("delete", "Payment", "payment:P1", {}, "Delete Payment 7 (undo of run 1)",
                  txn_date=date(2025, 1, 5), amount=Decimal("50.00"),
                  postings=(debit("Accounts Receivable (A/R)", Decimal("50.00")),
                            credit("Undeposited Funds", Decimal("50.00")))),
        Operation("update", "Invoice", "invoice:O1", {"Line": []}, "Restore Invoice"),
        Operation("deactivate", "Customer", "customer:F1", {"Active": False}, "Make inactive"),
    )
    view = undo_preview_view(1, build_preview(Plan(operations)), ["Account X stays"])
    assert view.headline == "Undo of run 1: 1 deleted, 1 restored, 1 made inactive."
    assert [line.effect for line in view.lines] == ["Deleted", "Restored as before the run",
                                                    "Made inactive"]
    assert view.keys == ("payment:P1", "invoice:O1", "customer:F1")
    assert view.notes == ("Account X stays",)
    assert totals_text(view).startswith("Effect on the books: debits 50.00, credits 50.00 "
                                        "(balanced)")
    empty = undo_preview_view(2, build_preview(Plan(())), [])
    assert empty.nothing_to_undo and "Nothing to undo" in empty.headline


def test_a_refused_undo_says_which_later_run_to_undo_first():
    refusal = refusal_of(1, LaterRunsBuildOnIt(1, {3: "invoice:O7", 2: "payment:P9"}))
    assert refusal.title == "Run 1 cannot be undone yet"
    assert refusal.reason.startswith("Later runs build on what it posted: run 2 (payment:P9); "
                                     "run 3 (invoice:O7).") and "half undone" in refusal.reason
    assert refusal.fix == "Undo run 3 and run 2 first (the latest first), then run 1."
    unknown = refusal_of(9, LookupError("there is no run 9: see `ledgerbridge runs`"))
    assert unknown.title == "Run 9 cannot be undone" and unknown.fix == ""
