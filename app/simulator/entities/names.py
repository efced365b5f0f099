"""Name-list entities: Account, Class, Customer, Item.

Shared QBO rules (notes §6): names are required, may not contain ``:`` (the separator of
FullyQualifiedName), must be unique in their scope (6240), sub-records name a live parent
through ParentRef and get ``Parent:Child`` FullyQualifiedNames; a "delete" is a sparse
update to ``Active: false``, after which QBO renames the record "<name> (deleted)".
Uniqueness is compared case-insensitively (QBO's behaviour here is UNCONFIRMED).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.simulator import chart, errors
from app.simulator.company import Company, money, parse_amount
from app.simulator.entities.base import EntityRules, boolean, check_fields, text

DELETED_SUFFIX = " (deleted)"
MAX_LEVELS = 5
ZERO = Decimal("0.00")


def _key(name: str) -> str:
    return name.strip().casefold()


def _depth(entity: dict[str, Any]) -> int:
    """0 for a top-level record; names cannot contain ':', so FQN segments are levels."""
    return str(entity.get("FullyQualifiedName", "")).count(":")


def _bare(name: str) -> str:
    return name[: -len(DELETED_SUFFIX)] if name.endswith(DELETED_SUFFIX) else name


def check_name(value: str | None, element: str, *, forbid_quote: bool = False) -> str:
    if value is None or not value.strip():
        raise errors.required_missing(element)
    if ":" in value:
        raise errors.validation(
            "2170", "Invalid Name", f"The name supplied cannot contain a colon (:): {value}",
            element)
    if forbid_quote and '"' in value:
        raise errors.validation(
            "2170", "Invalid Name", f'The name supplied cannot contain double quotes ("): '
            f"{value}", element)
    return value.strip()


class NameListRules(EntityRules):
    """Common machinery: parent references, FullyQualifiedName, (deleted) renaming."""

    name_list = True
    has_level = False  # Customer and Item carry a read-only Level (XSD); others do not
    name_field = "Name"
    parent_flag = ""
    duplicate_words = "name"

    def _parent(self, company: Company, body: dict[str, Any], old: dict[str, Any] | None
                ) -> dict[str, Any] | None:
        if not self.parent_flag or not boolean(body, self.parent_flag, False):
            return None
        parent = company.resolve(self.name, body.get("ParentRef"), "ParentRef")
        if old is not None and self._is_descendant(company, parent, old["Id"]):
            raise errors.validation("900", "Parent cannot be child",
                                    "A record cannot be its own parent or ancestor", "ParentRef")
        if _depth(parent) + 1 >= MAX_LEVELS:
            raise errors.business(f"{self.name} can be nested at most {MAX_LEVELS} levels")
        return parent

    def _is_descendant(self, company: Company, candidate: dict[str, Any], root_id: str) -> bool:
        seen: dict[str, Any] | None = candidate
        while seen is not None:
            if seen["Id"] == root_id:
                return True
            ref = seen.get("ParentRef")
            seen = company.get(self.name, ref["value"]) if ref else None
        return False

    def _place(self, company: Company, entity: dict[str, Any], name: str,
               parent: dict[str, Any] | None, old: dict[str, Any] | None) -> None:
        """Set ParentRef/Level/FQN, apply the (deleted) rename, check uniqueness."""
        active = entity.get("Active", True)
        name = _bare(name) + ("" if active else DELETED_SUFFIX)
        entity[self.name_field] = name
        if parent is not None:
            entity["ParentRef"] = {"value": parent["Id"]}
            entity["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{name}"
        else:
            entity.pop("ParentRef", None)
            entity["FullyQualifiedName"] = name
        self._set_level(entity)
        if active:  # "(deleted)" names need not be unique: deactivating must not fail
            self._check_unique(company, entity, old)

    def _set_level(self, entity: dict[str, Any]) -> None:
        if self.has_level:
            entity["Level"] = _depth(entity)

    def _scope_key(self, entity: dict[str, Any]) -> tuple[str, str]:
        parent = entity.get("ParentRef") or {}
        return (str(parent.get("value", "")), _key(entity[self.name_field]))

    def _check_unique(self, company: Company, entity: dict[str, Any],
                      old: dict[str, Any] | None) -> None:
        mine = self._scope_key(entity)
        own_id = old["Id"] if old else None
        for other in company.scan(self.name):
            if other["Id"] != own_id and self._scope_key(other) == mine:
                raise errors.duplicate_name(self.duplicate_words)

    def apply(self, company: Company, new: dict[str, Any] | None, old: dict[str, Any] | None
              ) -> None:
        """A renamed or re-parented record renames its descendants' FQNs."""
        if new is None or old is None:
            return
        if new.get("FullyQualifiedName") == old.get("FullyQualifiedName"):
            return
        for child in company.all(self.name):
            if (child.get("ParentRef") or {}).get("value") == new["Id"]:
                child["FullyQualifiedName"] = (
                    f"{new['FullyQualifiedName']}:{child[self.name_field]}")
                self._set_level(child)
                company.put(self.name, child)
                self.apply(company, child, {**child, "FullyQualifiedName": None})


class AccountRules(NameListRules):
    name = "Account"
    parent_flag = "SubAccount"
    duplicate_words = "account"

    def build(self, company, body, old):
        check_fields(body, "Account")
        name = check_name(text(body, "Name", 100), "Name", forbid_quote=True)
        acct_num = text(body, "AcctNum", 20)
        if acct_num and ":" in acct_num:
            raise errors.validation("2170", "Invalid Name",
                                    "AcctNum cannot contain a colon (:)", "AcctNum")
        account_type = body.get("AccountType")
        if account_type is None:
            raise errors.required_missing("AccountType")
        if account_type not in chart.ACCOUNT_TYPES:
            raise errors.invalid_property("AccountType",
                                          f"Property Name:AccountType value {account_type!r} "
                                          "is not a valid AccountTypeEnum value")
        classification, default_subtype, subtypes = chart.ACCOUNT_TYPES[account_type]
        subtype = body.get("AccountSubType") or default_subtype
        if subtype not in subtypes:
            raise errors.validation("6010", "Invalid Account Type/SubType",
                                    f"Invalid Account.AccountType && Account.SubType: "
                                    f"{account_type}/{subtype}", "AccountSubType")
        parent = self._parent(company, body, old)
        if parent is not None and parent["AccountType"] != account_type:
            raise errors.business("A sub-account must have the same type as its parent",
                                  "AccountType")
        entity = {k: v for k, v in body.items() if k not in {"CurrentBalance", "Level"}}
        entity.update({"AccountType": account_type, "AccountSubType": subtype,
                       "Classification": classification, "Active": boolean(body, "Active", True),
                       "SubAccount": parent is not None})
        entity.pop("domain", None)
        entity.pop("sparse", None)
        self._place(company, entity, name, parent, old)
        if "OpeningBalance" in body:
            entity["OpeningBalance"] = parse_amount(body["OpeningBalance"], "OpeningBalance")
        return entity


class ClassRules(NameListRules):
    name = "Class"
    parent_flag = "SubClass"
    duplicate_words = "class"
    id_first = 5000000000000000001

    def build(self, company, body, old):
        check_fields(body, "Class")
        name = check_name(text(body, "Name", 100), "Name")
        parent = self._parent(company, body, old)
        entity = {k: v for k, v in body.items() if k not in {"domain", "sparse"}}
        entity.update({"Active": boolean(body, "Active", True), "SubClass": parent is not None})
        self._place(company, entity, name, parent, old)
        return entity


class CustomerRules(NameListRules):
    name = "Customer"
    name_field = "DisplayName"
    has_level = True
    parent_flag = "Job"
    duplicate_words = "customer, vendor or employee"
    _NAME_PARTS = ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")

    def _scope_key(self, entity):
        """DisplayName is unique across all names, not just among siblings (notes §6)."""
        return ("", _key(entity["DisplayName"]))

    def build(self, company, body, old):
        check_fields(body, "Customer")
        for part, maximum in zip(self._NAME_PARTS, (16, 100, 100, 100, 16), strict=True):
            text(body, part, maximum)
        display = text(body, "DisplayName", 500)
        if not display:
            parts = [body.get(p) for p in self._NAME_PARTS if body.get(p)]
            if not parts:
                raise errors.validation(
                    "6080", "Missing name fields",
                    "Title, GivenName, MiddleName, FamilyName, DisplayName, Suffix - one of "
                    "these must be non-empty", "DisplayName")
            display = " ".join(str(p) for p in parts)
        display = check_name(display, "DisplayName")
        parent = self._parent(company, body, old)
        if boolean(body, "BillWithParent", False) and parent is None:
            raise errors.business("BillWithParent is valid only for a sub-customer (Job)",
                                  "BillWithParent")
        entity = {k: v for k, v in body.items()
                  if k not in {"domain", "sparse", "Balance", "BalanceWithJobs", "Level"}}
        entity.update({"Active": boolean(body, "Active", True), "Job": parent is not None,
                       "BillWithParent": boolean(body, "BillWithParent", False)})
        self._place(company, entity, display, parent, old)
        if parent is not None:
            root = parent.get("RootCustomerRef") or {"value": parent["Id"]}
            entity["RootCustomerRef"] = {"value": root["value"]}
        else:
            entity.pop("RootCustomerRef", None)
        entity["PrintOnCheckName"] = entity.get("PrintOnCheckName") or _bare(display)
        return entity

    def present(self, company, entity):
        own, with_jobs = company_balances(company)
        return {**entity, "Balance": own.get(entity["Id"], ZERO),
                "BalanceWithJobs": with_jobs.get(entity["Id"], ZERO)}


def company_balances(company: Company) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Open A/R per customer (invoice balances less unused credits and unapplied cash), and
    the same rolled up to each top-level customer with its jobs; computed once per request."""
    if "balances" in company.memo:
        return company.memo["balances"]
    own: dict[str, Decimal] = {}
    for kind, field, sign in (("Invoice", "Balance", 1), ("CreditMemo", "RemainingCredit", -1),
                              ("Payment", "UnappliedAmt", -1)):
        for txn in company.scan(kind):
            customer = txn["CustomerRef"]["value"]
            own[customer] = own.get(customer, ZERO) + sign * txn.get(field, ZERO)
    own = {k: money(v) for k, v in own.items()}
    with_jobs = dict(own)
    for customer in company.scan("Customer"):
        root = (customer.get("RootCustomerRef") or {}).get("value")
        if root and customer["Id"] in own:
            with_jobs[root] = with_jobs.get(root, ZERO) + own[customer["Id"]]
    company.memo["balances"] = (own, with_jobs)
    return own, with_jobs


class ItemRules(NameListRules):
    name = "Item"
    duplicate_words = "product or service"
    _TYPES = ("Service", "NonInventory", "Other Charge")

    def build(self, company, body, old):
        check_fields(body, "Item")
        name = check_name(text(body, "Name", 100), "Name")
        item_type = body.get("Type") or "NonInventory"
        if item_type not in self._TYPES:
            raise errors.invalid_property(
                "Type", f"Property Name:Type {item_type!r} is not supported by the Ledgerbridge "
                "simulator (Service, NonInventory, Other Charge)")
        income = company.resolve("Account", body.get("IncomeAccountRef"), "IncomeAccountRef")
        entity = {k: v for k, v in body.items() if k not in {"domain", "sparse", "Level"}}
        entity.update({"Type": item_type, "Active": boolean(body, "Active", True),
                       "IncomeAccountRef": company.ref_to(income)})
        if "UnitPrice" in body:
            entity["UnitPrice"] = parse_amount(body["UnitPrice"], "UnitPrice")
        self._place(company, entity, name, None, old)
        return entity
