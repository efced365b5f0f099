"""JournalEntry: every line posts to an account, debits equal credits, A/R needs a name.

Balance is enforced server-side (notes §6; the exact QBO code is UNCONFIRMED, 6000 here).
A line on an Accounts Receivable account must name a Customer in ``Entity`` and one on
Accounts Payable a Vendor (QBD rule assumed for QBO, UNCONFIRMED); vendors are not
emulated, so an A/P line is refused.
"""

from __future__ import annotations

from decimal import Decimal

from app.simulator import errors
from app.simulator.company import money, parse_amount, parse_date
from app.simulator.entities.base import EntityRules, check_fields, require_dict, require_list
from app.simulator.entities.payments import resolve_entity

ZERO = Decimal("0.00")


class JournalEntryRules(EntityRules):
    name = "JournalEntry"
    transaction = True
    deletable = True

    def build(self, company, body, old):
        check_fields(body, "JournalEntry")
        entity = {k: v for k, v in body.items() if k not in {"domain", "sparse", "TotalAmt"}}
        entity["TxnDate"] = parse_date(body.get("TxnDate") or company.today(), "TxnDate")
        company.check_open(entity["TxnDate"])
        if body.get("DocNumber") and len(str(body["DocNumber"])) > 21:
            raise errors.length_exceeded("DocNumber", 21)
        lines, debits, credits = [], ZERO, ZERO
        for number, raw in enumerate(require_list(body.get("Line"), "Line"), start=1):
            line = self._line(company, require_dict(raw, "Line"))
            line.update({"Id": str(number - 1), "LineNum": number})
            if line["JournalEntryLineDetail"]["PostingType"] == "Debit":
                debits += line["Amount"]
            else:
                credits += line["Amount"]
            lines.append(line)
        if not lines:
            raise errors.business("A journal entry must have at least one line", "Line")
        if debits != credits:
            raise errors.business(
                f"Journal Entry must be balanced: debits {money(debits)} do not equal credits "
                f"{money(credits)}", "Line")
        entity["Line"], entity["TotalAmt"] = lines, money(debits)
        return entity

    def _line(self, company, line):
        check_fields(line, "Line", "Line.")
        if line.get("DetailType") != "JournalEntryLineDetail":
            raise errors.invalid_property("Line.DetailType", "Property Name:DetailType must be "
                                          "JournalEntryLineDetail on a journal entry")
        if line.get("Amount") is None:
            raise errors.required_missing("Line.Amount")
        amount = money(parse_amount(line["Amount"], "Line.Amount"))
        if amount < 0:
            raise errors.business("Journal entry line amounts cannot be negative; use the "
                                  "other PostingType", "Line.Amount")
        detail = dict(require_dict(line.get("JournalEntryLineDetail"), "JournalEntryLineDetail"))
        check_fields(detail, "JournalEntryLineDetail", "Line.JournalEntryLineDetail.")
        posting_type = detail.get("PostingType")
        if posting_type is None:
            raise errors.required_missing("Line.JournalEntryLineDetail.PostingType")
        if posting_type not in {"Debit", "Credit"}:
            raise errors.invalid_property("PostingType", f"Property Name:PostingType value "
                                          f"{posting_type!r} must be Debit or Credit")
        account = company.resolve("Account", detail.get("AccountRef"),
                                  "Line.JournalEntryLineDetail.AccountRef")
        detail["AccountRef"] = company.ref_to(account)
        if detail.get("ClassRef"):
            detail["ClassRef"] = company.ref_to(company.resolve("Class", detail["ClassRef"],
                                                                "ClassRef"))
        self._check_entity(company, account, detail)
        out = {k: v for k, v in line.items() if k not in {"Id", "LineNum"}}
        out.update({"Amount": amount, "JournalEntryLineDetail": detail})
        return out

    def _check_entity(self, company, account, detail):
        entity_ref = detail.get("Entity")
        if account["AccountType"] == "Accounts Payable":
            raise errors.business("When you use Accounts Payable, you must choose a vendor in "
                                  "the Name field.", "Entity")
        if entity_ref:
            customer = resolve_entity(company, entity_ref)
            detail["Entity"] = {"Type": "Customer",
                                "EntityRef": company.ref_to(customer, "DisplayName")}
        elif account["AccountType"] == "Accounts Receivable":
            raise errors.business("When you use Accounts Receivable, you must choose a "
                                  "customer in the Name field.", "Entity")

    def postings(self, company, entity):
        result = []
        for line in entity["Line"]:
            detail = line["JournalEntryLineDetail"]
            sign = 1 if detail["PostingType"] == "Debit" else -1
            result.append((detail["AccountRef"]["value"], sign * line["Amount"]))
        return result
