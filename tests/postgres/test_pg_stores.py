"""The stores on PostgreSQL give what they give on SQLite: imports, mapping, ledger, status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from app.accounting.ledger_store import load_ledger_view, load_locked_periods
from app.importers.pipeline import import_paths
from app.importers.store import known_records, load_dataset, store_import
from app.mapping.config import MappingConfig, Target
from app.mapping.store import load_mapping, save_mapping
from app.models.company import active_company
from app.models.database import Database
from app.models.imports import ImportBatch
from app.models.jobs import LockedPeriod
from app.models.ledger import LedgerEntry
from app.status import collect_status
from tests.importers.helpers import small_export, write_records


def _import(database: Database, folder: Path, *, full: bool = False) -> dict[str, Any]:
    with database.session() as session:
        company = active_company(session, create=True)
        assert company is not None
        known = known_records(session, company.id)
    result = import_paths([folder], known=known)
    with database.session() as session:
        return store_import(session, result, full=full, user="anne").as_dict()


def _reimports(database: Database, folder: Path) -> list[dict[str, Any]]:
    """First import, a no-op re-import, a change, a full export without a record, its return."""
    summaries = [_import(database, folder), _import(database, folder)]
    write_records(folder, "customer", [{"customer_id": "C1", "name": "O'Brien, Anne-Marie"},
                                       {"customer_id": "C2", "name": "Núñez: José"}])
    summaries.append(_import(database, folder))
    both = (folder / "customers.csv").read_text(encoding="utf-8")
    write_records(folder, "customer", [{"customer_id": "C1", "name": "O'Brien, Anne-Marie"}])
    summaries.append(_import(database, folder, full=True))
    (folder / "customers.csv").write_text(both, encoding="utf-8")
    summaries.append(_import(database, folder, full=True))
    for summary in summaries:
        summary.pop("batch_id")
    return summaries


def test_reimports_match_sqlite_exactly(pg_database, sqlite_database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    on_pg = _reimports(pg_database, small_export(tmp_path / "pg"))
    on_sqlite = _reimports(sqlite_database, small_export(tmp_path / "sqlite"))
    assert on_pg == on_sqlite
    assert on_pg[2]["changed"] == ["customer:C1"]  # the update path PostgreSQL once refused
    assert on_pg[3]["missing"] == ["customer:C2"] and on_pg[4]["missing"] == []
    with pg_database.session() as pg, sqlite_database.session() as lite:
        pg_data = load_dataset(pg, active_company(pg).id)  # type: ignore[union-attr]
        lite_data = load_dataset(lite, active_company(lite).id)  # type: ignore[union-attr]
    assert pg_data == lite_data


def test_records_are_json_objects_not_strings(pg_database: Database, tmp_path: Path) -> None:
    folder = small_export(tmp_path / "x")
    _import(pg_database, folder)
    write_records(folder, "customer", [{"customer_id": "C1", "name": "Changed"},
                                       {"customer_id": "C2", "name": "Núñez: José"}])
    _import(pg_database, folder)
    with pg_database.engine.connect() as connection:
        kinds = connection.execute(text(
            "SELECT DISTINCT json_typeof(data) FROM source_record")).scalars().all()
        name = connection.execute(text(
            "SELECT data->>'name' FROM source_record WHERE source_id = 'C1'")).scalar()
    assert (kinds, name) == (["object"], "Changed")


def test_mapping_round_trip_and_version(pg_database: Database) -> None:
    config = MappingConfig(
        style="summary", go_live=date(2026, 1, 1), sync="manual", organisation_class="Org",
        organisation_class_id="100", accounts={"undeposited_funds": Target("Undeposited Funds",
                                                                           "1")},
        income={"Swim Lessons": Target("Tuition:Swim Lessons", "10")},
        tenders={"card": Target("Merchant Settlement", "2")}, create_missing=True)
    with pg_database.session() as session:
        company = active_company(session, create=True)
        assert company is not None
        assert save_mapping(session, company.id, config) == 1
        assert save_mapping(session, company.id, config) == 1  # unchanged: same version
    with pg_database.session() as session:
        assert load_mapping(session, company.id) == config


def test_ledger_money_dates_and_payloads_round_trip(pg_database: Database) -> None:
    payload = {"TotalAmt": "150.10", "Line": [{"Amount": "100.05", "Qty": "2"}], "Note": "x"}
    posted_at = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    with pg_database.session() as session:
        company = active_company(session, create=True)
        assert company is not None
        session.add(LedgerEntry(company_id=company.id, key="invoice:O1", entity_type="Invoice",
                                qbo_id="7", content_hash="h", total_amount=Decimal("150.10"),
                                txn_date=date(2026, 2, 28), posted_payload=payload,
                                state="posted", posted_at=posted_at))
        session.add(LockedPeriod(company_id=company.id, period_start=date(2026, 1, 1),
                                 period_end=date(2026, 1, 31)))
    with pg_database.session() as session:
        view = load_ledger_view(session, company.id)
        periods = load_locked_periods(session, company.id)
        stored = session.scalars(select(LedgerEntry.posted_at)).one()
    record = view["invoice:O1"]
    assert record.total_amount == Decimal("150.10")
    assert record.payload["Line"][0] == {"Amount": Decimal("100.05"), "Qty": Decimal("2")}
    assert stored == posted_at and stored.tzinfo is not None
    assert [(p.start, p.end) for p in periods] == [(date(2026, 1, 1), date(2026, 1, 31))]


def test_status_counts_match_sqlite(pg_database, sqlite_database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    reports = []
    for database, name in ((pg_database, "pg"), (sqlite_database, "sqlite")):
        _import(database, small_export(tmp_path / name))
        with database.session() as session:
            report = collect_status(session).as_dict()
            report["batches"] = session.scalars(select(ImportBatch.status)).all()
        reports.append(report)
    assert reports[0] == reports[1]
    assert reports[0]["records"]["payment"] == 2


def test_orders_do_not_depend_on_the_database(pg_database, sqlite_database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL moves an updated row to the end of its table; what we report must not."""
    config = MappingConfig(style="summary", go_live=date(2026, 1, 1), sync="manual",
                           income={k: Target(f"Tuition:{k}") for k in ("Swim", "Art", "Dance")})
    renamed = MappingConfig(style="summary", go_live=date(2026, 1, 1), sync="manual",
                            income={"Swim": Target("Tuition:Aquatics"),
                                    "Art": Target("Tuition:Art"),
                                    "Dance": Target("Tuition:Dance")})
    outcomes = []
    for database, name in ((pg_database, "pg"), (sqlite_database, "sqlite")):
        folder = tmp_path / name
        folder.mkdir()
        ids = ["C5", "C1", "C4", "C2", "C3"]
        write_records(folder, "customer", [{"customer_id": i, "name": i} for i in ids])
        _import(database, folder)
        write_records(folder, "customer", [{"customer_id": i, "name": i + "!"} for i in ids])
        _import(database, folder)  # every row updated, C5 first
        write_records(folder, "customer", [{"customer_id": "C3", "name": "C3"}])
        missing = _import(database, folder, full=True)["missing"]
        for mapping in (config, renamed):  # one transaction each, as the CLI does
            with database.session() as session:
                company = active_company(session)
                assert company is not None
                save_mapping(session, company.id, mapping)
        with database.session() as session:
            income = list(load_mapping(session, company.id).income)  # type: ignore[union-attr]
        outcomes.append((missing, income))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == ["customer:C1", "customer:C2", "customer:C4", "customer:C5"]
