"""The worked example of docs/accounting-detailed.md, kept true by a test.

The Lee family in March 2026, synced twice (1-15 March, 16-31 March), then July.
"""

from __future__ import annotations

from datetime import date

from app.accounting.detailed import plan_detailed
from app.accounting.preview import build_preview
from app.domain.dataset import Dataset
from app.domain.records import (
    Charge,
    Customer,
    Location,
    Participant,
    Payment,
    Program,
    Refund,
    TaxRate,
)
from app.plan.plan import Period

from .helpers import D, lines, mapping, op, post

FIRST = Period(date(2026, 3, 1), date(2026, 3, 15))
SECOND = Period(date(2026, 3, 16), date(2026, 3, 31))
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))
CONFIG = mapping(deferred_revenue=True)

SETUP = [
    Customer("C1", "Dana Lee", "Dana", "Lee", "dana@example.com"),
    Participant("P1", "Ava", "Lee", "C1"),
    Participant("P2", "Sam", "Lee", "C1"),
    Location("L1", "Downtown"),
    TaxRate("T1", "County", D("6.25")),
    Program("SW1", "Swim Level 1", "Swim", "L1", D("120.00"), date(2026, 3, 2)),
    Program("TS1", "Swim T-shirt", "Swim", "L1", D("20.00")),
    Program("CA1", "Summer Camp", "Camp", "L1", D("350.00"), date(2026, 7, 1)),
]
MARCH_1 = [
    Charge("CH1", "O-1001", "P1", "SW1", date(2026, 3, 2), D("120.00")),
    Charge("CH2", "O-1001", "P1", "TS1", date(2026, 3, 2), D("20.00"), tax_rate_id="T1",
           tax_amount=D("1.25")),
    Charge("CH3", "O-1002", "P2", "CA1", date(2026, 3, 4), D("350.00")),
    Payment("PA1", date(2026, 3, 3), "card", D("141.25"), "C1", order_id="O-1001"),
    Payment("PA2", date(2026, 3, 5), "check", D("200.00"), "C1", order_id="O-1002"),
]
MARCH_2 = [
    Charge("CH1", "O-1001", "P1", "SW1", date(2026, 3, 2), D("120.00")),
    Charge("CH2", "O-1001", "P1", "TS1", date(2026, 3, 2), D("20.00"), tax_rate_id="T1",
           tax_amount=D("1.25"), status="removed", removed_date=date(2026, 3, 20)),
    Charge("CH3", "O-1002", "P2", "CA1", date(2026, 3, 4), D("350.00")),
    Charge("CH4", "O-1002", "P2", "SW1", date(2026, 3, 25), D("120.00")),
    Payment("PA1", date(2026, 3, 3), "card", D("141.25"), "C1", order_id="O-1001"),
    Payment("PA2", date(2026, 3, 5), "check", D("200.00"), "C1", order_id="O-1002"),
    Refund("R1", "PA1", date(2026, 3, 20), D("21.25")),
    Payment("PA3", date(2026, 3, 28), "card", D("270.00"), "C1", order_id="O-1002"),
]


def runs():
    first = plan_detailed(Dataset.from_records(SETUP + MARCH_1), CONFIG, {}, FIRST)
    ledger = post(first)
    second = plan_detailed(Dataset.from_records(SETUP + MARCH_2), CONFIG, ledger, SECOND)
    ledger = post(second, ledger)
    july = plan_detailed(Dataset.from_records(SETUP + MARCH_2), CONFIG, ledger, JULY)
    return first, second, july


def test_worked_example_records_and_lines():
    first, second, july = runs()
    assert [o.key for o in first.operations] == [
        "item:deferred:CA1", "item:program:SW1", "item:program:TS1", "item:tax:T1",
        "customer:C1", "customer:participant:P1", "customer:participant:P2",
        "invoice:order:O-1001", "invoice:order:O-1002", "payment:PA1", "payment:PA2"]
    assert lines(op(first, "invoice:order:O-1001")) == [
        ("item:program:SW1", D("120.00"), "500"), ("item:program:TS1", D("20.00"), "500"),
        ("item:tax:T1", D("1.25"), "500")]
    assert lines(op(first, "invoice:order:O-1002")) == [("item:deferred:CA1", D("350.00"), "500")]
    assert [(o.action, o.key) for o in second.operations] == [
        ("update", "invoice:order:O-1002"), ("create", "payment:PA3"),
        ("create", "creditmemo:order:O-1001:c1"), ("create", "je:refund_credit:R1")]
    assert lines(op(second, "invoice:order:O-1002")) == [
        ("item:deferred:CA1", D("350.00"), "500"), ("item:program:SW1", D("120.00"), "500")]
    assert lines(op(second, "creditmemo:order:O-1001:c1")) == [
        ("item:program:TS1", D("20.00"), "500"), ("item:tax:T1", D("1.25"), "500")]
    assert lines(op(july, "je:deferred:CA1")) == [("Debit", "Deferred Revenue", D("350.00")),
                                                 ("Credit", "Camp", D("350.00"))]
    for plan_ in (first, second, july):
        assert build_preview(plan_).balanced


if __name__ == "__main__":  # print every record for the document
    import json

    for plan_ in runs():
        print("=" * 70, plan_.period)
        print(build_preview(plan_).as_text())
        for operation in plan_.operations:
            print(f"--- {operation.action} {operation.entity} {operation.key}")
            print(json.dumps(operation.payload, default=str, indent=1))
