"""Every payload both planners produce for the demo company is valid per Intuit's XSD.

SPEC §6: what is planned must be what QuickBooks accepts. The demo data exercises every
case (refunds, chargebacks, credit tenders, removed lines, deferred programs); each style
is planned month by month over a ledger that holds what the earlier months sent, then
once more after edits to those months, so updates, credit memos, voids and adjustment
entries are checked too.
"""

from __future__ import annotations

import pytest

from app.accounting.planner import plan
from app.plan.plan import Plan
from tests.accounting.detailed.helpers import post
from tests.e2e.demo import EVERYTHING, MONTHS, defaults_mapping, demo_dataset, edited
from tests.e2e.payloads import placeholder_body
from tests.simulator.xsd_mapper import find_xsd_dir, validate_entity

XSD_DIR = find_xsd_dir()
pytestmark = pytest.mark.skipif(XSD_DIR is None, reason="Intuit's QBO XSDs not found "
                                "(../shared/qbo-xsd or $LEDGERBRIDGE_QBO_XSD_DIR)")


@pytest.fixture(scope="module")
def schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(XSD_DIR / "IntuitRestServiceDef.xsd"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=6, months=3)


def _plans(dataset, mapping) -> list[Plan]:
    """Three months, then a re-run after edits to them (updates, voids, credit memos)."""
    runs = [(dataset, month) for month in MONTHS] + [(edited(dataset)[0], EVERYTHING)]
    plans, ledger = [], {}
    for data, period in runs:
        result = plan(data, mapping, ledger, period)
        assert not result.blocking_issues, [i.message for i in result.blocking_issues]
        plans.append(result)
        ledger = post(result, ledger)
    return plans


@pytest.mark.parametrize("style, options", [
    ("summary", {}), ("detailed", {}), ("detailed", {"deferred_revenue": True})],
    ids=["summary", "detailed", "detailed-deferred"])
def test_every_planned_payload_validates_against_the_xsd(schema, demo, style, options):
    plans = _plans(demo, defaults_mapping(style, **options))
    operations = [op for result in plans for op in result.operations]
    entities = {op.entity for op in operations}
    assert {"Account", "Class"} <= entities
    if style == "detailed":
        assert {"Item", "Customer", "Invoice", "Payment", "RefundReceipt", "CreditMemo"} <= entities
        assert {"update", "void"} <= {op.action for op in operations}
    else:
        assert "JournalEntry" in entities
    invalid = []
    for op in operations:
        try:
            validate_entity(schema, op.entity, placeholder_body(op))
        except Exception as exc:  # collect all, so one run shows every bad payload
            invalid.append(f"{op.action} {op.entity} {op.key}: {str(exc).splitlines()[0]}")
    assert invalid == []
