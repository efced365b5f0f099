"""The deposit split report from the source, and its agreement with the summary entries."""

from __future__ import annotations

from datetime import date

from app.accounting.deposit_split import deposit_split, report_csv
from app.domain.records import Charge, Program
from tests.accounting.summary.scenario import (
    MARCH,
    D,
    account_totals,
    dataset,
    entries,
    mapping,
    pay,
    plan_daily,
    refund,
)

DATA = dataset(
    pay("P1", 5, "card", "105.00", ("SW", "100.00", "5.00")),
    pay("P2", 6, "cash", "200.00", ("CA", "200.00", None)),
    pay("P3", 6, "card", "10.00", ("CA", "10.00", None), status="failed"),
    pay("P4", 7, "multiplier", "5.00"),
    pay("P5", 2, "cash", "1.00", ("CA", "1.00", None), month=4),
    refund("R1", "P1", 9, "52.50"),
)


def rows(section_rows):
    return [(r.key, r.location, r.amount, r.refunded, r.net) for r in section_rows]


def test_payments_revenue_and_tax_for_the_period():
    report = deposit_split(DATA, MARCH)
    assert rows(report.payments_by_tender) == [
        ("card", "", D("105.00"), D("52.50"), D("52.50")),
        ("cash", "", D("200.00"), D("0"), D("200.00")),
        ("multiplier", "", D("5.00"), D("0"), D("5.00")),
    ]
    assert rows(report.revenue_by_program) == [
        ("CA", "L2", D("200.00"), D("0"), D("200.00")),
        ("SW", "L1", D("100.00"), D("50.00"), D("50.00")),
    ]
    assert rows(report.tax_by_rate) == [("T1", "L1", D("5.00"), D("2.50"), D("2.50"))]
    assert report.detailed == ()


def test_the_report_agrees_with_the_summary_entries():
    report = deposit_split(DATA, MARCH)
    posted = account_totals(entries(plan_daily(DATA)))
    card = next(r.net for r in report.payments_by_tender if r.key == "card")
    cash = next(r.net for r in report.payments_by_tender if r.key == "cash")
    assert posted["Merchant Settlement"] == card
    assert posted["Undeposited Funds"] == cash
    assert posted["Tuition:Swim Lessons"] == -report.revenue_by_program[1].net
    assert posted["Sales Tax Payable:Tax Rate - County T1"] == -report.tax_by_rate[0].net


def test_csv_export_with_formulas_neutralised():
    data = dataset(Program("XX", "=HYPERLINK()", location_id="-L"),
                   pay("P1", 5, "cash", "5.00", ("XX", "5.00", None)))
    text = report_csv(deposit_split(data, MARCH))
    assert text.splitlines() == ["section,key,label,location,amount,refunded,net",
                                 "tender,cash,cash,,5.00,0.00,5.00",
                                 "revenue,XX,'=HYPERLINK(),'-L,5.00,0.00,5.00"]


def test_detailed_style_adds_income_by_account_ar_and_undeposited_funds():
    charges = [Charge("C1", "O1", "K1", "SW", date(2026, 3, 2), D("100.00"), tax_amount=D("5.00")),
               Charge("C2", "O1", "K1", "CA", date(2026, 3, 2), D("40.00"), status="removed",
                      removed_date=date(2026, 3, 10))]
    data = dataset(charges, pay("P1", 5, "card", "105.00", ("SW", "100.00", "5.00")),
                   refund("R1", "P1", 9, "10.00"))
    report = deposit_split(data, MARCH, mapping(style="detailed"))
    assert [(r.section, r.key, r.amount, r.refunded) for r in report.detailed] == [
        ("income_account", "Tuition:Camp", D("40.00"), D("40.00")),
        ("income_account", "Tuition:Swim Lessons", D("100.00"), D("0")),
        ("balance", "accounts_receivable", D("105.00"), D("105.00")),
        ("balance", "undeposited_funds", D("105.00"), D("10.00")),
    ]
