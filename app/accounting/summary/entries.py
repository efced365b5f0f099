"""Summary lines -> a balanced QBO JournalEntry payload, and deltas against what was posted.

Balance is checked on the cent-rounded lines that will be sent. A difference goes to
the mapped rounding account on its own visible line (with a warning), or, with no
rounding account, is an error that blocks the entry: never absorbed silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from app.accounting.summary.lines import JeLine, LineSpec, ref_of
from app.accounting.summary.resolve import Slot, Unmapped
from app.domain.money import ZERO, cents, money
from app.plan.postings import Posting, debit

DOC_NUMBER_MAX = 21


def lines_of(totals: Mapping[int, Decimal], specs: Sequence[LineSpec]) -> list[JeLine]:
    """Cent-rounded, non-zero lines in section order."""
    ordered = sorted(totals, key=lambda i: specs[i].order)
    lines = []
    for line_id in ordered:
        amount = cents(totals[line_id])
        if amount:
            lines.append(specs[line_id].template._replace(amount=amount))
    return lines


def unmapped_in(totals: Mapping[int, Decimal], specs: Sequence[LineSpec]) -> list[Unmapped]:
    found: dict[str, Unmapped] = {}
    for line_id in totals:
        for marker in specs[line_id].unmapped:
            found[marker.name] = marker
    return list(found.values())


def slots_in(totals: Mapping[int, Decimal], specs: Sequence[LineSpec]) -> set[Slot]:
    found: set[Slot] = set()
    for line_id in totals:
        spec = specs[line_id]
        found.update(x for x in (spec.account, spec.klass) if isinstance(x, Slot))
    return found


def postings_of(lines: Iterable[JeLine]) -> tuple[Posting, ...]:
    """The lines as postings named by fully-qualified account and class name.

    Read from each line's identity, not its reference: a reference to an existing
    account carries only its leaf name (``Tax Rate - County T1``), which would split one
    account into two rows of the preview and hide which parent it is under.
    """
    return tuple(debit(_named(account), line.amount, _named(klass) or None)
                 for line in lines for account, klass in (line.identity,))


def _named(identity: str) -> str:
    """``Account:Tuition:Swim`` -> ``Tuition:Swim`` (an unknown ``Account#7`` stays as is)."""
    return identity.split(":", 1)[1] if ":" in identity else identity


def imbalance(lines: Iterable[JeLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def rounding_line(difference: Decimal, rounding: Slot) -> JeLine:
    return JeLine(ref_of(rounding) or {}, None, "Rounding difference (see preview)",
                  -difference, (rounding.name, ""))


def doc_number(key: str) -> str:
    """A readable DocNumber of at most 21 characters, unique per key.

    Spans of one kind never overlap, so a bucket's last day names it within its kind:
    ``LB-20260304`` (daily), ``LB-GL-20260331`` (go-live), ``LB-R-20260315`` (run),
    ``LB-A-20260304-2`` (second adjustment of a daily entry).
    """
    adjusting = key.startswith("je:adjust:")
    bucket = key.removeprefix("je:adjust:").removeprefix("je:summary:")
    n = ""
    if adjusting:
        bucket, _, n = bucket.rpartition(":")
    kind = {"golive": "GL", "run": "R"}.get(bucket.split(":")[0], "")
    end = bucket.split(":")[-1].replace("-", "")
    prefix = "LB-" + ("A" if adjusting else "") + kind
    readable = f"{prefix}-{end}" if prefix != "LB-" else f"LB-{end}"
    if adjusting:
        readable += f"-{n}"
    if len(readable) <= DOC_NUMBER_MAX:
        return readable
    return "LB-" + hashlib.sha256(key.encode()).hexdigest()[:DOC_NUMBER_MAX - 3]


def je_payload(key: str, txn_date: date, lines: Sequence[JeLine], note: str,
               digest: str, *, adjustment: bool = False) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "TxnDate": txn_date.isoformat(),
        "DocNumber": doc_number(key),
        "PrivateNote": f"Ledgerbridge {key} src:{digest} | {note}",
        "Line": [_line_payload(line) for line in lines],
    }
    if adjustment:
        payload["Adjustment"] = True
    return payload


def _line_payload(line: JeLine) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "PostingType": "Debit" if line.amount > 0 else "Credit",
        "AccountRef": dict(line.account_ref),
    }
    if line.class_ref is not None:
        detail["ClassRef"] = dict(line.class_ref)
    return {"Amount": abs(line.amount), "DetailType": "JournalEntryLineDetail",
            "Description": line.description, "JournalEntryLineDetail": detail}


def total_debits(lines: Iterable[JeLine]) -> Decimal:
    return sum((line.amount for line in lines if line.amount > 0), ZERO)


# --- what was posted, for deltas -----------------------------------------------------


def _ref_ident(entity: str, ref: Mapping[str, Any] | None, names_by_id: Mapping[str, str]) -> str:
    if not ref:
        return ""
    if "$ref" in ref:
        return f"{entity}:{str(ref['$ref']).split(':', 1)[1]}"
    value = str(ref.get("value"))
    return names_by_id.get(f"{entity}#{value}", f"{entity}#{value}")


def posted_lines(payload: Mapping[str, Any] | None, names_by_id: Mapping[str, str]) -> list[JeLine]:
    """The lines of a posted payload as signed ``JeLine`` (amounts may be stored as text)."""
    lines = []
    for raw in (payload or {}).get("Line", []):
        detail = raw.get("JournalEntryLineDetail", {})
        amount = money(raw["Amount"])  # Decimal, or exact text in the ledger; never a float
        signed = amount if detail.get("PostingType") == "Debit" else -amount
        account_ref, class_ref = detail.get("AccountRef"), detail.get("ClassRef")
        identity = (_ref_ident("Account", account_ref, names_by_id),
                    _ref_ident("Class", class_ref, names_by_id))
        lines.append(JeLine(account_ref or {}, class_ref, raw.get("Description", ""), signed,
                            identity))
    return lines


def delta_lines(target: Sequence[JeLine], posted: Sequence[Sequence[JeLine]]) -> list[JeLine]:
    """Lines that take the posted totals per (account, class) to the target's.

    ``posted`` holds the lines of each posted record. Lines keep section order: an
    identity ranks by its place in the target, else by its place in the record it was in.
    """
    remaining: dict[tuple[str, str], Decimal] = {}
    model: dict[tuple[str, str], JeLine] = {}
    rank: dict[tuple[str, str], tuple[int, int]] = {}
    for i, line in enumerate(target):
        remaining[line.identity] = remaining.get(line.identity, ZERO) + line.amount
        model.setdefault(line.identity, line)
        rank.setdefault(line.identity, (i, 0))
    for record in posted:
        for i, line in enumerate(record):
            remaining[line.identity] = remaining.get(line.identity, ZERO) - line.amount
            model.setdefault(line.identity, line)
            rank.setdefault(line.identity, (i, 1))
    return [JeLine(model[identity].account_ref, model[identity].class_ref,
                   f"Adjustment: {model[identity].description}", amount, identity)
            for identity, amount in sorted(remaining.items(), key=lambda kv: rank[kv[0]])
            if amount]
