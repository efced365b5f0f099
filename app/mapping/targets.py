"""References from planned records to mapped QBO accounts and classes.

A mapped target that exists in QBO is referenced by id; one that does not exist yet
(and may be created with ``create_missing``) is referenced by the ledger key under which
its creation is planned, ``account:<FQN>`` or ``class:<FQN>``.
"""

from __future__ import annotations

from typing import Any

from app.mapping.config import Target
from app.plan.operations import ref


def target_key(entity: str, target: Target) -> str:
    """Ledger key of a mapped Account or Class, e.g. ``account:Tuition:Swim Lessons``."""
    return f"{entity.lower()}:{target.name}"


def target_ref(entity: str, target: Target) -> dict[str, Any]:
    """The payload reference for ``target``: by QBO id if known, else by planned key."""
    if target.qbo_id is not None:
        return {"value": target.qbo_id, "name": target.leaf_name}
    return ref(target_key(entity, target))
