from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.domain.codec import record_from_json, record_to_json
from app.domain.dataset import Dataset
from app.domain.records import Charge, Payment, PaymentAllocation, is_valid_tender

amounts = st.decimals(min_value=-10**7, max_value=10**7, places=2, allow_nan=False)
ids = st.text(min_size=1, max_size=12)


@given(ids, ids, amounts, st.dates(), st.none() | amounts)
def test_charge_round_trips_exactly(charge_id, order_id, amount, day, tax):
    charge = Charge(charge_id, order_id, "P1", "PR1", day, amount, tax_amount=tax)
    assert record_from_json("charge", record_to_json(charge)) == charge


def test_json_form_has_no_floats():
    payment = Payment("PAY1", date(2026, 3, 1), "card", Decimal("10.10"), customer_id="C1")
    data = record_to_json(payment)
    assert data["amount"] == "10.10" and data["date"] == "2026-03-01"
    assert all(isinstance(v, str | type(None)) for v in data.values())


def test_dataset_groups_and_sorts():
    allocations = [
        PaymentAllocation("PAY2", "PR1", Decimal("5")),
        PaymentAllocation("PAY1", "PR2", Decimal("3")),
        PaymentAllocation("PAY1", "PR1", Decimal("2")),
    ]
    dataset = Dataset.from_records(allocations, missing=["payment:PAY9"])
    assert [a.program_id for a in dataset.allocations_by_payment["PAY1"]] == ["PR1", "PR2"]
    assert "payment:PAY9" in dataset.missing


def test_tenders():
    assert is_valid_tender("card") and is_valid_tender("gift_card")
    assert is_valid_tender("custom:Venmo")
    assert not is_valid_tender("custom:") and not is_valid_tender("visa")
