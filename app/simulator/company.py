"""One realm's books as the entity rules see them: look-ups, references, dates, numbers.

The rules modules get this object instead of the store so that the things QBO checks
everywhere (a reference names a live record, a date parses, an amount is a number, the
period is open) are written once.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from app.simulator import chart, errors
from app.simulator.clock import SandboxClock
from app.simulator.store import Store

CENT = Decimal("0.01")


class Company:
    def __init__(self, store: Store, clock: SandboxClock, realm: str) -> None:
        self.store = store
        self.clock = clock
        self.realm = realm
        self.memo: dict[str, Any] = {}  # per-request caches (e.g. customer balances)

    # -- records -----------------------------------------------------------------------------
    def get(self, kind: str, entity_id: str) -> dict[str, Any] | None:
        return self.store.get(self.realm, kind, str(entity_id))

    def all(self, kind: str) -> list[dict[str, Any]]:
        return self.store.all(self.realm, kind)

    def scan(self, kind: str) -> list[dict[str, Any]]:
        """Uncopied records for read-only scans (uniqueness checks, reports)."""
        return self.store.peek_all(self.realm, kind)

    def put(self, kind: str, entity: dict[str, Any]) -> None:
        self.memo.clear()  # a later item of the same batch must see fresh balances
        self.store.put(self.realm, kind, entity)

    def remove(self, kind: str, entity_id: str) -> None:
        self.memo.clear()
        self.store.remove(self.realm, kind, entity_id)

    def next_id(self, kind: str, first: int = 1) -> str:
        return self.store.next_id(self.realm, kind, first)

    def resolve(self, kind: str, ref: Any, element: str, *, allow_inactive: bool = False
                ) -> dict[str, Any]:
        """The live record a ``{"value": id}`` reference names, else QBO's 610."""
        if not isinstance(ref, dict) or not ref.get("value"):
            raise errors.required_missing(element)
        found = self.get(kind, str(ref["value"]))
        if found is None:
            raise errors.object_not_found(
                f"Object Not Found : Something you're trying to use has been made inactive. "
                f"Check the fields with accounts, customers, items, vendors or employees. "
                f"({element} {kind} Id={ref['value']} not found)",
                element,
            )
        if found.get("Active") is False and not allow_inactive:
            raise errors.object_not_found(None, element)
        return found

    def ref_to(self, entity: dict[str, Any], name_field: str = "Name") -> dict[str, str]:
        return {"value": entity["Id"], "name": entity.get("FullyQualifiedName")
                or entity.get(name_field, "")}

    def account_by_subtype(self, subtype: str) -> dict[str, Any]:
        for account in self.scan("Account"):
            if account.get("AccountSubType") == subtype and account.get("Active", True):
                return account
        raise errors.business(f"The company has no active {subtype} account")

    # -- preferences and the closing date -----------------------------------------------------
    def preferences(self) -> dict[str, Any]:
        return self.get("Preferences", "1") or {"Id": "1", **chart.preferences()}

    def closing_date(self) -> date | None:
        text = self.preferences().get("AccountingInfoPrefs", {}).get("BookCloseDate")
        return date.fromisoformat(text) if text else None

    def check_open(self, txn_date: str) -> None:
        """QBO refuses writes dated on or before the company's closing date (6210)."""
        closing = self.closing_date()
        if closing is not None and date.fromisoformat(txn_date) <= closing:
            raise errors.period_closed()

    def today(self) -> str:
        return self.clock.today().isoformat()


def parse_date(value: Any, element: str) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise errors.validation(
            "2010", "Request has invalid or unsupported property",
            f"Property Name:{element} specified is unsupported or invalid (date expected as "
            "yyyy-MM-dd)", element) from None


def parse_amount(value: Any, element: str) -> Decimal:
    """Amounts arrive as JSON numbers (parsed as Decimal) or numeric strings."""
    if isinstance(value, bool) or value is None:
        raise errors.illegal_number(element)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise errors.illegal_number(element) from None
    if not amount.is_finite():
        raise errors.illegal_number(element)
    return amount


def money(value: Decimal) -> Decimal:
    """Cents, half-up, and never "-0.00" (adding +0.00 turns a negative zero positive)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP) + Decimal("0.00")
