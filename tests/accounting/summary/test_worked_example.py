"""The worked example in docs/accounting-summary.md is the planner's real output.

The document an accountant reads must not drift from the code: this test plans the Lee
family's February and March (and the later correction) and checks that every entry, as
rendered in the document, is there word for word.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from app.accounting.deposit_split import deposit_split, report_csv
from app.accounting.summary import plan_summary
from app.domain.dataset import Dataset
from app.domain.records import (
    Customer,
    Location,
    Participant,
    Payment,
    PaymentAllocation,
    Program,
    Refund,
    TaxRate,
)
from app.plan.plan import Period, Plan
from tests.accounting.summary.scenario import D, lines_of, mapping, posted

DOC = Path(__file__).resolve().parents[3] / "docs" / "accounting-summary.md"
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
REFERENCE = [
    Customer("C1", "Lee family"), Participant("K1", "Sam", "Lee", "C1"),
    Participant("K2", "Mia", "Lee", "C1"), Location("L1", "Downtown"), Location("L2", "Uptown"),
    Program("SW", "Swim Lessons", category="Swim Lessons", location_id="L1"),
    Program("CA", "Summer Camp", category="Camp", location_id="L2"),
    Program("GC", "Gift Card", category="Gift Cards", kind="gift_card"),
    TaxRate("T1", "County", D("5")),
]


def _pay(pid: str, day: date, tender: str, amount: str, *allocs: tuple[str, str, str | None]):
    records: list[Any] = [Payment(pid, day, tender, D(amount), customer_id="C1")]
    records += [PaymentAllocation(pid, program, D(revenue), tax_rate_id="T1" if tax else None,
                                  tax_amount=D(tax) if tax else None)
                for program, revenue, tax in allocs]
    return records


def _events(camp_deposit: str = "50.00") -> list[Any]:
    return [
        *_pay("P0", date(2026, 2, 10), "card", "84.00", ("SW", "80.00", "4.00")),
        *_pay("P1", date(2026, 3, 2), "card", "105.00", ("SW", "100.00", "5.00")),
        *_pay("P2", date(2026, 3, 2), "cash", camp_deposit, ("CA", camp_deposit, None)),
        *_pay("P3", date(2026, 3, 9), "card", "25.00", ("GC", "25.00", None)),
        *_pay("P4", date(2026, 3, 16), "gift_card", "25.00", ("CA", "25.00", None)),
        *_pay("P5", date(2026, 3, 16), "multiplier", "10.00"),
        Refund("R1", "P1", date(2026, 3, 20), D("52.50")),
        *_pay("P6", date(2026, 3, 23), "echeck", "63.00", ("SW", "60.00", "3.00")),
        Refund("R2", "P6", date(2026, 3, 27), D("63.00"), kind="echeck_return"),
    ]


def _render(plan: Plan) -> list[str]:
    config = mapping(go_live=date(2026, 2, 1))
    blocks = []
    for op in plan.operations:
        p = op.payload
        rows = [f"**{op.key}** — TxnDate {p['TxnDate']}, DocNumber `{p['DocNumber']}`, "
                f"PrivateNote `{p['PrivateNote']}`", "",
                "| # | Debit | Credit | Account | Class | Description |",
                "|---|---:|---:|---|---|---|"]
        for n, (line, (posting, account, klass, amount)) in enumerate(
                zip(p["Line"], lines_of(op, config), strict=True), 1):
            debit, credit = (amount, "") if posting == "Debit" else ("", amount)
            rows.append(f"| {n} | {debit} | {credit} | {account} | {klass or ''} | "
                        f"{line['Description']} |")
        blocks.append("\n".join(rows))
    return blocks


def test_every_entry_of_the_worked_example_is_in_the_document():
    config = mapping(go_live=date(2026, 2, 1))
    data = Dataset.from_records(REFERENCE + _events())
    february = plan_summary(data, config, {}, FEBRUARY)
    ledger = posted(february)
    march = plan_summary(data, config, ledger, MARCH)
    corrected = Dataset.from_records(REFERENCE + _events(camp_deposit="55.00"))
    correction = plan_summary(corrected, config, posted(march, ledger), MARCH)
    assert [op.key for op in correction.operations] == ["je:adjust:2026-03-02:1"]
    text = DOC.read_text(encoding="utf-8")
    blocks = _render(february) + _render(march) + _render(correction)
    assert len(blocks) == 8
    for block in blocks:
        assert block in text, block.splitlines()[0]
    for row in report_csv(deposit_split(data, MARCH, config)).splitlines():
        assert row in text
