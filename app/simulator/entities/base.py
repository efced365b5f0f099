"""What every entity kind provides to the generic operations (create/update/delete/void).

A kind's ``build`` turns a request body into the stored record, enforcing QBO's rules and
computing the read-only fields; ``apply`` carries its side effects on other records (a
payment lowers an invoice's Balance) and is called with ``old`` to undo them first, so
updates, deletes and voids reuse one code path. ``postings`` feeds the Trial Balance.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.simulator import errors
from app.simulator.company import Company
from app.simulator.entities.fields import FIELDS

ENVELOPE_KEYS = frozenset({"domain", "sparse", "status"})
READ_ONLY = frozenset({"Id", "SyncToken", "MetaData", "domain", "sparse", "status"})

Posting = tuple[str, Decimal]  # (account id, debit positive / credit negative)


class EntityRules:
    name = ""
    name_list = False
    transaction = False
    id_first = 1
    deletable = False
    voidable = False

    def build(self, company: Company, body: dict[str, Any], old: dict[str, Any] | None
              ) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, company: Company, new: dict[str, Any] | None, old: dict[str, Any] | None
              ) -> None:
        """Side effects on other records; default none."""

    def check_delete(self, company: Company, entity: dict[str, Any]) -> None:
        """Raise a fault if QBO would refuse to delete this record."""

    def void(self, company: Company, entity: dict[str, Any]) -> dict[str, Any]:
        raise errors.unsupported(f"Operation Void is not supported for {self.name}.")

    def present(self, company: Company, entity: dict[str, Any]) -> dict[str, Any]:
        return entity

    def postings(self, company: Company, entity: dict[str, Any]) -> list[Posting]:
        return []


def check_fields(body: dict[str, Any], type_name: str, path: str = "") -> None:
    """Unknown properties are QBO fault 2010 (notes §9: lenient XSD-based validation)."""
    allowed = FIELDS[type_name] | ENVELOPE_KEYS
    for key in body:
        if key not in allowed:
            raise errors.invalid_property(
                path + key,
                f'Property Name:Unrecognized field "{key}" specified is unsupported or invalid',
            )


def require_dict(value: Any, element: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise errors.invalid_property(element, f"Property Name:{element} must be an object")
    return value


def require_list(value: Any, element: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise errors.invalid_property(element, f"Property Name:{element} must be an array")
    return value


def text(body: dict[str, Any], key: str, maximum: int) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise errors.invalid_property(key, f"Property Name:{key} must be a string")
    if len(value) > maximum:
        raise errors.length_exceeded(key, maximum)
    return value


def boolean(body: dict[str, Any], key: str, default: bool) -> bool:
    value = body.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise errors.invalid_property(key, f"Property Name:{key} must be true or false")
    return value
