"""Suggest a column mapping from the headers and a sample of values.

Header words first (a table of the names registration systems use, then closeness of
spelling), sample values second: a column whose values are not dates is not suggested
for a date field, and one full of "Visa"/"Cash" is the tender whatever its header says.
The bookkeeper confirms or corrects; the result is a ``TableMapping`` ready for a preset.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.records import is_valid_tender
from app.importers.mapping import (
    DEFAULT_VALUE_MAPS,
    TableMapping,
    canonical_type,
    header_key,
    is_mappable,
)
from app.importers.schema import DATE, MONEY, record_schema
from app.importers.values import DateReader, parse_money

# header words -> (record type or "" for the table's own type, field)
_SYNONYMS: dict[str, tuple[str, str]] = {
    "family": ("customer", "name"), "family_name": ("customer", "name"),
    "parent": ("customer", "name"), "parent_name": ("customer", "name"),
    "account_name": ("customer", "name"), "payer": ("customer", "name"),
    "payer_name": ("customer", "name"), "account_owner": ("customer", "name"),
    "account_holder": ("customer", "name"), "guardian": ("customer", "name"),
    "guardian_name": ("customer", "name"), "household": ("customer", "name"),
    "billing_contact": ("customer", "name"), "client": ("customer", "name"),
    "client_name": ("customer", "name"), "account": ("customer", "name"),
    "customer": ("customer", "name"), "customer_name": ("customer", "name"),
    "family_id": ("customer", "customer_id"), "account_id": ("customer", "customer_id"),
    "parent_id": ("customer", "customer_id"), "customer_id": ("customer", "customer_id"),
    "client_id": ("customer", "customer_id"), "household_id": ("customer", "customer_id"),
    "parent_email": ("customer", "email"), "family_email": ("customer", "email"),
    "student": ("participant", "full_name"), "student_name": ("participant", "full_name"),
    "member": ("participant", "full_name"), "member_name": ("participant", "full_name"),
    "participant": ("participant", "full_name"),
    "participant_name": ("participant", "full_name"),
    "registrant": ("participant", "full_name"),
    "registrant_name": ("participant", "full_name"),
    "child": ("participant", "full_name"), "child_name": ("participant", "full_name"),
    "athlete": ("participant", "full_name"), "player": ("participant", "full_name"),
    "attendee": ("participant", "full_name"),
    "student_first_name": ("participant", "first_name"),
    "child_first_name": ("participant", "first_name"),
    "student_last_name": ("participant", "last_name"),
    "child_last_name": ("participant", "last_name"),
    "student_id": ("participant", "participant_id"),
    "registrant_id": ("participant", "participant_id"),
    "member_id": ("participant", "participant_id"),
    "participant_id": ("participant", "participant_id"),
    "program": ("program", "name"), "program_name": ("program", "name"),
    "class": ("program", "name"), "class_name": ("program", "name"),
    "session": ("program", "name"), "product": ("program", "name"),
    "product_name": ("program", "name"), "item": ("program", "name"),
    "item_name": ("program", "name"), "invoice_item": ("program", "name"),
    "service": ("program", "name"), "plan": ("program", "name"),
    "course": ("program", "name"), "program_id": ("program", "program_id"),
    "class_id": ("program", "program_id"), "product_id": ("program", "program_id"),
    "item_id": ("program", "program_id"),
    "category": ("program", "category"), "program_category": ("program", "category"),
    "revenue_category": ("program", "category"), "item_category": ("program", "category"),
    "location": ("location", "name"), "site": ("location", "name"),
    "facility": ("location", "name"), "studio": ("location", "name"),
    "branch": ("location", "name"), "location_name": ("location", "name"),
    "location_id": ("location", "location_id"),
    "amount": ("", "amount"), "total": ("", "amount"), "amount_paid": ("", "amount"),
    "payment_amount": ("", "amount"), "paid": ("", "amount"), "line_total": ("", "amount"),
    "transaction_amount": ("", "amount"), "trans_amount": ("", "amount"),
    "gross": ("", "amount"), "gross_amount": ("", "amount"),
    "date": ("", "date"), "payment_date": ("", "date"), "paid_on": ("", "date"),
    "transaction_date": ("", "date"), "trans_date": ("", "date"),
    "posted_at": ("", "date"), "posted_date": ("", "date"), "active_date": ("", "date"),
    "date_paid": ("", "date"), "sale_date": ("", "date"), "created_at": ("", "date"),
    "created": ("", "date"), "processed_date": ("", "date"), "charge_date": ("", "date"),
    "method": ("", "tender"), "payment_method": ("", "tender"), "payment_type": ("", "tender"),
    "payment_label": ("", "tender"), "card_type": ("", "tender"), "pay_type": ("", "tender"),
    "payment_source": ("", "tender"), "tender_type": ("", "tender"),
    "tender": ("", "tender"), "transaction_id": ("payment", "payment_id"),
    "trans_id": ("payment", "payment_id"), "trans": ("payment", "payment_id"),
    "transaction": ("payment", "payment_id"), "transaction_number": ("payment", "payment_id"),
    "invoice_number": ("payment", "payment_id"), "invoice_no": ("payment", "payment_id"),
    "txn_id": ("payment", "payment_id"), "payment_id": ("payment", "payment_id"),
    "receipt": ("payment", "payment_id"), "receipt_number": ("payment", "payment_id"),
    "order": ("", "order_id"), "cart": ("", "order_id"),
    "order_id": ("", "order_id"), "cart_id": ("", "order_id"), "invoice": ("", "order_id"),
    "status": ("", "status"), "payment_status": ("", "status"),
    "transaction_status": ("", "status"), "charge_status": ("", "status"),
    "line_status": ("", "status"), "item_status": ("", "status"),
    "reference": ("", "reference"), "check_number": ("", "reference"),
    "ref": ("", "reference"), "ref_no": ("", "reference"), "reference_number": ("", "reference"),
    "auth_code": ("", "reference"), "tax": ("", "tax_amount"), "sales_tax": ("", "tax_amount"),
    "tax_amount": ("", "tax_amount"), "qty": ("", "quantity"), "quantity": ("", "quantity"),
    "unit_price": ("", "unit_price"), "price": ("", "price"), "email": ("", "email"),
    "phone": ("", "phone"), "first_name": ("", "first_name"), "last_name": ("", "last_name"),
    "original_trans_id": ("refund", "payment_id"),
    "original_transaction_id": ("refund", "payment_id"),
    "original_transaction": ("refund", "payment_id"),
    "refunded_transaction": ("refund", "payment_id"),
    "related_transaction": ("refund", "payment_id"),
    "parent_transaction": ("refund", "payment_id"), "refund_of": ("refund", "payment_id"),
    "original_payment_id": ("refund", "payment_id"),
}
# headers of a ledger's type column (values are checked too: see proposal.py)
KIND_HEADERS = ("trans_type", "transaction_type", "type", "entry_type", "record_type",
                "activity", "activity_type", "kind", "transaction_kind")
_MIN_SIMILARITY = 0.8


@dataclass(frozen=True)
class ColumnSuggestion:
    header: str
    record_type: str | None
    field: str | None
    score: float  # 0..1; 0 means no suggestion


def suggest_mapping(
    header: Sequence[str], samples: Sequence[Sequence[str]], record_type: str
) -> tuple[TableMapping, list[ColumnSuggestion]]:
    """The best field for each header (each field used once); samples are a few rows."""
    suggestions = []
    taken: set[tuple[str, str]] = set()
    for index, name in enumerate(header):
        values = [row[index].strip() for row in samples if index < len(row) and row[index]]
        rtype, fname, score = _best(name, values, record_type)
        if rtype and fname and (rtype, fname) not in taken:
            taken.add((rtype, fname))
            suggestions.append(ColumnSuggestion(name, rtype, fname, score))
        else:
            suggestions.append(ColumnSuggestion(name, None, None, 0.0))
    suggestions = _complete_derived(_category_as_name(suggestions), record_type)
    columns: dict[str, dict[str, str]] = {record_type: {}}
    for s in suggestions:
        if s.record_type and s.field:
            columns.setdefault(s.record_type, {})[s.field] = s.header
    return TableMapping(record_type, columns), suggestions


def _category_as_name(suggestions: list[ColumnSuggestion]) -> list[ColumnSuggestion]:
    """An export with a category but no class or item column: the category is the program
    (Jackrabbit's transactions list "Tuition", "Registration Fee" …)."""
    fields = {(s.record_type, s.field) for s in suggestions}
    if ("program", "category") not in fields or ("program", "name") in fields:
        return suggestions
    return [ColumnSuggestion(s.header, "program", "name", s.score)
            if (s.record_type, s.field) == ("program", "category") else s for s in suggestions]


def _complete_derived(suggestions: list[ColumnSuggestion],
                      own_type: str) -> list[ColumnSuggestion]:
    """A referenced record needs its required fields (a customer needs a name): when the
    file lacks one, its ID column belongs to the file's own record (``payment.customer_id``)
    and the incomplete referenced record is not suggested, so the preset imports."""
    by_type: dict[str, set[str]] = {}
    for s in suggestions:
        if s.record_type and s.field and s.record_type != own_type:
            by_type.setdefault(s.record_type, set()).add(s.field)
    for fields in by_type.values():
        if "full_name" in fields:  # a whole name gives the first and the last
            fields.update(("first_name", "last_name"))
    incomplete = {  # the ID may come from the name (a natural key); the name may not
        rtype for rtype, fields in by_type.items()
        if any(spec.required and spec.name not in fields and spec.name != f"{rtype}_id"
               for spec in record_schema(rtype))
    }
    taken = {s.field for s in suggestions if s.record_type == own_type}
    result = []
    for s in suggestions:
        if s.record_type in incomplete:
            movable = (s.field and _field_exists(own_type, s.field) and s.field not in taken)
            s = (ColumnSuggestion(s.header, own_type, s.field, s.score) if movable
                 else ColumnSuggestion(s.header, None, None, 0.0))
            if movable:
                taken.add(s.field)  # type: ignore[arg-type]
        result.append(s)
    return result


def guess_record_type(file_name: str, header: Sequence[str]) -> str:
    """The canonical name if the file has one; else the type whose fields the headers hit most."""
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found = canonical_type(stem)
    if found:
        return found
    for word in ("allocation", "refund", "payment", "charge", "participant", "customer",
                 "program", "location", "tax"):
        if word in stem.lower():
            return {"allocation": "payment_allocation", "tax": "tax_rate"}.get(word, word)
    keys = {header_key(h) for h in header}
    return "payment" if {"amount", "tender", "method", "payment_method"} & keys else "charge"


def _best(header: str, values: list[str], own_type: str) -> tuple[str | None, str | None, float]:
    key = header_key(header)
    candidates: list[tuple[str, str, float]] = []
    if key in _SYNONYMS:
        rtype, fname = _SYNONYMS[key]
        rtype = rtype or own_type
        if own_type == "payment" and fname == "tax_amount":
            rtype = "payment_allocation"  # a payments export's tax is its lines' tax
        candidates.append((rtype, fname, 1.0))
    own_fields = [spec.name for spec in record_schema(own_type)]
    for fname in own_fields:
        ratio = difflib.SequenceMatcher(None, key, fname).ratio()
        if ratio >= _MIN_SIMILARITY:
            candidates.append((own_type, fname, ratio))
    if key.endswith("_status") and "status" in own_fields:
        candidates.append((own_type, "status", 0.85))  # "Payment Status", "Txn Status" ...
    if values and _looks_like_tender(values) and "tender" in own_fields:
        candidates.append((own_type, "tender", 0.9))
    candidates = [c for c in candidates if _field_exists(*c[:2]) and _values_fit(c, values)]
    if not candidates:
        return None, None, 0.0
    return max(candidates, key=lambda c: c[2])


def _field_exists(record_type: str, name: str) -> bool:
    return is_mappable(record_type, name)


def _values_fit(candidate: tuple[str, str, float], values: list[str]) -> bool:
    """Sample values must parse as the field's kind (money, date) to be suggested."""
    rtype, fname, _ = candidate
    kind = next((spec.kind for spec in record_schema(rtype) if spec.name == fname), None)
    if not values:
        return True
    if kind == MONEY:
        return all(parse_money(v) is not None for v in values)
    if kind == DATE:
        return all(_could_be_date(v) for v in values)
    if fname in ("full_name", "name", "first_name", "last_name"):
        return not all(parse_money(v) is not None for v in values)  # names are not numbers
    return True


def _could_be_date(text: str) -> bool:
    value, reason = DateReader().cell(text)
    return value is not None or "ambiguous" in reason


def _looks_like_tender(values: list[str]) -> bool:
    known = DEFAULT_VALUE_MAPS["tender"]
    return all(v.casefold() in known or is_valid_tender(v) for v in values)
