"""A run's manifest names the files its records came from: never a rejected import's."""

from __future__ import annotations

from app.demo_company import demo_paths, open_demo_database, prepare_demo_company
from app.models.imports import ImportBatch
from app.posting import source_hashes


def test_a_rejected_import_is_not_among_a_runs_source_files(tmp_path):
    paths = demo_paths(tmp_path).ensure()
    database = open_demo_database(paths)
    try:
        company_id = prepare_demo_company(paths, database)
        stored = source_hashes(database, company_id)
        assert stored and all(f["file"] != "bad-payments.csv" for f in stored)
        with database.session() as session:
            session.add(ImportBatch(company_id=company_id, source_kind="csv", status="rejected",
                                    files=[{"path": "bad-payments.csv", "sha256": "ab" * 32,
                                            "rows": 3}], error_count=2))
        assert source_hashes(database, company_id) == stored
    finally:
        database.close()
