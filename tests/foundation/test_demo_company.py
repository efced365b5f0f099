"""The demo company: simulator started, company connected, demo exports imported once."""

from sqlalchemy import func, select

from app.demo_company import DemoCompany, demo_paths
from app.mapping.store import load_mapping
from app.models import ImportBatch, SourceRecord
from app.models.company import active_company
from app.models.database import Database


def test_demo_company_starts_connected_with_its_exports(tmp_path):
    paths = demo_paths(tmp_path).ensure()
    assert paths.data_dir == (tmp_path / "data" / "demo" / "data").resolve()
    database = Database.open(paths)
    demo = DemoCompany.start(paths, database)
    try:
        info = demo.client.query("SELECT * FROM CompanyInfo")
        assert "simulator" in info[0]["CompanyName"].lower()
        with database.session() as session:
            company = active_company(session)
            assert company.connection_state == "connected" and company.environment == "local"
            records = session.scalar(select(func.count()).select_from(SourceRecord))
            assert records > 100
            assert company.posting_style == "summary"  # the example mapping came with it
            assert load_mapping(session, company.id).create_missing
    finally:
        demo.stop()
    again = DemoCompany.start(paths, database)  # a restart reuses folder and simulator file
    again.stop()
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1
        assert session.scalar(select(func.count()).select_from(SourceRecord)) == records
    database.close()
