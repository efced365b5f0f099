"""The Summary page: what the first preview will create and cover, from a real plan.

The planner runs offline on the draft (the preview is the plan: nothing is computed
twice): the mapping with ``with_defaults`` and re-validated against the chart read at
Connect, the dataset with this wizard's import laid over the stored records, the
company's ledger (empty for a new company), over the first period — go-live to the last
day in the data. Its create operations for accounts, classes and items are what the
first post will create; its blocking issues are what stays unmapped, exactly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from app.accounting.ledger_view import LedgerView
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.mapping.defaults import with_defaults
from app.mapping.validation import revalidate
from app.plan.plan import Period

from .chart import Chart

CREATED_ENTITIES = {"Account": "account", "Class": "class", "Item": "item"}
ENTITY_WORDS = {
    "Account": "accounts", "Class": "classes", "Item": "items", "Customer": "customers",
    "Invoice": "invoices", "Payment": "payments", "RefundReceipt": "refund receipts",
    "CreditMemo": "credit memos", "JournalEntry": "journal entries",
}


@dataclass(frozen=True)
class Creation:
    entity: str  # Account | Class | Item
    name: str
    detail: str  # "Income account", "sub-class of Riverside Swim", …


@dataclass(frozen=True)
class SetupSummary:
    period: Period | None
    creations: tuple[Creation, ...]
    operations: tuple[tuple[str, int], ...]  # ("journal entries", 12) in plan order
    blocked: tuple[str, ...]  # error messages, with how much each holds back
    warnings: tuple[str, ...]

    def count(self, entity: str) -> int:
        return sum(1 for c in self.creations if c.entity == entity)


def first_period(dataset: Dataset, go_live: date | None) -> Period | None:
    days = [c.date for c in dataset.charges] + [p.date for p in dataset.payments]
    days += [r.date for r in dataset.refunds]
    if not days:
        return None
    start = go_live or min(days)
    end = max(max(days), start)
    return Period(start, end)


def summarise(dataset: Dataset, mapping: MappingConfig, chart: Chart, ledger: LedgerView,
              locked: tuple[Period, ...] = ()) -> SetupSummary:
    """Plan the first period offline and say what it creates, sends and holds back."""
    from app.accounting.planner import plan

    checked = revalidate(with_defaults(mapping, dataset), _records(chart, "Account"),
                         _records(chart, "Class"))
    period = first_period(dataset, mapping.go_live)
    if period is None:
        return SetupSummary(None, (), (), (), ("There is no data to preview yet.",))
    planned = plan(dataset, checked.mapping, ledger, period, locked)
    creations = tuple(_creation(op.entity, op.key, op.payload) for op in planned.operations
                      if op.action == "create" and op.entity in CREATED_ENTITIES)
    counts = Counter(op.entity for op in planned.operations
                     if op.entity not in CREATED_ENTITIES)
    operations = tuple((ENTITY_WORDS.get(e, e), n) for e, n in counts.items())
    issues = (*checked.issues, *planned.issues)
    blocked = tuple(_blocked_text(i.message, len(i.blocks)) for i in issues
                    if i.severity == "error")
    warnings = tuple(i.message for i in issues if i.severity == "warning")
    return SetupSummary(period, creations, operations, blocked, warnings)


def _records(chart: Chart, entity: str) -> list[dict[str, object]]:
    return [{"Id": e.qbo_id, "Name": e.leaf_name, "FullyQualifiedName": e.name,
             "AccountType": e.account_type, "Active": e.active} for e in chart.entries(entity)]


def _creation(entity: str, key: str, payload: object) -> Creation:
    """An account or class by its fully-qualified name (its key); an item by its name."""
    data = payload if isinstance(payload, dict) else {}
    if entity == "Account":
        return Creation(entity, key.split(":", 1)[1], f"{data.get('AccountType', '')} account")
    if entity == "Class":
        return Creation(entity, key.split(":", 1)[1],
                        "sub-class" if data.get("SubClass") else "class")
    return Creation(entity, str(data.get("Name") or key), f"{data.get('Type', 'Service')} item")


def _blocked_text(message: str, count: int) -> str:
    if not count:
        return message
    return f"{message} (holds back {count} record{'s' if count != 1 else ''})"
