"""End to end over real HTTP: plan, send to the simulator, and check the books.

For each posting style, on its own simulator company: three monthly runs of the demo
company (create_missing, defaults only), then a run after edits to already-posted
months (a line added to a paid order and a line removed after payment, a refund, a
voided payment, a late payment on a posted day). Sent with the test harness in
``sender.py`` (not the poster). Checked: QBO accepts every operation; planning again
after each run plans nothing; the edit run sends only what the edits change; the
simulator's TrialBalance balances and equals, account by account, the preview's debits
and credits summed over the runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from app.accounting.planner import plan
from app.accounting.preview import build_preview
from app.domain.dataset import Dataset
from app.plan.plan import Period, Plan
from app.sync.local_demo import connect_local
from tests.e2e.demo import EVERYTHING, MONTHS, defaults_mapping, demo_dataset, edited
from tests.e2e.sender import TestSender
from tests.sync.simulator_helpers import fast_client_options

TIME_SCALE = 60.0


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Dataset:
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=6, months=3)


@pytest.fixture
def sender() -> Iterator[TestSender]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as simulator:
        client, _link = connect_local(simulator.info, **fast_client_options(TIME_SCALE))
        yield TestSender(client)


def run(sender: TestSender, data: Dataset, style: str, period: Period,
        **options: Any) -> Plan:
    """One sync: re-validate the mapping, plan, send; then planning again is empty."""
    base = defaults_mapping(style, **options)
    result = plan(data, sender.current_mapping(base, data), sender.ledger, period)
    assert result.blocking_issues == (), [i.message for i in result.blocking_issues]
    assert build_preview(result).balanced
    sender.send(result)
    assert [(f.action, f.entity, f.key, f.error) for f in sender.faults] == []
    again = plan(data, sender.current_mapping(base, data), sender.ledger, period)
    assert [(o.action, o.key) for o in again.operations] == []
    return result


def preview_nets(plans: list[Plan]) -> dict[str, Decimal]:
    """Debit minus credit per account, from the previews of ``plans`` (classes merged)."""
    nets: dict[str, Decimal] = {}
    for result in plans:
        for total in build_preview(result).totals:
            nets[total.account] = nets.get(total.account, Decimal(0)) + total.net
    return {account: net for account, net in nets.items() if net}


def trial_balance(sender: TestSender) -> tuple[dict[str, Decimal], tuple[Decimal, Decimal]]:
    report = sender.client.report("TrialBalance", end_date="2025-12-31",
                                  accounting_method="Accrual")
    nets: dict[str, Decimal] = {}
    totals = (Decimal(0), Decimal(0))
    for row in report["Rows"]["Row"]:
        if "Summary" in row:
            cells = row["Summary"]["ColData"]
            totals = (Decimal(cells[1]["value"]), Decimal(cells[2]["value"]))
            continue
        name, debit, credit = (cell["value"] for cell in row["ColData"])
        nets[name] = Decimal(debit or 0) - Decimal(credit or 0)
    return nets, totals


@pytest.mark.parametrize("style, options", [
    ("summary", {}), ("detailed", {"deferred_revenue": True})],
    ids=["summary", "detailed-deferred"])
def test_books_in_quickbooks_are_what_the_previews_said(sender, demo, style, options):
    plans = [run(sender, demo, style, month, **options) for month in MONTHS]
    assert sum(len(p.operations) for p in plans) > 20

    changed, edited_keys = edited(demo)
    edit = run(sender, changed, style, EVERYTHING, **options)
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

    nets, (debits, credits) = trial_balance(sender)
    assert debits == credits
    assert nets == preview_nets(plans)


def test_a_refund_then_the_removal_of_its_line_reaches_quickbooks_once(sender, demo):
    """February: 120.00 of a camp-and-swim order refunded (spread by its allocations over
    both). March edit: the swim line is removed — the refund was for it. The posted receipt
    stays; an entry dated the removal moves its share off the camp, and the camp's
    recognition follows by an adjustment entry (the posted one is never rewritten).
    QuickBooks' TrialBalance equals the previews."""
    from app.domain.records import Refund

    refund = Refund("PRE-REF", "PAY-0000017", MONTHS[1].start.replace(day=20),
                    Decimal("120.00"), "refund")
    data = Dataset.from_records([*_records(demo), refund])
    options = {"deferred_revenue": True}
    plans = [run(sender, data, "detailed", month, **options) for month in MONTHS]
    [receipt] = [o for o in plans[1].operations if o.key == "refundreceipt:PRE-REF"]
    assert {(p.account, p.net) for p in receipt.postings} >= {
        ("Deferred Revenue", Decimal("89.36")), ("Swim Lessons", Decimal("30.64"))}
    changed, _keys = edited(data)
    edit = run(sender, changed, "detailed", EVERYTHING, **options)
    plans.append(edit)
    [entry] = [o for o in edit.operations if o.key == "je:refund_reclass:PRE-REF"]
    assert entry.payload["TxnDate"] == "2025-03-05"
    nets, (debits, credits) = trial_balance(sender)
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
