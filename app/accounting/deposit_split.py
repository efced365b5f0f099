"""The deposit split report (SPEC §3b): what the source says a period should hold in QBO.

Computed from canonical records only, never from QBO, so the reconciliation can compare
the two. Payments count on their date, refunds (and chargebacks, eCheck returns) on
theirs; a refund's revenue and tax are the refunded payment's shares pro rata, with the
rounding cent on the largest share: exactly the amounts the summary entries carry.
Failed and voided payments are not money received and are left out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.accounting.summary.lines import Component, components_of, prorate
from app.domain.dataset import Dataset
from app.domain.money import ZERO, money_str
from app.mapping.config import MappingConfig
from app.plan.plan import Period


@dataclass(frozen=True)
class SplitRow:
    """One line of the report: received (or invoiced), refunded, and the net."""

    section: str  # "tender" | "revenue" | "tax" | "income_account" | "balance"
    key: str  # the source id(s) the row is about
    label: str
    location: str = ""
    amount: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.amount - self.refunded


@dataclass(frozen=True)
class DepositSplitReport:
    period: Period
    style: str
    payments_by_tender: tuple[SplitRow, ...]
    revenue_by_program: tuple[SplitRow, ...]  # per program and location
    tax_by_rate: tuple[SplitRow, ...]  # per tax rate and location
    detailed: tuple[SplitRow, ...] = ()  # AR, undeposited funds, income by account

    @property
    def rows(self) -> tuple[SplitRow, ...]:
        return (self.payments_by_tender + self.revenue_by_program + self.tax_by_rate
                + self.detailed)


class _Totals:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], list[Decimal]] = {}
        self.labels: dict[tuple[str, str, str], str] = {}

    def add(self, section: str, key: str, location: str, label: str, amount: Decimal,
            refunded: Decimal = ZERO) -> None:
        slot = (section, key, location)
        totals = self.rows.setdefault(slot, [ZERO, ZERO])
        totals[0] += amount
        totals[1] += refunded
        self.labels[slot] = label

    def section(self, name: str) -> tuple[SplitRow, ...]:
        return tuple(SplitRow(s, k, self.labels[(s, k, loc)], loc, *self.rows[(s, k, loc)])
                     for (s, k, loc) in sorted(self.rows) if s == name)


def _parts(dataset: Dataset, payment_id: str) -> list[Component]:
    def location_of(program_id: str) -> str | None:
        program = dataset.program_by_id.get(program_id)
        return program.location_id if program else None

    return components_of(dataset.allocations_by_payment.get(payment_id, ()), location_of)


def _add_parts(totals: _Totals, dataset: Dataset, parts: Iterable[Component],
               refund: bool) -> None:
    for part in parts:
        location = part.location_id or ""
        amount, refunded = (ZERO, part.amount) if refund else (part.amount, ZERO)
        if part.is_tax:
            rate = dataset.tax_rate_by_id.get(part.tax_rate_id or "")
            totals.add("tax", part.tax_rate_id or "", location,
                       rate.name if rate else part.tax_rate_id or "", amount, refunded)
        else:
            program = dataset.program_by_id.get(part.program_id)
            totals.add("revenue", part.program_id, location,
                       program.name if program else part.program_id, amount, refunded)


def deposit_split(dataset: Dataset, period: Period,
                  mapping: MappingConfig | None = None) -> DepositSplitReport:
    """The report for ``period`` (events dated within it, SPEC §5)."""
    totals = _Totals()
    for payment in dataset.payments:
        if payment.status == "completed" and payment.date in period:
            totals.add("tender", payment.tender, "", payment.tender, payment.amount)
            if payment.tender != "multiplier":
                _add_parts(totals, dataset, _parts(dataset, payment.payment_id), refund=False)
    for refund in dataset.refunds:
        paid = dataset.payment_by_id.get(refund.payment_id)
        if paid is None or paid.status != "completed" or refund.date not in period:
            continue
        tender = refund.tender or paid.tender
        totals.add("tender", tender, "", tender, ZERO, refund.amount)
        if paid.tender != "multiplier":
            shares = prorate(_parts(dataset, paid.payment_id), paid.amount, refund.amount)
            _add_parts(totals, dataset, shares, refund=True)
    style = mapping.style if mapping else "summary"
    detailed = _detailed_rows(dataset, period, mapping) if style == "detailed" else ()
    return DepositSplitReport(period, style, totals.section("tender"), totals.section("revenue"),
                              totals.section("tax"), detailed)


def _detailed_rows(dataset: Dataset, period: Period,
                   mapping: MappingConfig | None) -> tuple[SplitRow, ...]:
    """Detailed style: income by account (charges invoiced, removed), A/R and Undeposited
    Funds movements in the period."""
    totals = _Totals()
    invoiced = removed = ZERO
    for charge in dataset.charges:
        program = dataset.program_by_id.get(charge.program_id)
        category = program.income_category if program else charge.program_id
        target = mapping.income.get(category) if mapping else None
        account = target.name if target else category
        gross = charge.amount + (charge.tax_amount or ZERO)
        if charge.date in period:
            totals.add("income_account", account, "", account, charge.amount)
            invoiced += gross
        if charge.status == "removed" and charge.removed_date in period:
            totals.add("income_account", account, "", account, ZERO, charge.amount)
            removed += gross
    received = to_funds = from_funds = ZERO
    for payment in dataset.payments:
        if payment.status == "completed" and payment.date in period:
            received += payment.amount
            to_funds += payment.amount if _deposits_to_funds(payment.tender, mapping) else ZERO
    for refund in dataset.refunds:
        paid = dataset.payment_by_id.get(refund.payment_id)
        if paid and paid.status == "completed" and refund.date in period:
            tender = refund.tender or paid.tender
            from_funds += refund.amount if _deposits_to_funds(tender, mapping) else ZERO
    totals.add("balance", "accounts_receivable", "",
               "A/R: invoiced less removed lines in, payments out", invoiced - removed, received)
    totals.add("balance", "undeposited_funds", "", "Undeposited Funds: payments in, refunds out",
               to_funds, from_funds)
    return totals.section("income_account") + totals.section("balance")


def _deposits_to_funds(tender: str, mapping: MappingConfig | None) -> bool:
    """Detailed style: a tender deposits to Undeposited Funds unless [tenders] maps it."""
    if mapping is None or tender not in mapping.tenders:
        return True
    funds = mapping.accounts.get("undeposited_funds")
    return funds is not None and mapping.tenders[tender].name == funds.name


CSV_HEADER = ("section", "key", "label", "location", "amount", "refunded", "net")


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in exported text (SPEC §9)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def report_csv(report: DepositSplitReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in report.rows:
        writer.writerow((row.section, _cell(row.key), _cell(row.label), _cell(row.location),
                         money_str(row.amount), money_str(row.refunded), money_str(row.net)))
    return out.getvalue()


def write_report_csv(report: DepositSplitReport, path: Path) -> None:
    path.write_text(report_csv(report), encoding="utf-8")


__all__ = ["DepositSplitReport", "SplitRow", "deposit_split", "report_csv", "write_report_csv"]
