"""SPEC §3a: one invoice per order at participant level, tax lines, $0 invoices."""

from __future__ import annotations

from app.accounting.detailed.names import doc_number

from .helpers import AR, CAMP, SWIM, TAX, D, books, charge, dataset, day, lines, op, plan


def test_one_invoice_per_order_with_a_line_per_active_charge():
    p = plan(dataset(
        charge("X1", "O1", "200.00", day(5), quantity=D(2), unit_price=D("100.00"),
               tax="10.00", description="Swim Level 1 - Ava"),
        charge("X2", "O1", "150.00", day(3), program="CA1"),
        charge("X3", "O1", "80.00", day(4), status="removed", removed_date=day(4)),
    ))
    invoice = op(p, "invoice:order:O1")
    assert invoice.payload["TxnDate"] == "2026-03-03"  # the first charge date
    assert invoice.payload["DocNumber"] == "O1"
    assert invoice.payload["ARAccountRef"]["value"] == "1"
    assert "Ledgerbridge invoice:order:O1" in invoice.payload["PrivateNote"]
    first, second, tax = invoice.payload["Line"]
    assert second["Description"] == "Swim Level 1 - Ava (cart line X1)"
    detail = second["SalesItemLineDetail"]
    assert detail["ItemRef"] == {"$ref": "item:program:SW1"}
    assert (detail["Qty"], detail["UnitPrice"], second["Amount"]) == (D(2), D("100.00"),
                                                                       D("200.00"))
    assert detail["ClassRef"] == {"value": "500", "name": "Downtown L1"}
    assert detail["ServiceDate"] == "2026-03-05"
    assert detail["TaxCodeRef"] == {"value": "NON"}
    assert first["SalesItemLineDetail"]["ItemRef"] == {"$ref": "item:program:CA1"}
    assert tax["SalesItemLineDetail"]["ItemRef"] == {"$ref": "item:tax:T1"}
    assert tax["Amount"] == D("10.00")
    assert tax["Description"] == "Sales tax County (cart line X1)"
    assert invoice.amount == D("360.00") == sum(line["Amount"] for line in invoice.payload["Line"])
    assert books(p) == {AR: D("360.00"), SWIM: D("-200.00"), CAMP: D("-150.00"),
                        TAX: D("-10.00")}


def test_zero_dollar_invoice_is_still_sent():
    p = plan(dataset(charge("X1", "O1", "0.00", day(3), description="Scholarship")))
    invoice = op(p, "invoice:order:O1")
    assert invoice.amount == D("0.00")
    assert lines(invoice) == [("item:program:SW1", D("0.00"), "500")]


def test_doc_number_is_shortened_deterministically_to_21_characters():
    long_id = "cart-2026-03-0000012345-family-lee"
    p = plan(dataset(charge("X1", long_id, "10.00", day(3)),
                     charge("X2", long_id + "-b", "10.00", day(3))))
    first = op(p, f"invoice:order:{long_id}").payload["DocNumber"]
    second = op(p, f"invoice:order:{long_id}-b").payload["DocNumber"]
    assert len(first) == len(second) == 21
    assert first != second and first == doc_number(long_id)
    assert first.startswith("cart-2026-0")


def test_an_order_for_two_children_gives_each_child_an_invoice():
    p = plan(dataset(charge("X1", "O1", "100.00", day(3)),
                     charge("X2", "O1", "120.00", day(3), participant="P2")))
    assert op(p, "invoice:order:O1").payload["CustomerRef"] == {"$ref": "customer:participant:P1"}
    second = op(p, "invoice:order:O1:participant:P2")
    assert second.payload["CustomerRef"] == {"$ref": "customer:participant:P2"}
    assert second.payload["DocNumber"] == "O1-P2"


def test_events_after_the_period_wait_and_earlier_ones_are_not_replanned():
    p = plan(dataset(charge("X1", "O1", "100.00", day(3)),
                     charge("X2", "O2", "100.00", day(2, 4)),
                     charge("X3", "O3", "100.00", day(27, 2))))
    assert {o.key for o in p.operations if o.entity == "Invoice"} == {"invoice:order:O1"}


def test_creation_order_and_dependencies():
    from .helpers import payment, refund

    p = plan(dataset(charge("X1", "O1", "100.00", day(3)), payment("PA1", "O1", "150.00", day(4)),
                     refund("R1", "PA1", "50.00", day(6))))
    entities = [o.entity for o in p.operations]
    assert entities == ["Item", "Customer", "Customer", "Invoice", "Payment", "JournalEntry"]
    keys = [o.key for o in p.operations]
    for position, operation in enumerate(p.operations):
        assert all(keys.index(dep) < position for dep in operation.depends_on if dep in keys)
    assert op(p, "payment:PA1").depends_on == ("customer:participant:P1", "invoice:order:O1")


def test_nothing_before_the_go_live_date_is_posted():
    from dataclasses import replace

    from .helpers import mapping, payment

    config = replace(mapping(), go_live=day(10))
    p = plan(dataset(charge("X1", "O1", "100.00", day(3)), charge("X2", "O2", "50.00", day(12)),
                     payment("PA1", "O1", "100.00", day(11))), config=config)
    assert {o.key for o in p.operations if o.entity == "Invoice"} == {"invoice:order:O2"}
    assert op(p, "payment:PA1").payload["Line"] == []
    [issue] = [i for i in p.issues if i.code == "invoice_not_in_quickbooks"]
    assert "before the go-live date" in issue.fix
