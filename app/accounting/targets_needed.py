"""Accounts and classes a plan posts to that QBO does not have yet.

Delegates to the mapping's creation planner (``app.mapping.creation``) when present:
with ``create_missing`` the targets become create operations, otherwise each missing
target is an error that blocks exactly the records needing it.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.mapping.config import MappingConfig, Target
from app.plan.operations import Operation
from app.plan.plan import Issue


def plan_needed_targets(
    mapping: MappingConfig, needed: Mapping[tuple[str, Target, str], set[str]]
) -> tuple[list[Operation], list[Issue], frozenset[str]]:
    """(create operations, issues, blocked ledger keys) for targets without a QBO id."""
    if not needed:
        return [], [], frozenset()
    from app.mapping.creation import NeededTarget, plan_target_creations

    request = {NeededTarget(entity, target, role): keys
               for (entity, target, role), keys in needed.items()}
    result = plan_target_creations(mapping, request)
    return list(result.operations), list(result.issues), result.blocked
