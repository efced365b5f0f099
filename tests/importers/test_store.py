"""Re-import semantics: no-op, update with a diff, missing flagged never deleted, history."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import resolve_paths
from app.domain.codec import record_to_json
from app.importers.pipeline import import_paths
from app.importers.store import content_hash, known_records, load_dataset, store_import
from app.models.company import active_company
from app.models.database import Database
from app.models.imports import ImportBatch, SourceRecord, SourceRecordChange
from tests.importers.helpers import small_export, write_records


@pytest.fixture
def database(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = Database.open(resolve_paths(tmp_path / "home").ensure())
    yield db
    db.close()


def _import(database: Database, folder: Path, *, full: bool = False):  # type: ignore[no-untyped-def]
    with database.session() as session:
        company = active_company(session, create=True)
        known = known_records(session, company.id)
    result = import_paths([folder], known=known)
    with database.session() as session:
        return result, store_import(session, result, full=full, user="anne")


def test_first_import_stores_canonical_json_with_a_hash(database: Database, tmp_path: Path):
    result, summary = _import(database, small_export(tmp_path / "x"))
    assert summary.status == "imported"
    assert summary.counts["payment"] == {"new": 2, "changed": 0, "unchanged": 0, "missing": 0}
    with database.session() as session:
        row = session.scalars(select(SourceRecord).where(SourceRecord.source_id == "P1")).one()
        payment = next(p for p in result.records["payment"] if p.payment_id == "P1")
        assert row.data == record_to_json(payment) and row.content_hash == content_hash(row.data)
        batch = session.get(ImportBatch, summary.batch_id)
        assert batch.user == "anne" and batch.status == "imported" and batch.finished_at
        assert {f["path"] for f in batch.files} >= {"payments.csv", "customers.csv"}
        assert all(len(f["sha256"]) == 64 for f in batch.files)
        assert batch.counts["refund"]["new"] == 1


def test_reimporting_the_same_files_is_a_no_op(database: Database, tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    _import(database, folder)
    _, summary = _import(database, folder, full=True)
    assert all(c["new"] == c["changed"] == c["missing"] == 0 for c in summary.counts.values())
    assert summary.counts["payment"]["unchanged"] == 2
    with database.session() as session:
        assert session.scalars(select(SourceRecordChange)).all() == []


def test_a_changed_record_is_updated_with_its_diff(database: Database, tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    _import(database, folder)
    write_records(folder, "customer", [{"customer_id": "C1", "name": "O'Brien, Anne",
                                        "email": "anne@example.org"},
                                       {"customer_id": "C2", "name": "Núñez: José"}])
    _, summary = _import(database, folder)
    assert summary.counts["customer"] == {"new": 0, "changed": 1, "unchanged": 1, "missing": 0}
    assert summary.changed == ["customer:C1"]
    with database.session() as session:
        change = session.scalars(select(SourceRecordChange)).one()
        assert change.change == "changed" and change.batch_id == summary.batch_id
        assert change.diff == {"email": {"old": None, "new": "anne@example.org"}}
        dataset = load_dataset(session, active_company(session).id)
    assert dataset.customer_by_id["C1"].email == "anne@example.org"


def test_missing_from_a_full_export_is_flagged_never_deleted(database: Database,
                                                             tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    _import(database, folder)
    write_records(folder, "customer", [{"customer_id": "C1", "name": "O'Brien, Anne"}])
    write_records(folder, "payment", [
        {"payment_id": "P1", "customer_id": "C1", "date": "2025-01-06", "tender": "card",
         "amount": "106.25", "order_id": "O1"}])
    write_records(folder, "payment_allocation", [
        {"payment_id": "P1", "program_id": "G1", "location_id": "L1", "tax_rate_id": "T1",
         "amount": "100.00", "tax_amount": "6.25"}])
    _, partial = _import(database, folder)  # not a full export: nothing is missing
    assert partial.counts["payment"]["missing"] == 0 and partial.missing == []
    _, summary = _import(database, folder, full=True)
    assert summary.counts["payment"]["missing"] == 1
    assert set(summary.missing) == {"customer:C2", "payment:P2",
                                    "payment_allocation:P2|G1||"}
    with database.session() as session:
        dataset = load_dataset(session, active_company(session).id)
        kinds = {c.change for c in session.scalars(select(SourceRecordChange))}
    assert "payment:P2" in dataset.missing and "P2" in dataset.payment_by_id  # kept
    assert kinds == {"missing"}
    small_export(folder)  # P2 comes back unchanged
    _, back = _import(database, folder, full=True)
    assert back.counts["payment"] == {"new": 0, "changed": 0, "unchanged": 2, "missing": 0}
    with database.session() as session:
        assert load_dataset(session, active_company(session).id).missing == frozenset()


def test_a_rejected_import_stores_nothing_but_is_in_the_history(database: Database,
                                                                tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    write_records(folder, "refund", [{"refund_id": "R1", "payment_id": "P1",
                                      "date": "2025-13-01", "amount": "10"}])
    result, summary = _import(database, folder)
    assert not result.ok and summary.status == "rejected"
    with database.session() as session:
        assert session.scalars(select(SourceRecord)).all() == []
        batch = session.get(ImportBatch, summary.batch_id)
        assert batch.status == "rejected" and batch.error_count == 1


def test_load_dataset_rebuilds_equal_records(database: Database, tmp_path: Path) -> None:
    result, _ = _import(database, small_export(tmp_path / "x"))
    with database.session() as session:
        company = active_company(session)
        dataset = load_dataset(session, company.id)
        known = known_records(session, company.id)
    assert sorted(dataset.payments, key=lambda p: p.key) == sorted(result.records["payment"],
                                                                   key=lambda p: p.key)
    assert len(list(dataset.all_records())) == sum(result.counts().values())
    assert known.payment_amounts == {"P1": Decimal("106.25"), "P2": Decimal("50.00")}
