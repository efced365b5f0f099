"""A run after create_missing created accounts and classes plans nothing more.

The first run references the new accounts and classes by ledger key (``$ref``); once they
exist, the re-validated mapping carries their ids and the planner writes
``{"value": id, "name": ...}``. The same account is the same content: nothing to update,
no supplemental invoice, no credit memo.
"""

from __future__ import annotations

import dataclasses

from app.mapping.config import MappingConfig, Target
from app.mapping.defaults import with_defaults

from .helpers import charge, dataset, day, payment, plan, post, refund


def _with_ids(mapping: MappingConfig) -> MappingConfig:
    """What re-validation returns once every target exists in QBO."""
    ids = iter(range(100, 1000))

    def filled(targets):
        return {k: Target(t.name, str(next(ids))) for k, t in targets.items()}

    return dataclasses.replace(
        mapping, accounts=filled(mapping.accounts), income=filled(mapping.income),
        tax_rates=filled(mapping.tax_rates), locations=filled(mapping.locations),
        organisation_class_id="99")


def test_replanning_once_created_targets_have_ids_plans_nothing():
    data = dataset(charge("X1", "O1", "100.00", day(3), tax="5.00"),
                   charge("X2", "O1", "200.00", day(3), program="CA1", status="removed",
                          removed_date=day(10)),
                   payment("PA1", "O1", "305.00", day(4)),
                   refund("R1", "PA1", "200.00", day(12)))
    fresh = MappingConfig(style="detailed", organisation_class="Riverside Swim",
                          create_missing=True, deferred_revenue=True)
    first = plan(data, config=fresh)
    assert not first.blocking_issues
    created = {o.key for o in first.operations if o.entity in ("Account", "Class")}
    assert "account:Swim" in created and "class:Riverside Swim:Downtown L1" in created
    ledger = post(first)
    again = plan(data, ledger, config=_with_ids(with_defaults(fresh, data)))
    assert [(o.action, o.key) for o in again.operations] == []
