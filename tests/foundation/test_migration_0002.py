"""Revision 0002: the ledger keeps only what exists in QBO; in-doubt rows become jobs."""

from sqlalchemy import text

from app.models.database import Database, create_database_engine

LEDGER_ROW = (
    "INSERT INTO ledger_entry (company_id, key, entity_type, qbo_id, content_hash, "
    "posted_payload, state, created_at, updated_at) VALUES (1, :key, 'Invoice', :id, "
    ":hash, '{\"DocNumber\": \"A1\", \"Line\": [{\"Amount\": \"12.50\"}]}', :state, "
    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')")


def test_ledger_rows_in_doubt_become_sending_jobs_and_the_rest_survive(tmp_path):
    database = Database(create_database_engine(f"sqlite:///{tmp_path / 'old.db'}"))
    database.upgrade("0001")
    with database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO company (id, name, environment, connection_state, sync_schedule, "
            "mapping_version, created_at, updated_at) VALUES (1, 'Riverside', 'local', "
            "'connected', 'manual', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        for key, qbo_id, state in (("invoice:order:A1", "7", "posted"),
                                   ("invoice:order:A2", None, "sending"),
                                   ("invoice:order:A3", "9", "unknown"),
                                   ("invoice:order:A4", None, "failed"),
                                   ("payment:P1", "11", "voided")):
            connection.execute(text(LEDGER_ROW), {"key": key, "id": qbo_id,
                                                  "hash": "ab" * 32, "state": state})
    database.upgrade("head")
    with database.engine.connect() as connection:
        ledger = dict(connection.execute(text("SELECT key, state FROM ledger_entry")).all())
        jobs = connection.execute(text(
            "SELECT ledger_key, status, operation, request_id, payload FROM job "
            "ORDER BY ledger_key")).all()
    assert ledger == {"invoice:order:A1": "posted", "payment:P1": "voided"}
    assert [(j.ledger_key, j.status, j.operation) for j in jobs] == [
        ("invoice:order:A2", "sending", "create"), ("invoice:order:A3", "sending", "create")]
    assert all(len(j.request_id) == 32 for j in jobs)
    assert '"12.50"' in jobs[0].payload
    database.close()
