"""Sales forms: Invoice, CreditMemo, RefundReceipt (item lines, server-computed totals).

Rules from notes §6: a populated CustomerRef and at least one line; ``Amount`` required
on each sales line and equal to Qty x UnitPrice when both are given (6070); line
TaxCodeRef is TAX or NON (6100); DocNumber at most 21 characters (2050) and auto-numbered
when absent; TxnDate/DueDate default to the server's date; a line without ItemRef is
documentation and its Amount is ignored (XSD doc of ``Line``). The server appends the
SubTotalLineDetail line and computes TotalAmt and Balance.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.simulator import errors
from app.simulator.company import Company, money, parse_amount, parse_date
from app.simulator.entities.base import (
    EntityRules,
    Posting,
    check_fields,
    require_dict,
    require_list,
    text,
)

_LINE_TYPES = {"SalesItemLineDetail", "DescriptionOnly", "SubTotalLineDetail"}
ZERO = Decimal("0.00")


def sales_lines(company: Company, raw_lines: Any) -> tuple[list[dict[str, Any]], Decimal]:
    lines: list[dict[str, Any]] = []
    total = ZERO
    for raw in require_list(raw_lines, "Line"):
        line = require_dict(raw, "Line")
        check_fields(line, "Line", "Line.")
        detail_type = line.get("DetailType")
        if detail_type is None:
            raise errors.required_missing("Line.DetailType")
        if detail_type not in _LINE_TYPES:
            raise errors.invalid_property(
                "Line.DetailType", f"Property Name:DetailType {detail_type!r} is not supported "
                "on this transaction by the Ledgerbridge simulator")
        if detail_type == "SubTotalLineDetail":
            continue  # recomputed by the server
        number = len(lines) + 1
        out = {k: v for k, v in line.items() if k not in {"Id", "LineNum"}}
        out.update({"Id": str(number), "LineNum": number})
        if detail_type == "SalesItemLineDetail":
            amount = _sales_item(company, line, out)
            total += amount
        else:
            out.pop("Amount", None)
        lines.append(out)
    if not lines:
        raise errors.business("The transaction must have at least one line", "Line")
    lines.append({"Amount": money(total), "DetailType": "SubTotalLineDetail",
                  "SubTotalLineDetail": {}})
    return lines, money(total)


def _sales_item(company: Company, line: dict[str, Any], out: dict[str, Any]) -> Decimal:
    detail = require_dict(line.get("SalesItemLineDetail") or {}, "SalesItemLineDetail")
    check_fields(detail, "SalesItemLineDetail", "Line.SalesItemLineDetail.")
    if "Amount" not in line:
        raise errors.required_missing("Line.Amount")
    amount = money(parse_amount(line["Amount"], "Line.Amount"))
    out["Amount"] = amount
    detail = dict(detail)
    if detail.get("Qty") is not None and detail.get("UnitPrice") is not None:
        qty = parse_amount(detail["Qty"], "Qty")
        price = parse_amount(detail["UnitPrice"], "UnitPrice")
        if money(qty * price) != amount:
            raise errors.validation("6070", "Amount calculation incorrect",
                                    f"Amount is not equal to Qty * UnitPrice. Supplied "
                                    f"value:{amount}", "Line.Amount")
    tax = (detail.get("TaxCodeRef") or {}).get("value", "NON")
    if tax not in {"TAX", "NON"}:
        raise errors.validation("6100", "Invalid line TaxCode",
                                "Valid Line TaxCodes for US should be TAX or NON",
                                "Line.SalesItemLineDetail.TaxCodeRef")
    if detail.get("ClassRef"):
        detail["ClassRef"] = company.ref_to(
            company.resolve("Class", detail["ClassRef"], "ClassRef"))
    if detail.get("ServiceDate"):
        detail["ServiceDate"] = parse_date(detail["ServiceDate"], "ServiceDate")
    out["SalesItemLineDetail"] = detail
    if not detail.get("ItemRef"):
        out["Amount"] = amount
        return ZERO  # documentation line: Amount ignored (XSD doc of Line)
    item = company.resolve("Item", detail["ItemRef"], "ItemRef")
    detail["ItemRef"] = company.ref_to(item)
    detail["ItemAccountRef"] = dict(item["IncomeAccountRef"])
    return amount


def receivable_account(company: Company, ref: Any) -> dict[str, str]:
    """The A/R account a sales form posts to: the one named, if it is A/R, else the default."""
    if not ref:
        return company.ref_to(company.account_by_subtype("AccountsReceivable"))
    account = company.resolve("Account", ref, "ARAccountRef")
    if account["AccountType"] != "Accounts Receivable":
        raise errors.business("ARAccountRef must name an Accounts Receivable account",
                              "ARAccountRef")
    return company.ref_to(account)


def income_postings(entity: dict[str, Any], sign: int) -> list[Posting]:
    """Each item line credits (sign -1) or debits (+1) the item's income account."""
    postings = []
    for line in entity.get("Line", []):
        detail = line.get("SalesItemLineDetail") or {}
        if line.get("DetailType") == "SalesItemLineDetail" and detail.get("ItemRef"):
            postings.append((detail["ItemAccountRef"]["value"], sign * line["Amount"]))
    return postings


class SalesFormRules(EntityRules):
    transaction = True
    deletable = True
    auto_number = True

    def build(self, company, body, old):
        check_fields(body, self.name)
        customer = company.resolve("Customer", body.get("CustomerRef"), "CustomerRef")
        entity = {k: v for k, v in body.items()
                  if k not in {"domain", "sparse", "TotalAmt", "Balance", "RemainingCredit",
                               "HomeBalance", "HomeTotalAmt", "LinkedTxn"}}
        entity["CustomerRef"] = company.ref_to(customer, "DisplayName")
        if body.get("ClassRef"):
            entity["ClassRef"] = company.ref_to(company.resolve("Class", body["ClassRef"],
                                                                "ClassRef"))
        entity["TxnDate"] = parse_date(body.get("TxnDate") or company.today(), "TxnDate")
        company.check_open(entity["TxnDate"])
        entity["DocNumber"] = self._doc_number(company, body, old)
        entity["Line"], entity["TotalAmt"] = sales_lines(company, body.get("Line"))
        if entity["TotalAmt"] < 0:
            raise errors.business("The transaction total cannot be negative", "TotalAmt")
        entity["LinkedTxn"] = list((old or {}).get("LinkedTxn", []))
        self.finish(company, entity, old)
        return entity

    def _doc_number(self, company: Company, body: dict[str, Any], old: dict[str, Any] | None
                    ) -> str | None:
        given = text(body, "DocNumber", 21)
        if given and given != "AUTO_GENERATE":
            return given
        if old is not None and old.get("DocNumber") and given != "AUTO_GENERATE":
            return old["DocNumber"]
        if not self.auto_number:
            return None
        numbers = [int(t["DocNumber"]) for t in company.scan(self.name)
                   if str(t.get("DocNumber", "")).isdigit()]
        return str(max(numbers, default=1000) + 1)

    def finish(self, company: Company, entity: dict[str, Any], old: dict[str, Any] | None
               ) -> None:
        """Kind-specific computed fields."""

    def applied_amount(self, company: Company, txn_id: str) -> Decimal:
        """Total that payments currently apply to this transaction."""
        applied = ZERO
        for payment in company.scan("Payment"):
            for line in payment.get("Line", []):
                for link in line.get("LinkedTxn", []):
                    if link.get("TxnId") == txn_id and link.get("TxnType") == self.name:
                        applied += line["Amount"]
        return applied


class InvoiceRules(SalesFormRules):
    name = "Invoice"
    voidable = True

    def finish(self, company, entity, old):
        entity["DueDate"] = parse_date(entity.get("DueDate") or entity["TxnDate"], "DueDate")
        applied = self.applied_amount(company, old["Id"]) if old else ZERO
        if entity["TotalAmt"] < applied:
            raise errors.business("The invoice total cannot be less than the payments "
                                  "applied to it", "TotalAmt")
        entity["Balance"] = money(entity["TotalAmt"] - applied)
        entity["ARAccountRef"] = receivable_account(company, entity.get("ARAccountRef"))

    def check_delete(self, company, entity):
        if self.applied_amount(company, entity["Id"]):
            raise errors.business("You must unlink any linked transactions associated with "
                                  "the invoice object before deleting it.")

    def void(self, company, entity):
        if self.applied_amount(company, entity["Id"]):
            raise errors.business("A voided invoice cannot have payments applied to it. "
                                  "Unlink the payments first.")
        for line in entity["Line"]:
            if "Amount" in line:
                line["Amount"] = ZERO
            detail = line.get("SalesItemLineDetail")
            if detail and "Qty" in detail:
                detail["Qty"] = 0
        entity["TotalAmt"] = entity["Balance"] = ZERO
        note = entity.get("PrivateNote")
        entity["PrivateNote"] = f"Voided - {note}" if note else "Voided"
        return entity

    def postings(self, company, entity):
        return [(entity["ARAccountRef"]["value"], entity["TotalAmt"]),
                *income_postings(entity, -1)]


class CreditMemoRules(SalesFormRules):
    name = "CreditMemo"

    def finish(self, company, entity, old):
        applied = self.applied_amount(company, old["Id"]) if old else ZERO
        if entity["TotalAmt"] < applied:
            raise errors.business("The credit memo total cannot be less than the credit "
                                  "already applied", "TotalAmt")
        entity["RemainingCredit"] = entity["Balance"] = money(entity["TotalAmt"] - applied)
        entity["ARAccountRef"] = receivable_account(company, entity.get("ARAccountRef"))

    def check_delete(self, company, entity):
        if self.applied_amount(company, entity["Id"]):
            raise errors.business("You must unlink any linked transactions associated with "
                                  "the credit memo before deleting it.")

    def postings(self, company, entity):
        return [(entity["ARAccountRef"]["value"], -entity["TotalAmt"]),
                *income_postings(entity, +1)]


class RefundReceiptRules(SalesFormRules):
    name = "RefundReceipt"

    def finish(self, company, entity, old):
        ref = entity.get("DepositToAccountRef")
        account = (company.resolve("Account", ref, "DepositToAccountRef") if ref
                   else company.account_by_subtype("UndepositedFunds"))
        if account["AccountType"] not in {"Bank", "Other Current Asset"}:
            raise errors.business("The refund must be paid from a bank or other current "
                                  "asset account", "DepositToAccountRef")
        entity["DepositToAccountRef"] = company.ref_to(account)
        entity["Balance"] = ZERO

    def postings(self, company, entity):
        return [(entity["DepositToAccountRef"]["value"], -entity["TotalAmt"]),
                *income_postings(entity, +1)]
