"""A QuickBooks record read back in the form the planners write (for resync).

The ledger keeps each record's payload as planned: references to records Ledgerbridge
made as ``{"$ref": key}``, to existing ones as ``{"value": id, "name": ...}``, only the
fields the planners send. When the ledger is rebuilt from QuickBooks, a record is kept
as planned when it carries exactly what the plan says (``agrees``), and otherwise as
QuickBooks holds it, in that same form (``project``), so the next plan sends precisely
the difference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from app.domain.money import money

# Fields the planners send, per entity (the top level; lines are projected on their own).
FIELDS: dict[str, tuple[str, ...]] = {
    "Account": ("Name", "AccountType", "AccountSubType", "SubAccount", "ParentRef"),
    "Class": ("Name", "SubClass", "ParentRef"),
    "Item": ("Name", "Type", "IncomeAccountRef", "UnitPrice"),
    "Customer": ("DisplayName", "GivenName", "FamilyName", "Notes", "PrimaryEmailAddr",
                 "PrimaryPhone", "Job", "ParentRef", "BillWithParent"),
    "Invoice": ("CustomerRef", "ARAccountRef", "TxnDate", "DocNumber", "PrivateNote", "Line"),
    "CreditMemo": ("CustomerRef", "ARAccountRef", "TxnDate", "DocNumber", "PrivateNote",
                   "Line"),
    "RefundReceipt": ("CustomerRef", "DepositToAccountRef", "TxnDate", "DocNumber",
                      "PrivateNote", "Line"),
    "Payment": ("CustomerRef", "ARAccountRef", "DepositToAccountRef", "TxnDate", "TotalAmt",
                "PaymentRefNum", "PrivateNote", "Line"),
    "JournalEntry": ("TxnDate", "DocNumber", "PrivateNote", "Adjustment", "Line"),
}
LINE_FIELDS = ("Amount", "Description", "DetailType", "SalesItemLineDetail",
               "JournalEntryLineDetail", "LinkedTxn")
DETAIL_FIELDS = ("ItemRef", "ClassRef", "Qty", "UnitPrice", "TaxCodeRef", "ServiceDate",
                 "PostingType", "AccountRef")
AMOUNTS = frozenset({"Amount", "TotalAmt", "UnitPrice", "Qty"})
# What a reference field points to (ParentRef: the record's own kind).
REF_ENTITY = {"CustomerRef": "Customer", "ItemRef": "Item", "ClassRef": "Class",
              "AccountRef": "Account", "ARAccountRef": "Account",
              "DepositToAccountRef": "Account", "IncomeAccountRef": "Account"}
SERVER_ONLY = ("sparse", "Id", "SyncToken")

KeyOf = Callable[[str, str], str | None]  # (entity, QBO id) -> ledger key, if Ledgerbridge's


def project(entity: str, record: Mapping[str, Any], key_of: KeyOf) -> dict[str, Any]:
    """``record`` reduced to the planners' fields, references as the planners write them."""
    projected: dict[str, Any] = {}
    for field in FIELDS.get(entity, ()):
        if field not in record or record[field] in (None, ""):
            continue
        value = record[field]
        if field == "Line":
            projected["Line"] = [_line(line, key_of) for line in value if _planned_line(line)]
        elif field.endswith("Ref"):
            projected[field] = _ref(REF_ENTITY.get(field, entity), value, key_of)
        elif field in ("PrimaryEmailAddr", "PrimaryPhone"):
            projected[field] = dict(value)
        elif field in ("Job", "BillWithParent", "SubAccount", "SubClass", "Adjustment") \
                and value is False:
            continue  # QuickBooks says false where the planner says nothing
        else:
            projected[field] = _amount(field, value)
    return projected


def agrees(planned: Any, held: Any, field: str = "") -> bool:
    """Whether QuickBooks holds every field of the plan (references resolved to ids)."""
    if isinstance(planned, Mapping):
        if not isinstance(held, Mapping):
            return False
        if field.endswith("Ref") or field == "TxnId":
            return str(planned.get("value")) == str(held.get("value"))
        return all(agrees(value, held.get(name), name) for name, value in planned.items()
                   if name not in SERVER_ONLY)
    if isinstance(planned, list | tuple):
        if field == "Line" and isinstance(held, list):
            held = [line for line in held if _planned_line(line)]
        return isinstance(held, list) and len(planned) == len(held) and all(
            agrees(p, h, field) for p, h in zip(planned, held, strict=True))
    if field in AMOUNTS or isinstance(planned, Decimal):
        try:
            return money(planned) == money(held)
        except (ValueError, TypeError):
            return False
    if field == "TxnId":
        return str(planned) == str(held)
    return bool(planned == held)


def _planned_line(line: Any) -> bool:
    """QuickBooks adds subtotal lines and line ids; the planners send item, journal and
    payment-application lines."""
    return isinstance(line, Mapping) and (
        line.get("DetailType") in ("SalesItemLineDetail", "JournalEntryLineDetail")
        or "LinkedTxn" in line)


def _line(line: Mapping[str, Any], key_of: KeyOf) -> dict[str, Any]:
    projected: dict[str, Any] = {}
    for field in LINE_FIELDS:
        if field not in line:
            continue
        value = line[field]
        if field in ("SalesItemLineDetail", "JournalEntryLineDetail"):
            projected[field] = {name: _detail(name, value[name], key_of)
                                for name in DETAIL_FIELDS if name in value}
        elif field == "LinkedTxn":
            projected[field] = [_linked(link, key_of) for link in value]
        else:
            projected[field] = _amount(field, value)
    return projected


def _detail(name: str, value: Any, key_of: KeyOf) -> Any:
    if name == "TaxCodeRef":
        return {"value": value.get("value")}
    if name.endswith("Ref"):
        return _ref(REF_ENTITY[name], value, key_of)
    return _amount(name, value)


def _linked(link: Mapping[str, Any], key_of: KeyOf) -> dict[str, Any]:
    kind, txn = str(link.get("TxnType")), str(link.get("TxnId"))
    key = key_of(kind, txn)
    return {"TxnId": {"$ref": key, "$bare": True} if key else txn, "TxnType": kind}


def _ref(entity: str, value: Any, key_of: KeyOf) -> dict[str, Any]:
    qbo_id = str(value.get("value")) if isinstance(value, Mapping) else str(value)
    key = key_of(entity, qbo_id)
    if key is not None:
        return {"$ref": key}
    name = value.get("name") if isinstance(value, Mapping) else None
    return {"value": qbo_id, "name": name} if name else {"value": qbo_id}


def _amount(field: str, value: Any) -> Any:
    return money(value) if field in AMOUNTS and value is not None else value
