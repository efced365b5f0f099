"""Each built-in preset reads its invented sample export cleanly, and the sample previews,
in the posting style it suits, to the sample's own totals (issue 14).

The expected figures are worked out by hand from the sample files (and, where a sample
has a totals row, checked against that row read with the plain ``csv`` module here), so
the test does not trust the importer to tell it what the file says.
"""

from __future__ import annotations

import csv
from calendar import monthrange
from decimal import Decimal
from pathlib import Path

import pytest

from app.accounting.planner import plan
from app.accounting.preview import Preview, build_preview
from app.domain.dataset import Dataset
from app.importers.mapping import builtin_preset_names, builtin_presets_dir, load_preset
from app.importers.pipeline import ImportResult, import_paths
from app.mapping.config import MappingConfig
from app.plan.plan import Period

SAMPLES = Path(__file__).parent / "samples"
TENDER_ACCOUNTS = ("Merchant Settlement", "Undeposited Funds", "Discounts and Credits")
# preset -> (style, money received less money paid back, records made, totals row label)
EXPECTED: dict[str, tuple[str, str, dict[str, int], str | None]] = {
    "jackrabbit-store-sales-detail": (
        "summary", "1199.41", {"payment": 4, "payment_allocation": 5, "refund": 1},
        "Totals:"),
    "iclasspro-bank-deposit": (
        "summary", "1790.00", {"payment": 7, "refund": 1}, "Grand Total:"),
    "pike13-transactions": ("summary", "465.00", {"payment": 6, "refund": 1}, None),
    "pike13-transactions-by-invoice-item": (
        "summary", "304.24", {"payment": 3, "payment_allocation": 5, "refund": 1}, None),
    "procare-online-transactions": (
        "summary", "1265.00", {"payment": 7, "payment_allocation": 7}, "Total Approved:"),
    "teamsnap-transactions": (
        "summary", "515.00", {"payment": 5, "payment_allocation": 5, "refund": 2}, "Total"),
    "mariana-tek-payment-transactions": (
        "summary", "242.00", {"payment": 5, "payment_allocation": 5, "refund": 1}, None),
    "leagueapps-transaction-detail": (
        "summary", "395.00", {"payment": 3, "payment_allocation": 3, "refund": 1}, "Total"),
    "brightwheel-billing-transactions": (
        "detailed", "3160.00", {"charge": 4, "payment": 3, "payment_allocation": 1}, None),
}
# Brightwheel's charges: what the invoices must add up to.
BRIGHTWHEEL_CHARGES = Decimal("3135.00")
# Warnings a sample may raise: names used as keys, refunds matched to their payment.
EXPECTED_WARNINGS = ("natural key", "matched to payment")


def _import(name: str) -> ImportResult:
    preset = load_preset(builtin_presets_dir(), name)
    return import_paths([SAMPLES / f"{name}.csv"], preset)


def _preview(result: ImportResult, style: str) -> Preview:
    data = Dataset.from_records(r for records in result.records.values() for r in records)
    days = [r.date for r in (*data.payments, *data.refunds, *data.charges)]
    last = max(days)
    period = Period(min(days).replace(day=1),
                    last.replace(day=monthrange(last.year, last.month)[1]))
    mapping = MappingConfig(style=style, go_live=period.start if style == "summary" else None,
                            organisation_class="Test Org", create_missing=True)
    return build_preview(plan(data, mapping, {}, period))


def _totals_row(name: str, label: str) -> Decimal:
    """The sample's own totals row, read without the importer: its last amount."""
    with (SAMPLES / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.reader(handle) if label in r)
    cell = [c for c in row if c.strip().startswith(("$", "-$", "($"))][-1]
    return Decimal(cell.replace("$", "").replace(",", "").replace("(", "-").replace(")", ""))


def test_every_builtin_preset_has_a_sample_and_a_figure() -> None:
    assert sorted(EXPECTED) == builtin_preset_names()
    assert all((SAMPLES / f"{name}.csv").exists() for name in EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_sample_imports_cleanly(name: str) -> None:
    result = _import(name)
    assert result.ok, [i.as_text() for i in result.errors]
    unexpected = [i.as_text() for i in result.issues
                  if not any(word in i.reason for word in EXPECTED_WARNINGS)]
    assert not unexpected
    made = {t: n for t, n in result.counts().items() if t in EXPECTED[name][2]}
    assert made == EXPECTED[name][2]
    assert result.files[0]["records"]["payment"] == EXPECTED[name][2]["payment"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_sample_previews_to_its_own_totals(name: str) -> None:
    style, net, _, label = EXPECTED[name]
    if label is not None:
        assert _totals_row(name, label) == Decimal(net)  # the figure is the file's own
    preview = _preview(_import(name), style)
    assert preview.balanced and not preview.blocking
    if style == "summary":
        tenders = [t for t in preview.totals if t.account in TENDER_ACCOUNTS]
        assert sum((t.net for t in tenders), Decimal(0)) == Decimal(net)
    else:
        kinds = {k.entity: k.amount for k in preview.kinds}
        assert kinds["Payment"] == Decimal(net) and kinds["Invoice"] == BRIGHTWHEEL_CHARGES


def test_the_samples_report_what_they_skipped() -> None:
    result = _import("iclasspro-bank-deposit")
    reasons = [s["reason"] for s in result.files[0]["skipped"]]
    assert reasons.count("title line above the header") == 3
    assert reasons.count("totals row") == 7  # six subtotals and the grand total
    assert "section heading: rows under it are voided (deleted) payments" in reasons
    voided = [p for p in result.records["payment"] if p.status == "voided"]
    assert [p.payment_id for p in voided] == ["TX-88190"]
