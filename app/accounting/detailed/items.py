"""QBO items: a Service item per program, its deferred twin, and a tax item per rate.

Items carry the income account, so invoices, credit memos and refund receipts only name
the item. An item is planned when a planned transaction uses it, or when one already in
QBO changed (a program renamed or repriced updates its item, SPEC §3a).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.records import Program, TaxRate
from app.mapping.config import Target
from app.plan.plan import Issue

from .context import PlanContext
from .names import (
    ITEM_NAME_MAX,
    NameRequest,
    assign_unique_names,
    clean_name,
    name_belongs_to,
)
from .problems import Problems


@dataclass(frozen=True)
class ItemSpec:
    key: str
    name_base: str
    source_id: str
    account: Target | None  # None: unmapped, whatever uses the item is blocked
    account_role: str
    problem: str | None  # id of the problem blocking it
    price: Any = None
    source: str = ""


def program_item_key(program_id: str) -> str:
    return f"item:program:{program_id}"


def deferred_item_key(program_id: str) -> str:
    return f"item:deferred:{program_id}"


def tax_item_key(tax_rate_id: str) -> str:
    return f"item:tax:{tax_rate_id}"


class Catalog:
    """Every item the dataset can need, with the mapping problems that block each."""

    def __init__(self, ctx: PlanContext, problems: Problems) -> None:
        self.ctx = ctx
        self.problems = problems
        self.specs: dict[str, ItemSpec] = {}
        for program in ctx.dataset.programs:
            self._add_program(program)
        for rate in ctx.dataset.tax_rates:
            self._add_tax_rate(rate)
        self.names = self._names()

    # --- building -----------------------------------------------------------------
    def _add_program(self, program: Program) -> None:
        if program.kind == "gift_card":
            self._add_gift_card(program)
            return
        account = self.ctx.mapping.income.get(program.income_category)
        problem = None
        if account is None:
            problem = f"unmapped_program:{program.income_category}"
            self.problems.define(problem, Issue(
                "error", "unmapped_program",
                f"Program category {program.income_category!r} has no income account",
                f"map {program.income_category!r} to an income account under [income]",
            ))
        else:
            problem = self._location_problem(program)
        source = f"program:{program.program_id}"
        self.specs[program_item_key(program.program_id)] = ItemSpec(
            program_item_key(program.program_id), clean_name(program.name, ITEM_NAME_MAX),
            program.program_id, account, "income", problem, program.price, source)
        deferred = self.ctx.mapping.accounts.get("deferred_revenue")
        deferred_problem = problem
        if deferred is None and problem is None:
            deferred_problem = "unmapped_deferred_revenue"
            self.problems.define(deferred_problem, Issue(
                "error", "unmapped_deferred_revenue",
                "Deferred revenue is on but no deferred revenue account is mapped",
                "map accounts.deferred_revenue, or turn the deferred_revenue option off",
            ))
        self.specs[deferred_item_key(program.program_id)] = ItemSpec(
            deferred_item_key(program.program_id),
            clean_name(f"{program.name} (deferred)", ITEM_NAME_MAX), program.program_id,
            deferred, "deferred_revenue", deferred_problem, program.price, source)

    def _add_gift_card(self, program: Program) -> None:
        """A gift card is not income when sold: its item posts to Gift Card Holding (a
        liability, as Intuit documents gift certificates), whatever [income] says; it has
        no deferred twin. Redemptions are credit memos on this item (``redemptions``)."""
        holding = self.ctx.gift_card_holding()
        problem = self._location_problem(program)
        if holding is None:
            problem = "unmapped_gift_card_holding"
            self.problems.define(problem, Issue(
                "error", problem, "Gift cards are sold or redeemed but no gift card holding "
                "account is mapped", "map accounts.gift_card_holding (a liability), or turn "
                "on create_missing"))
        mapped = self.ctx.mapping.income.get(program.income_category)
        if (program.income_category in self.ctx.mapped_categories and mapped is not None
                and holding is not None and mapped.name != holding.name):
            self.ctx.issue(Issue(  # information: the summary style does use that line
                "info", "gift_card_not_income",
                f"Gift card {program.name!r} posts to {holding.name} (a liability), not to "
                f"{mapped.name} mapped for its category {program.income_category!r}",
                "nothing to do: a gift card becomes income when it is spent; remove the "
                "[income] line if only gift cards use that category",
                sources=(f"program:{program.program_id}",)))
        self.specs[program_item_key(program.program_id)] = ItemSpec(
            program_item_key(program.program_id), clean_name(program.name, ITEM_NAME_MAX),
            program.program_id, holding, "gift_card_holding", problem, program.price,
            f"program:{program.program_id}")

    def _location_problem(self, program: Program) -> str | None:
        if not self.ctx.location_unmapped(program.location_id):
            return None
        problem = f"unmapped_location:{program.location_id}"
        self.problems.define(problem, Issue(
            "error", "unmapped_location", f"Location {program.location_id!r} has no class",
            f"map location {program.location_id!r} to a class under [locations]"))
        return problem

    def gift_card_item(self) -> str | None:
        """The item a redemption is credited on: the (first) gift-card program's."""
        ids = sorted(p.program_id for p in self.ctx.dataset.programs if p.kind == "gift_card")
        return program_item_key(ids[0]) if ids else None

    def _add_tax_rate(self, rate: TaxRate) -> None:
        account = self.ctx.mapping.tax_rates.get(rate.tax_rate_id)
        problem = None
        if account is None:
            problem = f"unmapped_tax_rate:{rate.tax_rate_id}"
            self.problems.define(problem, Issue(
                "error", "unmapped_tax_rate",
                f"Tax rate {rate.name!r} ({rate.tax_rate_id}) has no liability account",
                f"map tax rate {rate.tax_rate_id!r} under [tax_rates]",
            ))
        self.specs[tax_item_key(rate.tax_rate_id)] = ItemSpec(
            tax_item_key(rate.tax_rate_id), clean_name(f"Sales tax - {rate.name}", ITEM_NAME_MAX),
            rate.tax_rate_id, account, "tax", problem, None, f"tax_rate:{rate.tax_rate_id}")

    def _names(self) -> dict[str, str]:
        posted: dict[str, str] = {}
        for key, spec in self.specs.items():
            name = self.ctx.ledger.payload(key).get("Name")
            if isinstance(name, str) and name_belongs_to(name, spec.name_base):
                posted[key] = name
        requests = [NameRequest(k, s.name_base, s.source_id) for k, s in self.specs.items()]
        names, collided = assign_unique_names(requests, posted, ITEM_NAME_MAX)
        for request in collided:
            self.ctx.issue(Issue(
                "warning", "duplicate_item_name",
                f"Two items would be named {request.base!r}; this one is "
                f"{names[request.key]!r}", "rename the program in the source if you prefer",
                sources=(self.specs[request.key].source,)))
        return names

    # --- use --------------------------------------------------------------------------
    def problem_of(self, key: str) -> str | None:
        spec = self.specs.get(key)
        return "unknown_item" if spec is None else spec.problem

    def use(self, key: str) -> None:
        """A planned transaction references the item (``_mark_used``): plan it."""
        self.ctx.wanted.add(key)

    def account_name(self, key: str) -> str:
        spec = self.specs[key]
        return spec.account.name if spec.account else "?"

    def plan_items(self) -> None:
        """Create what transactions use; update what exists and changed."""
        for key in sorted(self.specs):
            spec = self.specs[key]
            if key not in self.ctx.wanted and not self.ctx.ledger.exists(key):
                continue
            if spec.problem is not None or spec.account is None:
                continue
            self.ctx.plan_record("Item", key, self._payload(spec),
                                 f"Item {self.names[key]!r} -> {spec.account.name}",
                                 sources=(spec.source,))

    def _payload(self, spec: ItemSpec) -> Mapping[str, Any]:
        assert spec.account is not None  # items without an account are blocked
        payload: dict[str, Any] = {
            "Name": self.names[spec.key],
            "Type": "Service",
            "IncomeAccountRef": self.ctx.account_ref(spec.account, spec.account_role, spec.key),
        }
        if spec.price is not None and spec.account_role != "tax":
            payload["UnitPrice"] = spec.price
        return payload

