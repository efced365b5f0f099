"""The preview: the plan itself, summarised for a person (SPEC §5 "preview is the plan").

Built from a ``Plan`` and nothing else: operations grouped by kind with counts and
amounts, debits and credits per account and class, the debits = credits check, and
every issue with its fix. The GUI renders it; the CLI prints it as text, JSON or CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.money import ZERO, money, money_str
from app.plan.operations import Operation
from app.plan.plan import Issue, Period, Plan
from app.plan.postings import Posting, credit, debit

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
KIND_LABELS = {"create": "new", "update": "changed", "void": "voided", "delete": "deleted",
               "deactivate": "made inactive", "reactivate": "made active again"}


@dataclass(frozen=True)
class KindSummary:
    entity: str
    action: str
    count: int
    amount: Decimal

    @property
    def label(self) -> str:
        return f"{self.entity} ({KIND_LABELS.get(self.action, self.action)})"


@dataclass(frozen=True)
class AccountTotal:
    account: str
    class_name: str | None
    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        return self.debit - self.credit


@dataclass(frozen=True)
class Preview:
    period: Period | None
    operations: tuple[Operation, ...]
    kinds: tuple[KindSummary, ...]
    totals: tuple[AccountTotal, ...]
    issues: tuple[Issue, ...]

    @property
    def total_debits(self) -> Decimal:
        return sum((t.debit for t in self.totals), ZERO)

    @property
    def total_credits(self) -> Decimal:
        return sum((t.credit for t in self.totals), ZERO)

    @property
    def balanced(self) -> bool:
        return self.total_debits == self.total_credits

    @property
    def blocking(self) -> tuple[Issue, ...]:
        """Errors: each holds back the records it lists (and only those)."""
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """Warnings and notes: planned anyway, shown with their fix."""
        return tuple(i for i in self.issues if i.severity != "error")

    @property
    def held_back(self) -> frozenset[str]:
        """Ledger keys not planned because of an error."""
        return frozenset(key for issue in self.blocking for key in issue.blocks)

    # --- renderings -------------------------------------------------------------------
    def as_dict(self) -> dict[str, Any]:
        return {
            "period": None if self.period is None else {
                "from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "operations": [_operation_dict(o) for o in self.operations],
            "kinds": [{"entity": k.entity, "action": k.action, "count": k.count,
                       "amount": money_str(k.amount)} for k in self.kinds],
            "totals": [{"account": t.account, "class": t.class_name,
                        "debit": money_str(t.debit), "credit": money_str(t.credit)}
                       for t in self.totals],
            "total_debits": money_str(self.total_debits),
            "total_credits": money_str(self.total_credits),
            "balanced": self.balanced,
            "issues": [{"severity": i.severity, "code": i.code, "message": i.message,
                        "fix": i.fix, "sources": list(i.sources), "blocks": list(i.blocks)}
                       for i in self.issues],
        }

    def to_rows(self, names: Mapping[str, str] | None = None) -> list[list[str]]:
        """One table for CSV: operations, then totals, then issues (cells made safe);
        ``names``: the records' names, so a line's words match the window's."""
        rows = [["section", "kind", "key", "date", "account", "class", "debit", "credit",
                 "amount", "text", "fix"]]
        for o in self.operations:
            day = o.txn_date.isoformat() if o.txn_date else ""
            rows.append(["operation", f"{o.action} {o.entity}", o.key, day, "", "", "", "",
                         money_str(o.amount) if o.amount is not None else "", o.summary, ""])
            notes = line_notes(o, names)  # each line's words, as the window's Line column
            for n, p in enumerate(postings_of(o)):  # the lines it posts: the books in the CSV
                rows.append(["line", f"{o.action} {o.entity}", o.key, day, p.account,
                             p.class_name or "", money_str(p.debit), money_str(p.credit), "",
                             notes[n] if n < len(notes) else "", ""])
        for t in self.totals:
            rows.append(["total", "", "", "", t.account, t.class_name or "", money_str(t.debit),
                         money_str(t.credit), "", "", ""])
        rows.append(["total", "all accounts", "", "", "", "", money_str(self.total_debits),
                     money_str(self.total_credits), "",
                     "balanced" if self.balanced else "NOT BALANCED", ""])
        for i in self.issues:
            rows.append(["issue", i.severity, ",".join(i.blocks), "", "", "", "", "", "",
                         i.message, i.fix])
        return [[safe_cell(cell) for cell in row] for row in rows]

    def write_csv(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(self.to_rows())

    def as_text(self, *, lines_of_operations: bool = False) -> str:
        """The summary; with ``lines_of_operations`` every operation and its postings too."""
        lines = []
        if self.period is not None:
            start, end = self.period.start.isoformat(), self.period.end.isoformat()
            lines.append(f"Preview {start} to {end}")
        if not self.operations:
            lines.append(self._nothing_to_send())
        for kind in self.kinds:
            lines.append(f"  {kind.count:6d}  {kind.label:<28} {money_str(kind.amount):>14}")
        if self.totals:
            lines.append("Debits and credits by account and class:")
            for t in self.totals:
                where = f"{t.account}" + (f" / {t.class_name}" if t.class_name else "")
                lines.append(f"  {where:<60} {money_str(t.debit):>12} {money_str(t.credit):>12}")
            verdict = "balanced" if self.balanced else "NOT BALANCED"
            lines.append(f"  {'Total':<60} {money_str(self.total_debits):>12} "
                         f"{money_str(self.total_credits):>12}  {verdict}")
        if lines_of_operations:
            lines.extend(self._operation_lines())
        for i in self.issues:
            count = len(i.blocks)
            held = f" ({count} record{'' if count == 1 else 's'} held back)" if count else ""
            lines.append(f"{i.severity.upper()}: {i.message}{held}. Fix: {i.fix}")
        return "\n".join(lines)

    def _operation_lines(self) -> list[str]:
        lines = ["Operations, in the order they will be sent:"]
        for o in self.operations:
            day = o.txn_date.isoformat() if o.txn_date else ""
            amount = money_str(o.amount) if o.amount is not None else ""
            lines.append(f"  {o.action} {o.entity} {day} {amount}  {o.summary}".rstrip())
            notes = _line_descriptions(o)
            for index, p in enumerate(postings_of(o)):
                where = p.account + (f" / {p.class_name}" if p.class_name else "")
                lines.append(f"      {where:<56} {money_str(p.debit):>12} "
                             f"{money_str(p.credit):>12}")
                if index < len(notes) and notes[index]:
                    lines.append(f"        {notes[index]}")
        return lines

    def _nothing_to_send(self) -> str:
        """Why the plan is empty: up to date, or everything held back by errors."""
        errors = len(self.blocking)
        if errors == 1:
            return "Nothing can be sent until the error below is fixed."
        if errors:
            return f"Nothing can be sent until the {errors} errors below are fixed."
        return ("Nothing to send: everything in this period has been posted "
                "(`ledgerbridge reconcile` checks QuickBooks itself).")


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (leading = + - @ neutralised)."""
    return "'" + value if value.startswith(FORMULA_LEADS) else value


def _operation_dict(o: Operation) -> dict[str, Any]:
    return {"action": o.action, "entity": o.entity, "key": o.key, "summary": o.summary,
            "date": o.txn_date.isoformat() if o.txn_date else None,
            "amount": money_str(o.amount) if o.amount is not None else None,
            "depends_on": list(o.depends_on), "sources": list(o.sources),
            "idempotency_key": o.idempotency_key,
            "postings": [_posting_dict(p) for p in postings_of(o)],
            "payload": _json_safe(o.payload)}


def _posting_dict(posting: Posting) -> dict[str, Any]:
    return {"account": posting.account, "class": posting.class_name,
            "debit": money_str(posting.debit), "credit": money_str(posting.credit)}


def _json_safe(value: Any) -> Any:
    """The payload as QBO will receive it, amounts as exact decimal text."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


SALES_ENTITIES = frozenset({"Invoice", "CreditMemo", "RefundReceipt", "SalesReceipt"})


def line_notes(operation: Operation, names: Mapping[str, str] | None = None) -> list[str]:
    """Each posting's words, as the details pane says its line (the Line column, the
    CSV's ``text``): a journal entry's descriptions; a sale's lines (description, else
    item), its A/R or bank total left blank; a payment's "Pays invoice …" on both lines.
    Empty where the postings do not follow the lines."""
    if operation.entity == "JournalEntry":
        return _line_descriptions(operation)
    postings, names = postings_of(operation), names or {}
    lines = [line for line in operation.payload.get("Line", ()) or ()
             if isinstance(line, Mapping) and line.get("Amount") is not None]
    if operation.entity in SALES_ENTITIES:
        sold = [line for line in lines if line.get("DetailType") == "SalesItemLineDetail"]
        if len(postings) == len(sold) + 1 and all(
                money(line["Amount"]) == p.debit + p.credit
                for line, p in zip(sold, postings, strict=False)):
            return [line_text(line, names) for line in sold] + [""]
    if operation.entity == "Payment" and postings:
        paid = "; ".join(text for line in lines if (text := _paid(line, names)))
        return [paid] * len(postings) if paid else []
    return []


def line_text(line: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """A record's line in words: its description, else its item or account, else what it
    pays ("Pays invoice ORD-0000008")."""
    names = names or {}
    return str(line.get("Description") or _detail_ref(line, names) or _paid(line, names))


def _line_descriptions(operation: Operation) -> list[str]:
    """A journal entry's line descriptions, in the order of its postings (card, eCheck ...).

    Only where the postings follow the lines one for one; other records' postings are
    summaries that do not."""
    lines = list(operation.payload.get("Line", ())) if operation.entity == "JournalEntry" else []
    postings = postings_of(operation)
    if len(lines) != len(postings) or any(
        money(line["Amount"]) != p.debit + p.credit
        for line, p in zip(lines, postings, strict=True)
    ):
        return []
    return [str(line.get("Description") or "") for line in lines]


def postings_of(operation: Operation) -> tuple[Posting, ...]:
    """What the operation does to the books: its own postings, else read from its lines."""
    if operation.postings:
        return operation.postings
    if operation.entity == "JournalEntry" and operation.action in ("create", "update"):
        return tuple(_journal_postings(operation.payload.get("Line", ())))
    return ()


def _journal_postings(lines: Iterable[dict[str, Any]]) -> Iterable[Posting]:
    for line in lines:
        detail = line.get("JournalEntryLineDetail", {})
        account = _name(detail.get("AccountRef"))
        cls = _name(detail.get("ClassRef")) if detail.get("ClassRef") else None
        amount = money(line["Amount"])
        yield debit(account, amount, cls) if detail.get("PostingType") == "Debit" else credit(
            account, amount, cls)


def _name(reference: dict[str, Any] | None) -> str:
    reference = reference or {}
    if "$ref" in reference:
        return str(reference["$ref"]).split(":", 1)[1]
    return str(reference.get("name") or reference.get("value") or "?")


def build_preview(plan: Plan) -> Preview:
    kinds: dict[tuple[str, str], list] = {}
    totals: dict[tuple[str, str | None], list[Decimal]] = {}
    for operation in plan.operations:
        entry = kinds.setdefault((operation.entity, operation.action), [0, ZERO])
        entry[0] += 1
        entry[1] += operation.amount or ZERO
        for posting in postings_of(operation):
            total = totals.setdefault((posting.account, posting.class_name), [ZERO, ZERO])
            total[0] += posting.debit
            total[1] += posting.credit
    return Preview(
        plan.period, plan.operations,
        tuple(KindSummary(e, a, n, amt) for (e, a), (n, amt) in kinds.items()),
        tuple(AccountTotal(acc, cls, d, c) for (acc, cls), (d, c) in sorted(
            totals.items(), key=lambda t: (t[0][0], t[0][1] or ""))),
        plan.issues)


def _detail_ref(line: Mapping[str, Any], names: Mapping[str, str]) -> str:
    for detail in line.values():
        if isinstance(detail, Mapping):
            for key in ("ItemRef", "AccountRef"):
                if key in detail:
                    return reference_text(detail[key], names)
    return ""


def _paid(line: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A payment's line: "Pays invoice ORD-0000008" (what the money is applied to)."""
    links = [link for link in line.get("LinkedTxn", ()) or () if isinstance(link, Mapping)]
    paid = [f"{_words(str(link.get('TxnType') or 'record'))} "
            f"{reference_text(link.get('TxnId'), names)}" for link in links]
    return f"Pays {', '.join(paid)}" if paid else ""


def _words(kind: str) -> str:
    """"CreditMemo" -> "credit memo"."""
    return "".join(f" {c.lower()}" if c.isupper() and i else c.lower()
                   for i, c in enumerate(kind))


def reference_text(value: Any, names: Mapping[str, str]) -> str:
    """A value in words; a reference by its name, else the end of its key ("FAM-00068")."""
    if isinstance(value, Mapping):
        key = value.get("$ref")
        if isinstance(key, str):
            return names.get(key) or key.rsplit(":", 1)[-1]
        return str(value.get("name") or value.get("value") or "")
    return "" if value is None else str(value)
