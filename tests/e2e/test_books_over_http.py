"""End to end over real HTTP: the app's own post, then the books read back from QuickBooks.

For each posting style, on its own simulator company: three monthly posts of the demo
company (create_missing, defaults only), then a post after edits to already-posted
months (a line added to a paid order and a line removed after payment, a refund, a
voided payment, a late payment on a posted day). Each post goes through
``app.posting.post_period`` (pre-flight, plan, poster, duplicate scan). Checked:
QuickBooks accepts every operation; a second post of the same period sends zero write
requests; the edit post sends only what the edits change; the simulator's TrialBalance
balances and equals, account by account, the previews' debits and credits summed.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from app.accounting.preview import Preview
from app.domain.dataset import Dataset
from app.plan.plan import Period
from tests.e2e.books import Books
from tests.e2e.demo import EVERYTHING, MONTHS, defaults_mapping, demo_dataset, edited
from tests.sync.simulator_helpers import write_requests

TIME_SCALE = 60.0


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Dataset:
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=6, months=3)


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def books_for(tmp_path, simulator, style: str, **options: Any) -> Books:
    return Books(tmp_path / style, simulator, defaults_mapping(style, **options), TIME_SCALE)


def run(books: Books, data: Dataset, period: Period) -> Preview:
    """One monthly close: load the exports, post; then posting again sends nothing."""
    books.load(data)
    report = books.post(period)
    assert report.stopping == (), [i.message for i in report.stopping]
    assert report.summary is not None and report.summary.failures == []
    assert report.exit_code == 0, report.as_dict()
    assert report.preview is not None and report.preview.balanced
    before = write_requests(books.simulator.info)
    again = books.post(period)
    assert again.summary is not None and again.summary.total == 0
    assert write_requests(books.simulator.info) == before
    return report.preview


def preview_nets(previews: list[Preview]) -> dict[str, Decimal]:
    """Debit minus credit per account, from ``previews`` (classes merged)."""
    nets: dict[str, Decimal] = {}
    for preview in previews:
        for total in preview.totals:
            nets[total.account] = nets.get(total.account, Decimal(0)) + total.net
    return {account: net for account, net in nets.items() if net}


@pytest.mark.parametrize("style, options", [
    ("summary", {}), ("detailed", {"deferred_revenue": True})],
    ids=["summary", "detailed-deferred"])
def test_books_in_quickbooks_are_what_the_previews_said(tmp_path, simulator, demo, style,
                                                        options):
    books = books_for(tmp_path, simulator, style, **options)
    plans = [run(books, demo, month) for month in MONTHS]
    assert sum(len(p.operations) for p in plans) > 20

    changed, edited_keys = edited(demo)
    edit = run(books, changed, EVERYTHING)
    plans.append(edit)
    postings = [o for o in edit.operations if o.entity not in ("Account", "Class")]
    assert postings, "the edits changed nothing"
    unrelated = [o.key for o in postings if not set(o.sources) & edited_keys
                 and o.entity not in ("Item", "Customer")]
    assert unrelated == []
    if style == "summary":  # posted entries are never rewritten: adjustments only
        assert all(o.key.startswith("je:adjust:") for o in postings), [o.key for o in postings]
    else:
        assert {(o.action, o.entity) for o in postings} >= {
            ("create", "Invoice"), ("create", "CreditMemo"), ("void", "Payment"),
            ("create", "Payment"), ("create", "RefundReceipt")}

    nets, (debits, credits) = books.trial_balance()
    assert debits == credits
    assert nets == preview_nets(plans)


def test_a_refund_then_the_removal_of_its_line_reaches_quickbooks_once(tmp_path, simulator,
                                                                        demo):
    """February: 120.00 of a camp-and-swim order refunded (spread by its allocations over
    both). March edit: the swim line is removed — the refund was for it. The posted receipt
    stays; an entry dated the removal moves its share off the camp, and the camp's
    recognition follows by an adjustment entry (the posted one is never rewritten).
    QuickBooks' TrialBalance equals the previews."""
    from app.domain.records import Refund

    refund = Refund("PRE-REF", "PAY-0000017", MONTHS[1].start.replace(day=20),
                    Decimal("120.00"), "refund")
    data = Dataset.from_records([*_records(demo), refund])
    books = books_for(tmp_path, simulator, "detailed", deferred_revenue=True)
    plans = [run(books, data, month) for month in MONTHS]
    [receipt] = [o for o in plans[1].operations if o.key == "refundreceipt:PRE-REF"]
    assert {(p.account, p.net) for p in receipt.postings} >= {
        ("Deferred Revenue", Decimal("89.36")), ("Swim Lessons", Decimal("30.64"))}
    changed, _keys = edited(data)
    edit = run(books, changed, EVERYTHING)
    plans.append(edit)
    [entry] = [o for o in edit.operations if o.key == "je:refund_reclass:PRE-REF"]
    assert entry.payload["TxnDate"] == "2025-03-05"
    nets, (debits, credits) = books.trial_balance()
    assert debits == credits
    assert nets == preview_nets(plans)
    # The refund sat 89.36 on the camp's deferred item and 30.64 on the swim: all 120.00
    # now on the swim, so the camp's recognition moves 89.36 more (less the edit run's
    # own 50.00 refund of another camp payment, EDIT-REF).
    moved = {(p.account, p.net) for p in entry.postings}
    assert moved == {("Swim Lessons", Decimal("89.36")), ("Deferred Revenue", Decimal("-89.36"))}
    # The recognition posted on the camp's start date is not rewritten: an adjustment entry
    # dated the removal carries the difference.
    [recognition] = [o for o in edit.operations if o.key.startswith("je:deferred:PRG-SUMM-D-003")]
    assert (recognition.action, recognition.key, recognition.payload["TxnDate"]) == (
        "create", "je:deferred:PRG-SUMM-D-003:adj:1", "2025-03-05")
    assert {(p.account, p.net) for p in recognition.postings} == {
        ("Deferred Revenue", Decimal("39.36")), ("Summer Camp", Decimal("-39.36"))}


def _records(data: Dataset) -> list:
    return [*data.customers, *data.participants, *data.locations, *data.programs,
            *data.tax_rates, *data.charges, *data.payments, *data.payment_allocations,
            *data.refunds]
