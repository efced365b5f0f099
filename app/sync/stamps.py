"""Where a record carries its Ledgerbridge key in QuickBooks, and how to find it again.

Every record the planners create is stamped (SPEC §5): transactions in ``PrivateNote``
(``Ledgerbridge <key> | memo``) and ``DocNumber`` where they have one, customers in
``Notes``, accounts and classes by their fully-qualified name, items by their name.
After an unknown outcome the poster looks the key up before sending again; the
duplicate scan and resync read the same stamps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.sync.lookup import Lookup
from app.sync.query import quote

STAMP = "Ledgerbridge"
_STAMPED_KEY = re.compile(r"(?:^|\s)Ledgerbridge\s+(\S+)")
NOTE_FIELD = {"Customer": "Notes"}  # transactions keep the stamp in PrivateNote
WITH_DOC_NUMBER = frozenset({"Invoice", "CreditMemo", "RefundReceipt", "JournalEntry",
                             "SalesReceipt"})


def lookup_for(entity: str, key: str, payload: Mapping[str, Any]) -> Lookup:
    """How to find the record created from ``payload`` under ``key``."""
    if entity in ("Account", "Class"):
        full_name = key.split(":", 1)[1]
        return Lookup("FullyQualifiedName", full_name, where=f"Name = {quote(payload['Name'])}")
    if entity == "Item":
        return Lookup("Name", str(payload["Name"]))
    field = NOTE_FIELD.get(entity, "PrivateNote")
    if entity == "Customer":
        return Lookup(field, key, where=f"DisplayName = {quote(payload['DisplayName'])}")
    if entity in WITH_DOC_NUMBER and payload.get("DocNumber"):
        return Lookup(field, key, where=f"DocNumber = {quote(payload['DocNumber'])}")
    if payload.get("TxnDate"):
        return Lookup(field, key, where=f"TxnDate = {quote(payload['TxnDate'])}")
    return Lookup(field, key, where=None)


def lookups_for(entity: str, key: str, payload: Mapping[str, Any]) -> list[Lookup]:
    """Where to look, in order: a record typed by hand with its stamp (an accountant
    entering exported lines) may lack the DocNumber, so its date is searched too."""
    first = lookup_for(entity, key, payload)
    found = [first]
    if first.where is not None and first.where.startswith("DocNumber") \
            and payload.get("TxnDate"):
        found.append(Lookup(first.field, key, where=f"TxnDate = {quote(payload['TxnDate'])}"))
    return found


def stamped_key(entity: str, record: Mapping[str, Any]) -> str | None:
    """The Ledgerbridge key a QBO record carries, or None for a record not ours."""
    if entity in ("Account", "Class"):
        return None  # names are not stamped: QBO refuses a second one anyway
    text = record.get(NOTE_FIELD.get(entity, "PrivateNote"))
    if not isinstance(text, str):
        return None
    match = _STAMPED_KEY.search(text)
    return match.group(1) if match else None
