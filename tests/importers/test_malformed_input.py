"""Property tests: malformed rows and cells never crash the importer, every bad cell is
reported where it is, and nothing is stored from a file set with errors."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.config import resolve_paths
from app.importers.pipeline import import_paths
from app.importers.store import store_import
from app.models.database import Database
from app.models.imports import SourceRecord

HEADER = ["payment_id", "customer_id", "date", "tender", "amount"]
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))

good_money = st.sampled_from(["12.00", "1,234.50", "$1234.5", "0", " 7.25 ", "$0.99", "3"])
bad_money = st.one_of(
    st.sampled_from(["1e3", "NaN", "12,50", "12.345", "--1", "=1+1", "$", "1.2.3", "12 USD",
                     "(12", "€5", "1_000", "-", "inf", "0x10"]),
    st.from_regex(r"[A-Za-z@=+#]{1,8}", fullmatch=True),
)
good_date = st.sampled_from(["2025-01-05", "2024-02-29", "2025-12-31", "20250105"])
bad_date = st.one_of(
    st.sampled_from(["2025-02-30", "03/04/2025", "yesterday", "2025-13-01", "5 Jan", "=NOW()"]),
    st.from_regex(r"[a-z]{3,9}", fullmatch=True),
)
good_tender = st.sampled_from(["card", "Visa", "CASH", "check", "ach", "custom:Venmo",
                               "gift_card", "Multiplier"])
bad_tender = st.sampled_from(["venmo", "custom:", "bitcoin", "@card", "cardd"])

cell_kinds = {"date": (good_date, bad_date), "tender": (good_tender, bad_tender),
              "amount": (good_money, bad_money)}


@st.composite
def payment_rows(draw):  # type: ignore[no-untyped-def]
    rows, bad_cells = [], set()
    for index in range(draw(st.integers(1, 6))):
        row = [f"P{index}", "C1"]
        for column in ("date", "tender", "amount"):
            good, bad = cell_kinds[column]
            if draw(st.booleans()):
                row.append(draw(bad))
                bad_cells.add((index + 2, column))
            else:
                row.append(draw(good))
        rows.append(row)
    return rows, bad_cells


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payment_rows())
def test_every_bad_cell_is_reported_where_it_is(case) -> None:  # type: ignore[no-untyped-def]
    rows, bad_cells = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(folder, "customers.csv", ["customer_id", "name"], [["C1", "Lee"]])
        _write(folder, "payments.csv", HEADER, rows)
        result = import_paths([folder])
    reported = {(i.row, i.column) for i in result.errors}
    assert reported == bad_cells
    assert result.ok == (not bad_cells)
    good_rows = {r[0] for n, r in enumerate(rows, 2)
                 if not any(cell[0] == n for cell in bad_cells)}
    assert {p.payment_id for p in result.records.get("payment", [])} == good_rows


any_cell = st.one_of(st.text(PRINTABLE, max_size=12), good_money, bad_money, good_date,
                     st.sampled_from(["", " ", '"', "\n", ";", "\t"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(any_cell, max_size=8), max_size=6),
       st.sampled_from(["payments.csv", "charges.csv", "refunds.csv", "customers.csv",
                        "payment_allocations.csv", "programs.csv"]),
       st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_ragged_garbage_never_crashes(rows, name, encoding) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        text = "\n".join(",".join(row) for row in rows)
        path.write_bytes(text.encode(encoding, errors="replace"))
        result = import_paths([path])
    for issue in result.errors:
        assert issue.reason and issue.file == name


@pytest.mark.sqlite_only
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payment_rows())
def test_nothing_is_stored_from_a_file_set_with_errors(case) -> None:  # type: ignore[no-untyped-def]
    rows, bad_cells = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = Database.open(resolve_paths(folder / "home").ensure())
        try:
            _write(folder, "customers.csv", ["customer_id", "name"], [["C1", "Lee"]])
            _write(folder, "payments.csv", HEADER, rows)
            result = import_paths([folder])
            with database.session() as session:
                summary = store_import(session, result)
            with database.session() as session:
                stored = session.scalar(select(func.count()).select_from(SourceRecord))
        finally:
            database.close()
    if bad_cells:
        assert stored == 0 and summary.status == "rejected"
    else:
        assert stored == len(rows) + 1 and summary.status == "imported"
