"""Money in: Payment (applied to invoices/credit memos via LinkedTxn) and Deposit.

Payment rules: CustomerRef and TotalAmt required; each line links one Invoice or
CreditMemo of the same customer or of one of its sub-customers (a parent may pay its
sub-customers' invoices, as Receive Payment does in QBO) and may not apply more than its
open balance (QBO's over-application fault code is UNCONFIRMED: 6000 here); invoice
applications less credit applications may not exceed TotalAmt, the rest is UnappliedAmt,
and credits may not be applied beyond the invoices they pay (Receive Payment cannot pay
out a credit); money lands in DepositToAccountRef, Undeposited Funds by default (XSD
doc). Applying a payment lowers the invoice's Balance (a credit memo's RemainingCredit),
records the payment in its LinkedTxn and bumps its SyncToken (QBO changes the record, so
a client holding its old SyncToken is stale). A credit memo is applied to an invoice by
a Payment of TotalAmt 0 whose lines apply X to the invoice and X from the credit memo,
as Receive Payment does in QBO with 0.00 received: both records change, nothing is
deposited.
Deposit moves payments out of Undeposited Funds (LinkedTxn lines) or records other
receipts (DepositLineDetail lines); a deposited payment cannot be changed (6540).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.simulator import errors
from app.simulator.company import Company, money, parse_amount, parse_date
from app.simulator.entities.base import (
    EntityRules,
    check_fields,
    require_dict,
    require_list,
)

ZERO = Decimal("0.00")
_APPLY_FIELD = {"Invoice": "Balance", "CreditMemo": "RemainingCredit"}


def _touch(company: Company, entity: dict[str, Any]) -> None:
    entity["SyncToken"] = str(int(entity["SyncToken"]) + 1)
    entity["MetaData"] = {**entity["MetaData"], "LastUpdatedTime": company.clock.iso_now()}


def _links(payment: dict[str, Any] | None) -> list[tuple[str, str, Decimal]]:
    if payment is None:
        return []
    return [(link["TxnType"], link["TxnId"], line["Amount"])
            for line in payment.get("Line", []) for link in line.get("LinkedTxn", [])]


def _applied(payment: dict[str, Any] | None) -> dict[tuple[str, str], Decimal]:
    """Amount applied per (TxnType, TxnId); several lines may link one transaction."""
    totals: dict[tuple[str, str], Decimal] = {}
    for kind, txn_id, amount in _links(payment):
        totals[(kind, txn_id)] = totals.get((kind, txn_id), ZERO) + amount
    return totals


def _billed_to(company: Company, customer_id: str, payer_id: str) -> bool:
    """The payer is the customer, or an ancestor it is billed with: in QBO a parent's
    payment may be applied to the invoices of sub-customers marked "Bill with parent"
    (Receive Payment for the parent lists them); other customers' invoices are refused."""
    seen: set[str] = set()
    while customer_id and customer_id not in seen:
        if customer_id == payer_id:
            return True
        seen.add(customer_id)
        customer = company.get("Customer", customer_id) or {}
        if customer.get("BillWithParent") is not True:
            return False
        customer_id = str((customer.get("ParentRef") or {}).get("value") or "")
    return False


def _plain(value: Any) -> Any:
    return value.get("value") if isinstance(value, dict) else value


def _deposited_fault() -> errors.QboFault:
    return errors.validation("6540", "Deposited Transaction cannot be changed",
                             "This transaction has been deposited. If you want to change or "
                             "delete it, you must edit the deposit it appears on and remove "
                             "it first.")


def deposit_of(company: Company, payment_id: str) -> dict[str, Any] | None:
    for deposit in company.scan("Deposit"):
        for line in deposit.get("Line", []):
            for link in line.get("LinkedTxn", []):
                if link.get("TxnType") == "Payment" and link.get("TxnId") == payment_id:
                    return deposit
    return None


class PaymentRules(EntityRules):
    name = "Payment"
    transaction = True
    deletable = True
    voidable = True

    def build(self, company, body, old):
        check_fields(body, "Payment")
        customer = company.resolve("Customer", body.get("CustomerRef"), "CustomerRef")
        if body.get("TotalAmt") is None:
            raise errors.required_missing("TotalAmt")
        total = money(parse_amount(body["TotalAmt"], "TotalAmt"))
        if total < 0:
            raise errors.business("The payment amount cannot be negative", "TotalAmt")
        entity = {k: v for k, v in body.items()
                  if k not in {"domain", "sparse", "UnappliedAmt", "LinkedTxn"}}
        entity.update({"CustomerRef": company.ref_to(customer, "DisplayName"), "TotalAmt": total})
        entity["TxnDate"] = parse_date(body.get("TxnDate") or company.today(), "TxnDate")
        company.check_open(entity["TxnDate"])
        ref = body.get("DepositToAccountRef")
        account = (company.resolve("Account", ref, "DepositToAccountRef") if ref
                   else company.account_by_subtype("UndepositedFunds"))
        entity["DepositToAccountRef"] = company.ref_to(account)
        ar = company.account_by_subtype("AccountsReceivable")
        entity["ARAccountRef"] = company.ref_to(ar)
        entity["Line"] = self._lines(company, body.get("Line"), customer["Id"], old)
        applied = sum((amt if kind == "Invoice" else -amt
                       for kind, _, amt in _links(entity)), ZERO)
        if applied > total:
            raise errors.business("The amount applied to invoices is more than the payment "
                                  "amount", "TotalAmt")
        if applied < 0:
            raise errors.business("The credits applied are more than the invoices they are "
                                  "applied to", "Line.Amount")
        entity["UnappliedAmt"] = money(total - applied)
        if old is not None and deposit_of(company, old["Id"]) is not None:
            self._check_deposited_unchanged(entity, old)
        return entity

    def _check_deposited_unchanged(self, new: dict[str, Any], old: dict[str, Any]) -> None:
        """Memo-style edits are fine; the money and where it sits are fixed once deposited."""
        for field in ("TotalAmt", "DepositToAccountRef", "CustomerRef"):
            if _plain(new.get(field)) != _plain(old.get(field)):
                raise _deposited_fault()

    def _lines(self, company, raw_lines, customer_id, old):
        already = _applied(old)
        used: dict[tuple[str, str], Decimal] = {}
        lines = []
        for raw in require_list(raw_lines, "Line"):
            line = require_dict(raw, "Line")
            check_fields(line, "Line", "Line.")
            if line.get("Amount") is None:
                raise errors.required_missing("Line.Amount")
            amount = money(parse_amount(line["Amount"], "Line.Amount"))
            links = require_list(line.get("LinkedTxn"), "Line.LinkedTxn")
            if len(links) != 1 or amount < 0:
                raise errors.business("Each payment line must link exactly one invoice or "
                                      "credit memo with a positive amount", "Line.LinkedTxn")
            link = require_dict(links[0], "LinkedTxn")
            kind, txn_id = link.get("TxnType"), str(link.get("TxnId", ""))
            if kind not in _APPLY_FIELD:
                raise errors.validation("620", "Transaction cannot be linked",
                                        f"A payment can be linked to an Invoice or CreditMemo, "
                                        f"not {kind!r}", "LinkedTxn.TxnType")
            target = company.get(kind, txn_id)
            if target is None:
                raise errors.object_not_found(f"Object Not Found : {kind} {txn_id} does not "
                                              "exist", "LinkedTxn.TxnId")
            if not _billed_to(company, target["CustomerRef"]["value"], customer_id):
                raise errors.business(f"{kind} {txn_id} belongs to a different customer",
                                      "LinkedTxn.TxnId")
            key = (kind, txn_id)
            available = (target[_APPLY_FIELD[kind]] + already.get(key, ZERO)
                         - used.get(key, ZERO))
            used[key] = used.get(key, ZERO) + amount
            if amount > available:
                raise errors.business(f"The amount applied to {kind} {txn_id} ({amount}) is "
                                      f"more than its open balance ({money(available)})",
                                      "Line.Amount")
            lines.append({"Amount": amount,
                          "LinkedTxn": [{"TxnId": txn_id, "TxnType": kind}]})
        return lines

    def apply(self, company, new, old):
        """Undo the old applications, make the new ones; touch only what really changed."""
        before, after = _applied(old), _applied(new)
        payment_id = (new or old or {}).get("Id")
        for kind, txn_id in set(before) | set(after):
            delta = before.get((kind, txn_id), ZERO) - after.get((kind, txn_id), ZERO)
            linked_now = (kind, txn_id) in after
            if not delta and linked_now == ((kind, txn_id) in before):
                continue
            target = company.get(kind, txn_id)
            if target is None:
                continue
            field = _APPLY_FIELD[kind]
            target[field] = money(target[field] + delta)
            if kind == "CreditMemo":
                target["Balance"] = target[field]
            links = [lt for lt in target.get("LinkedTxn", []) if lt.get("TxnId") != payment_id]
            if linked_now:
                links.append({"TxnId": payment_id, "TxnType": "Payment"})
            target["LinkedTxn"] = links
            _touch(company, target)
            company.put(kind, target)

    def check_delete(self, company, entity):
        if deposit_of(company, entity["Id"]) is not None:
            raise _deposited_fault()

    def void(self, company, entity):
        self.check_delete(company, entity)
        entity["TotalAmt"] = entity["UnappliedAmt"] = ZERO
        entity["Line"] = []
        note = entity.get("PrivateNote")
        entity["PrivateNote"] = f"Voided - {note}" if note else "Voided"
        return entity

    def postings(self, company, entity):
        return [(entity["DepositToAccountRef"]["value"], entity["TotalAmt"]),
                (entity["ARAccountRef"]["value"], -entity["TotalAmt"])]


class DepositRules(EntityRules):
    name = "Deposit"
    transaction = True
    deletable = True

    def build(self, company, body, old):
        check_fields(body, "Deposit")
        account = company.resolve("Account", body.get("DepositToAccountRef"),
                                  "DepositToAccountRef")
        if account["AccountType"] not in {"Bank", "Other Current Asset"}:
            raise errors.business("Deposits must go to a bank or other current asset account",
                                  "DepositToAccountRef")
        entity = {k: v for k, v in body.items() if k not in {"domain", "sparse", "TotalAmt"}}
        entity["DepositToAccountRef"] = company.ref_to(account)
        entity["TxnDate"] = parse_date(body.get("TxnDate") or company.today(), "TxnDate")
        company.check_open(entity["TxnDate"])
        undeposited = company.account_by_subtype("UndepositedFunds")
        lines, total = [], ZERO
        for number, raw in enumerate(require_list(body.get("Line"), "Line"), start=1):
            line = self._line(company, require_dict(raw, "Line"), undeposited, old)
            line.update({"Id": str(number), "LineNum": number})
            lines.append(line)
            total += line["Amount"]
        if not lines:
            raise errors.business("A deposit must have at least one line", "Line")
        entity["Line"], entity["TotalAmt"] = lines, money(total)
        return entity

    def _line(self, company, line, undeposited, old):
        check_fields(line, "Line", "Line.")
        if line.get("Amount") is None:
            raise errors.required_missing("Line.Amount")
        amount = money(parse_amount(line["Amount"], "Line.Amount"))
        links = require_list(line.get("LinkedTxn"), "Line.LinkedTxn")
        if links:
            link = require_dict(links[0], "LinkedTxn")
            payment = company.get("Payment", str(link.get("TxnId", "")))
            if payment is None or link.get("TxnType") != "Payment":
                raise errors.object_not_found("Object Not Found : the linked payment does not "
                                              "exist", "LinkedTxn.TxnId")
            if payment["DepositToAccountRef"]["value"] != undeposited["Id"]:
                raise errors.business("Only payments held in Undeposited Funds can be "
                                      "deposited", "LinkedTxn.TxnId")
            holder = deposit_of(company, payment["Id"])
            if holder is not None and (old is None or holder["Id"] != old["Id"]):
                raise errors.business(f"Payment {payment['Id']} is already deposited",
                                      "LinkedTxn.TxnId")
            if amount != payment["TotalAmt"]:
                raise errors.business("A deposited payment's amount must equal the payment's "
                                      "total", "Line.Amount")
            return {"Amount": amount, "LinkedTxn": [
                {"TxnId": payment["Id"], "TxnType": "Payment", "TxnLineId": "0"}]}
        detail = require_dict(line.get("DepositLineDetail") or {}, "DepositLineDetail")
        check_fields(detail, "DepositLineDetail", "Line.DepositLineDetail.")
        detail = dict(detail)
        source = company.resolve("Account", detail.get("AccountRef"),
                                 "Line.DepositLineDetail.AccountRef")
        detail["AccountRef"] = company.ref_to(source)
        if detail.get("ClassRef"):
            detail["ClassRef"] = company.ref_to(company.resolve("Class", detail["ClassRef"],
                                                                "ClassRef"))
        entity_ref = detail.get("Entity")
        if entity_ref:
            _resolve_entity(company, entity_ref)
        out = {k: v for k, v in line.items() if k not in {"Id", "LineNum"}}
        out.update({"Amount": amount, "DetailType": "DepositLineDetail",
                    "DepositLineDetail": detail})
        return out

    def postings(self, company, entity):
        postings = [(entity["DepositToAccountRef"]["value"], entity["TotalAmt"])]
        for line in entity["Line"]:
            if line.get("LinkedTxn"):
                payment = company.get("Payment", line["LinkedTxn"][0]["TxnId"])
                source = payment["DepositToAccountRef"] if payment else {"value": ""}
            else:
                source = line["DepositLineDetail"]["AccountRef"]
            postings.append((source["value"], -line["Amount"]))
        return postings


def _resolve_entity(company: Company, entity_ref: Any) -> dict[str, Any]:
    """``Entity: {Type, EntityRef}`` naming a customer (vendors/employees: not emulated)."""
    ref = require_dict(entity_ref, "Entity")
    kind = ref.get("Type", "Customer")
    if kind != "Customer":
        raise errors.object_not_found(f"Object Not Found : {kind} entities are not emulated "
                                      "by the Ledgerbridge simulator", "Entity")
    return company.resolve("Customer", ref.get("EntityRef"), "Entity.EntityRef")


resolve_entity = _resolve_entity
