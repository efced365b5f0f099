"""The ledger as stored (JSON payloads, amounts as text) read back for the planner."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from app.accounting.ledger_store import load_ledger_view, load_locked_periods
from app.config import resolve_paths
from app.models.company import active_company
from app.models.database import Database
from app.models.jobs import LockedPeriod
from app.models.ledger import LedgerEntry
from app.plan.plan import Period

from .helpers import D, charge, dataset, day, payment, plan, refund


@pytest.fixture
def database(tmp_path):  # type: ignore[no-untyped-def]
    db = Database.open(resolve_paths(tmp_path / "home").ensure())
    yield db
    db.close()


def _as_stored(value: Any) -> Any:
    """What a JSON column keeps: amounts as exact text."""
    if isinstance(value, dict):
        return {k: _as_stored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_stored(v) for v in value]
    return format(value, "f") if isinstance(value, Decimal) else value


def test_a_stored_ledger_plans_nothing_again(database: Database) -> None:
    data = dataset(charge("X1", "O1", "100.00", day(3), tax="5.00"),
                   payment("PA1", "O1", "150.00", day(4)), refund("R1", "PA1", "45.00", day(9)))
    first = plan(data)
    with database.session() as session:
        company = active_company(session, create=True)
        assert company is not None
        for n, op in enumerate(first.operations):
            session.add(LedgerEntry(
                company_id=company.id, key=op.key, entity_type=op.entity, qbo_id=str(n + 1),
                sync_token="0", content_hash=op.hash, state="posted", txn_date=op.txn_date,
                total_amount=op.amount, posted_payload=_as_stored(dict(op.payload))))
        session.add(LockedPeriod(company_id=company.id, period_start=date(2026, 1, 1),
                                 period_end=date(2026, 1, 31)))
    with database.session() as session:
        company = active_company(session)
        assert company is not None
        view = load_ledger_view(session, company.id)
        locked = load_locked_periods(session, company.id)
    assert locked == (Period(date(2026, 1, 1), date(2026, 1, 31)),)
    assert view["payment:PA1"].payload["TotalAmt"] == D("150.00")
    assert view["invoice:order:O1"].payload["Line"][0]["SalesItemLineDetail"]["Qty"] == D(1)
    assert plan(data, dict(view)).is_empty


def test_amounts_read_back_go_through_money_and_a_float_is_refused() -> None:
    """Stored payloads hold amounts as exact text; a JSON number that became a float is not
    money and is refused, not rounded through ``str()`` (SPEC: one constructor, no floats)."""
    from app.domain.money import MoneyError
    from app.plan.payload_text import from_text as _decimals

    read = _decimals({"TotalAmt": "150.10", "Line": [{"Amount": 7, "SalesItemLineDetail": {
        "Qty": "2", "UnitPrice": "3.50"}}], "DocNumber": "12"})
    assert read == {"TotalAmt": D("150.10"), "Line": [{"Amount": D(7), "SalesItemLineDetail": {
        "Qty": D(2), "UnitPrice": D("3.50")}}], "DocNumber": "12"}
    assert isinstance(read["TotalAmt"], Decimal)
    with pytest.raises(MoneyError):
        _decimals({"Line": [{"Amount": 0.1}]})


def test_a_float_in_a_posted_payload_never_compares_equal_to_an_amount() -> None:
    from app.accounting.detailed.ledger_index import _same

    assert _same(D("12.50"), "12.5")
    assert _same(D("12.50"), 12.5) is False  # a float is not money: the record is re-sent


def test_refund_splits_read_from_posted_entries_refuse_floats() -> None:
    """A refund-of-credit entry's amounts read back through ``money`` (no str() detour)."""
    from app.accounting.detailed.context import PlanContext
    from app.accounting.detailed.refunds import _posted_total
    from app.accounting.ledger_view import PostedRecord
    from app.domain.money import MoneyError

    from .helpers import MARCH, mapping

    def context(amount: Any) -> PlanContext:
        entry = PostedRecord("je:refund_credit:R1", "JournalEntry", "9", "h", "posted", {
            "Line": [{"Amount": amount, "JournalEntryLineDetail": {"PostingType": "Debit"}}]})
        return PlanContext.build(dataset(), mapping(), {entry.key: entry}, MARCH)

    assert _posted_total(context("45.00"), "je:refund_credit:R1") == D("45.00")
    with pytest.raises(MoneyError):
        _posted_total(context(45.0), "je:refund_credit:R1")
