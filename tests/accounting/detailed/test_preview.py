"""The preview object built from a plan, its exports, and ``ledgerbridge preview``."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from app.accounting.preview import build_preview, safe_cell
from app.cli import main
from app.plan.operations import Operation
from app.plan.plan import Issue, Period, Plan

from .helpers import AR, CAMP, SWIM, TAX, D, charge, dataset, day, payment, plan, refund

DEMO_MAPPING = Path(__file__).with_name("data") / "demo_detailed.toml"


def _march():  # a small month: invoice, overpayment, partial refund of the credit
    return plan(dataset(charge("X1", "O1", "100.00", day(3), tax="5.00"),
                        charge("X2", "O1", "200.00", day(3), program="CA1"),
                        payment("PA1", "O1", "355.00", day(4)),
                        refund("R1", "PA1", "30.00", day(20))))


def test_operations_grouped_by_kind_with_counts_and_amounts():
    preview = build_preview(_march())
    kinds = {(k.entity, k.action): (k.count, k.amount) for k in preview.kinds}
    assert kinds[("Invoice", "create")] == (1, D("305.00"))
    assert kinds[("Payment", "create")] == (1, D("355.00"))
    assert kinds[("JournalEntry", "create")] == (1, D("30.00"))
    assert kinds[("Customer", "create")] == (2, D("0"))


def test_totals_per_account_and_class_balance():
    preview = build_preview(_march())
    totals = {(t.account, t.class_name): (t.debit, t.credit) for t in preview.totals}
    assert totals[(AR, None)] == (D("335.00"), D("355.00"))
    assert totals[("Merchant Settlement", None)] == (D("355.00"), D("30.00"))
    assert totals[(SWIM, "Riverside Swim:Downtown L1")] == (D("0"), D("100.00"))
    assert totals[(CAMP, "Riverside Swim:Downtown L1")] == (D("0"), D("200.00"))
    assert totals[(TAX, "Riverside Swim:Downtown L1")] == (D("0"), D("5.00"))
    assert preview.balanced and preview.total_debits == preview.total_credits == D("690.00")


def test_journal_entries_without_postings_are_read_from_their_lines():
    entry = Operation("create", "JournalEntry", "je:summary:2026-03-04", {"Line": [
        {"Amount": D("10.00"), "JournalEntryLineDetail": {
            "PostingType": "Debit", "AccountRef": {"value": "4", "name": "Undeposited Funds"}}},
        {"Amount": D("10.00"), "JournalEntryLineDetail": {
            "PostingType": "Credit", "AccountRef": {"$ref": "account:Tuition:Swim"},
            "ClassRef": {"value": "9", "name": "Downtown"}}}]}, "JE", amount=D("10.00"))
    preview = build_preview(Plan((entry,)))
    assert {(t.account, t.class_name, t.debit, t.credit) for t in preview.totals} == {
        ("Undeposited Funds", None, D("10.00"), D("0")),
        ("Tuition:Swim", "Downtown", D("0"), D("10.00"))}


def test_warnings_carry_their_fix_and_exports_neutralise_formulas(tmp_path):
    issue = Issue("error", "unmapped_program", "=HYPERLINK(\"x\") has no income account",
                  "@map it", blocks=("invoice:order:O1",))
    preview = build_preview(Plan((), (issue,), Period(date(2026, 3, 1), date(2026, 3, 31))))
    assert "Fix: @map it" in preview.as_text()
    assert preview.blocking == (issue,) and preview.warnings == ()
    assert preview.held_back == {"invoice:order:O1"}
    # Everything was held back: the preview must not claim QuickBooks is up to date.
    assert "Nothing to send" not in preview.as_text()
    assert "Nothing can be sent until the error below is fixed." in preview.as_text()
    out = tmp_path / "preview.csv"
    preview.write_csv(out)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    issue_row = next(r for r in rows if r[0] == "issue")
    assert issue_row[9].startswith("'=HYPERLINK") and issue_row[10] == "'@map it"
    assert safe_cell("-5") == "'-5" and safe_cell("+1") == "'+1" and safe_cell("ok") == "ok"


def test_empty_plan_says_whether_it_is_up_to_date_or_held_back():
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert "Nothing to send: everything in this period has been posted" in build_preview(
        Plan((), (), period)).as_text()
    note = Issue("warning", "missing_from_export", "gone", "check")
    assert "has been posted" in build_preview(Plan((), (note,), period)).as_text()
    errors = tuple(Issue("error", "unmapped_program", f"P{n} unmapped", "map it",
                         blocks=(f"invoice:order:O{n}",)) for n in range(3))
    text = build_preview(Plan((), (*errors, note), period)).as_text()
    assert "Nothing can be sent until the 3 errors below are fixed." in text
    assert "has been posted" not in text


def test_as_dict_is_json_with_exact_amounts():
    data = build_preview(_march()).as_dict()
    text = json.dumps(data)
    assert data["balanced"] is True and data["total_debits"] == "690.00"
    assert data["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert '"amount": "305.00"' in text


def test_cli_preview_of_imported_demo_data(tmp_path, capsys):
    home = str(tmp_path / "home")
    demo = tmp_path / "demo"
    assert main(["--home", home, "preview"]) == 2
    assert "no company yet" in capsys.readouterr().err
    assert main(["--home", home, "demo-data", "--out", str(demo), "--families", "5",
                 "--months", "2"]) == 0
    assert main(["--home", home, "import", str(demo)]) == 0
    capsys.readouterr()
    assert main(["--home", home, "preview"]) == 2
    assert "no mapping" in capsys.readouterr().err
    assert main(["--home", home, "mapping", "import", str(DEMO_MAPPING)]) == 0
    capsys.readouterr()
    out_csv = tmp_path / "p.csv"
    assert main(["--home", home, "preview", "--from", "2025-01-01", "--to", "2025-02-28",
                 "--json", "--csv", str(out_csv)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["balanced"] is True
    entities = {k["entity"] for k in data["kinds"]}
    assert {"Account", "Item", "Customer", "Invoice", "Payment"} <= entities
    assert out_csv.read_text(encoding="utf-8").startswith("section,kind,key")
    assert main(["--home", home, "preview", "--from", "2025-03-01", "--to", "2025-01-01"]) == 2
