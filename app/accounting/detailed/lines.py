"""Sales lines: built once for invoices, credit memos and refund receipts, and read back.

An order's lines name the charge (cart line) they are for, in their description:
"Swim Level 1 (cart line CH1)", and its tax "Sales tax County (cart line CH1)". The
family sees which cart line each invoice or credit memo line is about, and a later run
reads back exactly what is on the books *per charge*, so a change to a closed invoice is
planned charge by charge and never netted across charges (SPEC §3a). Refund receipts
are not per charge (they are spread over what was sold) and carry no reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.money import ZERO, money
from app.plan.operations import ref
from app.plan.postings import Posting, credit, debit

from .ledger_index import LedgerIndex

NON_TAXABLE = {"value": "NON"}
DESCRIPTION_MAX = 4000  # QBO's line description limit
_CART_LINE = " (cart line "


@dataclass(frozen=True)
class Line:
    """One sales line as Ledgerbridge plans it (before it becomes payload)."""

    item_key: str
    amount: Decimal
    class_ref: Mapping[str, Any] | None = None
    class_name: str | None = None
    qty: Decimal = Decimal(1)
    rate: Decimal | None = None
    service_date: date | None = None
    description: str | None = None  # without the cart-line reference
    charge_id: str | None = None  # the charge (cart line) the line is for

    def payload(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"ItemRef": ref(self.item_key)}
        qty, rate = quantity_and_rate(self.amount, self.qty, self.rate)
        detail |= {"Qty": qty, "UnitPrice": rate, "TaxCodeRef": dict(NON_TAXABLE)}
        if self.class_ref is not None:
            detail["ClassRef"] = dict(self.class_ref)
        if self.service_date is not None:
            detail["ServiceDate"] = self.service_date.isoformat()
        line: dict[str, Any] = {"DetailType": "SalesItemLineDetail", "Amount": self.amount,
                                "SalesItemLineDetail": detail}
        text = described(self.description, self.charge_id)
        if text:
            line["Description"] = text
        return line


def described(text: str | None, charge_id: str | None) -> str:
    """A line's description: its text, then the charge it is for (always kept whole)."""
    if charge_id is None:
        return (text or "")[:DESCRIPTION_MAX]
    tail = f"{_CART_LINE}{charge_id})"
    return (text or "")[:DESCRIPTION_MAX - len(tail)] + tail


def cart_line_of(description: str | None) -> tuple[str | None, str | None]:
    """(text, charge ID) back from a description written by ``described``."""
    if not description or not description.endswith(")") or _CART_LINE not in description:
        return description, None
    text, _, tail = description.rpartition(_CART_LINE)
    return text, tail[:-1]


def quantity_and_rate(amount: Decimal, qty: Decimal, rate: Decimal | None) -> tuple:
    """Qty and UnitPrice whose product is exactly ``amount`` (QBO error 6070 otherwise)."""
    if rate is not None and qty * rate == amount:
        return qty, rate
    if qty > 0 and qty != 1:
        unit = (amount / qty).quantize(Decimal("0.00001"))
        if unit * qty == amount:
            return qty, unit.quantize(Decimal("0.01")) if unit == unit.quantize(
                Decimal("0.01")) else unit
    return Decimal(1), amount


Signature = tuple[str, str]  # (item key, class fully-qualified name)
ChargeSignature = tuple[str, str, str]  # (charge ID, item key, class name)


def signature(item_key: str, class_name: str | None) -> Signature:
    """By class *name*, not by the reference's form: a class referenced by ``$ref`` when
    the document was posted (it was being created) and by id now is the same class."""
    return item_key, class_name or ""


def line_signatures(lines: Iterable[Line], remap: Callable[[str], str] = str) -> dict:
    totals: dict[Signature, list] = {}
    for line in lines:
        sig = signature(remap(line.item_key), line.class_name)
        entry = totals.setdefault(sig, [ZERO, ZERO, line])
        entry[0] += line.amount
        entry[1] += line.qty
    return totals


def charge_signatures(lines: Iterable[Line], remap: Callable[[str], str] = str,
                      ) -> dict[ChargeSignature, list]:
    """(charge, item, class) -> [amount, qty, a sample line]: what each charge carries."""
    totals: dict[ChargeSignature, list] = {}
    for line in lines:
        sig = (line.charge_id or "", *signature(remap(line.item_key), line.class_name))
        entry = totals.setdefault(sig, [ZERO, ZERO, line])
        entry[0] += line.amount
        entry[1] += line.qty
    return totals


def read_lines(payload: Mapping[str, Any], ledger: LedgerIndex) -> list[Line]:
    """A posted document's sales lines back as ``Line`` (items by ledger key)."""
    lines = []
    for raw in payload.get("Line", ()):
        detail = raw.get("SalesItemLineDetail")
        if raw.get("DetailType") != "SalesItemLineDetail" or not detail:
            continue
        item_key = ledger.key_of(detail.get("ItemRef"), "Item")
        if item_key is None:
            continue
        service = detail.get("ServiceDate")
        text, charge_id = cart_line_of(raw.get("Description"))
        lines.append(Line(
            item_key, money(raw["Amount"]), detail.get("ClassRef"),
            ledger.class_name(detail.get("ClassRef")), money(detail.get("Qty", 1)),
            money(detail["UnitPrice"]) if "UnitPrice" in detail else None,
            date.fromisoformat(service) if service else None, text, charge_id))
    return lines


def lines_total(lines: Iterable[Line]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def sales_postings(lines: Iterable[Line], account_of: Callable[[str], str],
                   other_account: str) -> tuple[Posting, ...]:
    """An invoice's postings: credit each line's item account, debit ``other_account``
    (A/R) with the total. A credit memo or refund receipt is the reverse of this."""
    lines = list(lines)
    postings = [credit(account_of(line.item_key), line.amount, line.class_name)
                for line in lines]
    postings.append(debit(other_account, lines_total(lines)))
    return tuple(postings)
