"""Ledgers as registration systems export them (issue 14, shapes 1-4 and 8).

Each test is a small hand-made file; each asserts the records made, and where the file
has a totals row, that the imported money equals it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from app.domain.records import Payment
from app.importers.validate import KnownRecords
from tests.importers.ledger_helpers import (
    JR_HEADER,
    by_id,
    errors,
    import_text,
    jr_preset,
    ledger_preset,
    net_money,
    warnings,
)

D = Decimal

# --- 1. a mixed ledger with a type column; the sign from the type or the amount -----------

MIXED = JR_HEADER + """
1001,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa
1002,F2,Jones,Sam Jones,1/6/2025,Payment,Tuition,Uptown,"$1,250.00",Check
1003,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($25.00),Visa
1004,F2,Jones,Sam Jones,1/10/2025,Refund,Tuition,Uptown,$50.00,Check
1005,F3,Ng,Kai Ng,1/11/2025,Payment,Tuition,Downtown,$80.00,Cash
1006,F3,Ng,Kai Ng,1/12/2025,Void,Tuition,Downtown,($80.00),Cash
1007,F1,Smith,Emma Smith,1/13/2025,Fee,Recital Fee,Downtown,$40.00,
1008,F1,Smith,Emma Smith,1/14/2025,Discount,Tuition,Downtown,$10.00,
1009,F2,Jones,Sam Jones,1/15/2025,Credit,Tuition,Uptown,$15.00,
1010,F3,Ng,Kai Ng,1/16/2025,Gift Card,Tuition,Downtown,$20.00,
"""


def test_the_type_column_decides_the_record_and_the_sign_does_not_matter(tmp_path: Path) -> None:
    result = import_text(tmp_path, MIXED, jr_preset())
    assert result.ok, errors(result)
    payments = by_id(result, "payment")
    assert {k: (p.tender, p.amount, p.status) for k, p in payments.items()} == {
        "1001": ("card", D("125.00"), "completed"), "1002": ("check", D("1250.00"), "completed"),
        "1005": ("cash", D("80.00"), "voided"), "1008": ("coupon", D("10.00"), "completed"),
        "1009": ("house_credit", D("15.00"), "completed"),
        "1010": ("gift_card", D("20.00"), "completed")}
    refunds = by_id(result, "refund")
    assert {k: (r.payment_id, r.amount, r.date) for k, r in refunds.items()} == {
        "1003": ("1001", D("25.00"), date(2025, 1, 9)),  # written ($25.00)
        "1004": ("1002", D("50.00"), date(2025, 1, 10))}  # written $50.00: the type decides
    charge = result.records["charge"][0]
    assert (charge.charge_id, charge.order_id, charge.participant_id, charge.program_id,
            charge.amount) == ("1007", "1007", "Emma Smith", "Recital Fee", D("40.00"))
    allocations = by_id(result, "payment_allocation")
    assert allocations["1002|Tuition|Uptown|"].amount == D("1250.00")
    assert payments["1001"].customer_id == "F1" and payments["1001"].participant_id is None
    assert net_money(result) == D("1345.00")


def test_without_a_type_column_the_sign_decides(tmp_path: Path) -> None:
    text = """Trans ID,Date,Family,Class,Amount,Method
P1,02/03/2025,Lee,Swim,120.00,Visa
P2,02/04/2025,Lee,Swim,(20.00),Visa
P3,02/05/2025,Ng,Dance,-$45.00,Cash
P4,02/01/2025,Ng,Dance,45.00,Cash
"""
    columns = {"payment": {"payment_id": "Trans ID", "date": "Date", "amount": "Amount",
                           "tender": "Method"},
               "customer": {"name": "Family"}, "program": {"name": "Class"}}
    result = import_text(tmp_path, text, ledger_preset(columns))
    assert result.ok, errors(result)
    assert sorted(by_id(result, "payment")) == ["P1", "P4"]
    refunds = by_id(result, "refund")
    assert {k: (r.payment_id, r.amount) for k, r in refunds.items()} == {
        "P2": ("P1", D("20.00")), "P3": ("P4", D("45.00"))}


def test_an_unknown_row_type_names_the_value_and_the_map_and_skip_is_listed(
        tmp_path: Path) -> None:
    text = JR_HEADER + "\n1001,F1,Smith,Emma Smith,1/5/2025,Adjustment,Tuition,Downtown,$5.00,\n"
    result = import_text(tmp_path, text, jr_preset())
    assert [(row, column) for row, column, _ in errors(result)] == [(2, "Trans Type")]
    assert "'Adjustment'" in errors(result)[0][2] and "row_kind" in errors(result)[0][2]
    result = import_text(tmp_path, text, jr_preset(kinds={"Adjustment": "skip"}))
    assert result.ok and not result.records.get("payment")
    assert result.files[0]["skipped"] == [{"row": 2, "text": (
        "1001 | F1 | Smith | Emma Smith | 1/5/2025 | Adjustment | Tuition | Downtown | $5.00"),
        "reason": "row type 'Adjustment' is set to skip in the preset"}]


# --- 2. refunds and voids: by reference, by transaction, else by payer and amount ---------

def _jr(*rows: str) -> str:
    return JR_HEADER + "\n" + "\n".join(rows) + "\n"


def test_a_reference_column_names_the_payment(tmp_path: Path) -> None:
    text = ("Trans ID,Original Trans ID,Family Name,Trans Date,Trans Type,Amount,"
            "Payment Method\n"
            "1,,Lee,1/5/2025,Payment,125.00,Visa\n2,,Lee,1/6/2025,Payment,125.00,Visa\n"
            "3,1,Lee,1/9/2025,Refund,-125.00,Visa\n")
    columns = {"payment": {"payment_id": "Trans ID", "date": "Trans Date",
                           "amount": "Amount", "tender": "Payment Method"},
               "customer": {"name": "Family Name"},
               "refund": {"payment_id": "Original Trans ID"}}
    result = import_text(tmp_path, text, ledger_preset(columns, row_kind="Trans Type"))
    assert result.ok and result.records["refund"][0].payment_id == "1"
    assert not any("matched" in w for w in warnings(result))


def test_a_refund_carrying_its_payments_transaction_id(tmp_path: Path) -> None:
    result = import_text(tmp_path, _jr(
        "1001,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "1001,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($25.00),Visa",
        "1001,F1,Smith,Emma Smith,1/20/2025,Refund,Tuition,Downtown,($30.00),Visa"),
        jr_preset())
    assert result.ok, errors(result)
    assert {r.refund_id: r.payment_id for r in result.records["refund"]} == {
        "1001/refund/2025-01-09": "1001", "1001/refund/2025-01-20": "1001"}
    assert len(result.records["payment"]) == 1


def test_a_refund_matched_by_payer_and_amount_is_stated(tmp_path: Path) -> None:
    result = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "2,F2,Jones,Sam Jones,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "3,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($125.00),Visa"), jr_preset())
    assert result.ok and result.records["refund"][0].payment_id == "1"
    stated = [i for i in result.issues if "matched to payment 1 " in i.reason]
    assert len(stated) == 1 and stated[0].row == 4 and stated[0].severity == "warning"


def test_several_candidates_that_post_differently_are_an_error(tmp_path: Path) -> None:
    result = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "2,F1,Smith,Emma Smith,1/6/2025,Payment,Tuition,Downtown,$125.00,Cash",
        "3,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($125.00),Visa"), jr_preset())
    [(row, _, reason)] = errors(result)
    assert row == 4 and "1 on 2025-01-05" in reason and "2 on 2025-01-06" in reason
    assert "refund.payment_id" in reason


def test_candidates_that_post_alike_take_the_latest_and_say_so(tmp_path: Path) -> None:
    result = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "2,F1,Smith,Emma Smith,2/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "3,F1,Smith,Emma Smith,3/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "4,F1,Smith,Emma Smith,2/9/2025,Refund,Tuition,Downtown,($125.00),Visa"), jr_preset())
    assert result.ok and result.records["refund"][0].payment_id == "2"  # not the March one
    assert any("the latest of 2 payments" in w for w in warnings(result))


def test_a_partial_refund_fits_one_payment_or_is_an_error(tmp_path: Path) -> None:
    one = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "2,F1,Smith,Emma Smith,1/6/2025,Payment,Tuition,Downtown,$10.00,Visa",
        "3,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($25.00),Visa"), jr_preset())
    assert one.ok and one.records["refund"][0].payment_id == "1"
    two = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "2,F1,Smith,Emma Smith,1/6/2025,Payment,Recital,Downtown,$60.00,Visa",
        "3,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($25.00),Visa"), jr_preset())
    assert "2 payments it could be of" in errors(two)[0][2]


def test_a_refund_with_no_payment_to_match_is_an_error(tmp_path: Path) -> None:
    result = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/10/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "2,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($25.00),Visa",
        "3,F2,Jones,Sam Jones,1/9/2025,Refund,Tuition,Downtown,($25.00),Visa"), jr_preset())
    rows = [(row, reason) for row, _, reason in errors(result)]
    assert [row for row, _ in rows] == [3, 4]  # a refund before the payment is no match
    assert all("no payment of at least 25.00 on or before 2025-01-09" in r for _, r in rows)


def _stored(status: str = "completed") -> KnownRecords:
    payment = Payment("900", date(2024, 12, 20), "card", D("125.00"), customer_id="F1",
                      status=status)
    return KnownRecords(ids={"payment": {"900"}, "customer": {"F1"},
                             "payment_allocation": {"900|Tuition|Downtown|"}},
                        payment_amounts={"900": D("125.00")},
                        load_payments=lambda: {"900": payment})


def test_refunds_and_voids_of_a_payment_imported_earlier(tmp_path: Path) -> None:
    refund = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/9/2025,Refund,Tuition,Downtown,($25.00),Visa"),
        jr_preset(), known=_stored())
    assert refund.ok and refund.records["refund"][0].payment_id == "900"
    assert any("an earlier import" in w for w in warnings(refund))
    void = import_text(tmp_path, _jr(
        "2,F1,Smith,Emma Smith,1/9/2025,Void,Tuition,Downtown,($125.00),Visa"),
        jr_preset(), known=_stored())
    assert void.ok, errors(void)
    assert [(p.payment_id, p.status) for p in void.records["payment"]] == [("900", "voided")]
    assert "refund" not in void.records


def test_a_void_is_of_the_whole_payment(tmp_path: Path) -> None:
    result = import_text(tmp_path, _jr(
        "1,F1,Smith,Emma Smith,1/5/2025,Payment,Tuition,Downtown,$125.00,Visa",
        "2,F1,Smith,Emma Smith,1/6/2025,Void,Tuition,Downtown,($25.00),Visa",
        "1,F1,Smith,Emma Smith,1/7/2025,Void,Tuition,Downtown,($60.00),Visa"), jr_preset())
    reasons = [reason for _, _, reason in errors(result)]
    assert len(reasons) == 2  # no payment of 25.00 to void; 60.00 is not all of payment 1
    assert "no payment of at least 25.00" in reasons[0]
    assert "a void is of the whole payment" in reasons[1]


# --- 3. one payment over several rows ----------------------------------------------------

SPLIT = """Invoice #,Date,Family,Item,Location,Amount,Tax,Method
INV-1,02/03/2025,Lee,Swim Level 1,North,100.00,0.00,Visa
INV-1,02/03/2025,Lee,Goggles,North,20.00,1.60,Visa
INV-1,02/03/2025,Lee,Sibling discount,North,-10.00,0.00,Visa
INV-2,02/04/2025,Patel,Swim Level 2,South,150.00,0.00,Cash
INV-2,02/04/2025,Patel,Swim Level 2,South,150.00,0.00,Cash
INV-3,02/05/2025,Patel,Goggles,South,-20.00,-1.60,Cash
Total,,,,,390.00,0.00,
"""
SPLIT_COLUMNS = {
    "payment": {"payment_id": "Invoice #", "date": "Date", "amount": "Amount",
                "tender": "Method"},
    "customer": {"name": "Family"}, "program": {"name": "Item"},
    "location": {"name": "Location"}, "payment_allocation": {"tax_amount": "Tax"}}


def _split(**shape: object) -> object:
    return ledger_preset(SPLIT_COLUMNS, group_by="Invoice #",
                         fixed={"tax_rate.name": "Sales tax"}, **shape)


def test_item_rows_of_one_transaction_are_one_payment_with_one_allocation_each(
        tmp_path: Path) -> None:
    result = import_text(tmp_path, SPLIT, _split())  # type: ignore[arg-type]
    assert result.ok, errors(result)
    payments = by_id(result, "payment")
    assert {k: p.amount for k, p in payments.items()} == {"INV-1": D("111.60"),
                                                         "INV-2": D("300.00")}
    lines = {(a.payment_id, a.program_id): (a.amount, a.tax_amount, a.location_id,
                                            a.tax_rate_id)
             for a in result.records["payment_allocation"]}
    assert lines == {
        ("INV-1", "Swim Level 1"): (D("100.00"), D("0.00"), "North", "Sales tax"),
        ("INV-1", "Goggles"): (D("20.00"), D("1.60"), "North", "Sales tax"),
        ("INV-1", "Sibling discount"): (D("-10.00"), D("0.00"), "North", "Sales tax"),
        ("INV-2", "Swim Level 2"): (D("300.00"), D("0.00"), "South", "Sales tax")}
    refund = result.records["refund"][0]  # the returned goggles, with their tax
    assert (refund.refund_id, refund.payment_id, refund.amount) == ("INV-3", "INV-2",
                                                                    D("21.60"))
    # the file's totals row adds up the Amount column (tax apart): 390.00 + 0.00
    assert net_money(result) == D("390.00") + D("0.00")
    assert not [w for w in warnings(result) if "totals row" in w or "lines added" in w]


def test_the_rows_of_one_payment_must_agree_and_be_allocated_alike(tmp_path: Path) -> None:
    text = SPLIT.replace("INV-1,02/03/2025,Lee,Goggles", "INV-1,02/04/2025,Lee,Goggles")
    result = import_text(tmp_path, text, _split())  # type: ignore[arg-type]
    [(row, column, reason)] = errors(result)
    assert (row, column) == (3, "Date") and "transaction INV-1 differ in Date" in reason
    text = SPLIT.replace("INV-1,02/03/2025,Lee,Goggles", "INV-1,02/03/2025,Lee,")
    result = import_text(tmp_path, text, _split())  # type: ignore[arg-type]
    [(row, column, reason)] = errors(result)
    assert (row, column) == (3, "Item") and "other rows of transaction INV-1" in reason


def test_tax_inside_the_amount_is_split_out(tmp_path: Path) -> None:
    text = "Invoice #,Date,Family,Item,Location,Amount,Tax,Method\n" \
           "INV-1,02/03/2025,Lee,Goggles,North,21.60,1.60,Visa\n"
    result = import_text(tmp_path, text, _split(amount_includes_tax=True))  # type: ignore[arg-type]
    allocation = result.records["payment_allocation"][0]
    assert result.records["payment"][0].amount == D("21.60")
    assert (allocation.amount, allocation.tax_amount) == (D("20.00"), D("1.60"))


# --- 4. totals, subtotals and sections ---------------------------------------------------

SECTIONS = """Payments Report
,
Trans ID,Date,Family,Class,Amount,Method
Downtown
T1,03/03/2025,Lee,Swim,50.00,Cash
T2,03/04/2025,Total Fitness Club,Swim,70.00,Visa
Downtown Subtotal:,,,,120.00,
Uptown
T3,03/05/2025,Ng,Dance,80.00,Visa
Uptown Subtotal:,,,,80.00,
Deleted Payments
T4,03/06/2025,Lee,Swim,30.00,Visa
Failed Payments
T5,03/07/2025,Ng,Dance,45.00,Visa
Total:,,,,200.00,
Report generated:,3/31/2025,,,,
"""
SECTION_COLUMNS = {
    "payment": {"payment_id": "Trans ID", "date": "Date", "amount": "Amount",
                "tender": "Method"},
    "customer": {"name": "Family"}, "program": {"name": "Class"}}


def test_totals_subtotals_and_sections_are_skipped_listed_or_read(tmp_path: Path) -> None:
    result = import_text(tmp_path, SECTIONS, ledger_preset(SECTION_COLUMNS))
    assert result.ok, errors(result)
    payments = by_id(result, "payment")
    assert {k: p.status for k, p in payments.items()} == {
        "T1": "completed", "T2": "completed", "T3": "completed", "T4": "voided",
        "T5": "failed"}
    assert payments["T2"].customer_id == "Total Fitness Club"  # a family, not a total
    assert net_money(result) == D("200.00")  # the file's Total: row
    skipped = [(s["row"], s["reason"]) for s in result.files[0]["skipped"]]
    assert skipped == [
        (1, "title line above the header"), (4, "section heading"), (7, "totals row"),
        (8, "section heading"), (10, "totals row"),
        (11, "section heading: rows under it are voided (deleted) payments"),
        (13, "section heading: rows under it are failed payments"), (15, "totals row"),
        (16, "not a record: no transaction ID, date or amount")]
    assert result.files[0]["rows_read"] == 5 + len(skipped)
    assert not warnings(result) or all("natural key" in w for w in warnings(result))


def test_a_total_that_does_not_match_the_rows_is_a_warning(tmp_path: Path) -> None:
    text = SECTIONS.replace("Total:,,,,200.00", "Total:,,,,210.00")
    result = import_text(tmp_path, text, ledger_preset(SECTION_COLUMNS))
    assert result.ok
    [issue] = [i for i in result.issues if "totals row" in i.reason]
    assert (issue.row, issue.severity, issue.value) == (15, "warning", "210.00")


def test_a_heading_can_name_the_payment_method_of_the_rows_under_it(tmp_path: Path) -> None:
    text = """Trans ID,Date,Family,Amount
Visa
T1,03/03/2025,Lee,50.00
T2,03/04/2025,Ng,70.00
Visa Total:,,,120.00
Check:
T3,03/05/2025,Lee,80.00
"""
    columns = {"payment": {"payment_id": "Trans ID", "date": "Date", "amount": "Amount"},
               "customer": {"name": "Family"}}
    result = import_text(tmp_path, text, ledger_preset(columns, section_field="payment.tender"))
    assert result.ok, errors(result)
    assert {p.payment_id: p.tender for p in result.records["payment"]} == {
        "T1": "card", "T2": "card", "T3": "check"}


# --- 8. payer and participant by name only -----------------------------------------------

def test_families_and_students_by_name(tmp_path: Path) -> None:
    text = """Trans ID,Date,Family,Student,Amount,Method
1,04/01/2025,Smith / Jones,Ada,10.00,Cash
2,04/02/2025,Smith/Jones,Ada Smith,10.00,Cash
3,04/03/2025,"Smith  /  Jones ",Ben Jones,10.00,Cash
4,04/04/2025,,,5.00,Cash
5,04/05/2025,"Lee, Pat","Lee, Kim",10.00,Cash
"""
    columns = {"payment": {"payment_id": "Trans ID", "date": "Date", "amount": "Amount",
                           "tender": "Method"},
               "customer": {"name": "Family"}, "participant": {"full_name": "Student"}}
    result = import_text(tmp_path, text, ledger_preset(columns, walk_in="Walk-in"))
    assert result.ok, errors(result)
    assert sorted(c.customer_id for c in result.records["customer"]) == [
        "Lee, Pat", "Smith / Jones", "Walk-in"]  # one family with two surnames, not two
    students = {p.participant_id: (p.first_name, p.last_name, p.customer_id)
                for p in result.records["participant"]}
    assert students == {"Ada Smith": ("Ada", "Smith", "Smith / Jones"),
                        "Ben Jones": ("Ben", "Jones", "Smith / Jones"),
                        "Kim Lee": ("Kim", "Lee", "Lee, Pat")}
    assert by_id(result, "payment")["4"].customer_id == "Walk-in"
    assert {"customer", "participant"} <= set(result.natural_keys)
    assert any("keyed by name (natural key)" in w for w in warnings(result))
    without = import_text(tmp_path, text, ledger_preset(columns))
    [(row, column, reason)] = errors(without)
    assert (row, column) == (5, "Family") and "walk_in" in reason


def test_a_charge_needs_its_student_in_a_ledger_and_in_a_charges_export(tmp_path: Path) -> None:
    text = JR_HEADER + "\n1007,F1,Smith,,1/13/2025,Fee,Registration,Downtown,$40.00,\n"
    [(row, column, reason)] = errors(import_text(tmp_path, text, jr_preset()))
    assert (row, column) == (2, "Student") and "names no participant (Student)" in reason
    skipped = import_text(tmp_path, text, jr_preset(kinds={"Fee": "skip"}))  # summary style
    assert skipped.ok and "charge" not in skipped.records
    from app.importers.mapping import Preset, TableMapping, TableRule

    charges = {"charge": {"charge_id": "Line", "order_id": "Order", "date": "Date",
                          "amount": "Amount"},
               "participant": {"first_name": "First", "last_name": "Last"},
               "program": {"name": "Class"}}
    preset = Preset("c", (TableRule("*", TableMapping("charge", charges)),))
    result = import_text(tmp_path, "Line,Order,Date,First,Last,Class,Amount\n"
                         "L1,O1,2025-01-05,Kai,Lee,Swim,40.00\nL2,O1,2025-01-05,,,Swim,5.00\n",
                         preset, name="cart.csv")
    assert [(r, c) for r, c, _ in errors(result)] == [(3, "First")]
