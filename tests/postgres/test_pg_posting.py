"""The poster on PostgreSQL: the advisory lock between machines, and a post end to end."""

from __future__ import annotations

from contextlib import nullcontext

import pytest

from app.models.company import Company
from app.reconciliation import reconcile
from app.sync.posting_lock import PostingLocked, posting_lock
from tests.e2e.books import Books
from tests.e2e.demo import MONTHS, defaults_mapping, demo_dataset
from tests.sync.simulator_helpers import write_requests


def test_the_posting_lock_is_one_per_company_across_connections(pg_database, pg_url):
    from app.models.database import Database, create_database_engine

    with pg_database.session() as session:
        session.add_all([Company(name="A"), Company(name="B")])
    other = Database(create_database_engine(pg_url))  # as a second machine would
    try:
        with posting_lock(pg_database, 1, "A"):
            with pytest.raises(PostingLocked, match="already running on A"), \
                    posting_lock(other, 1, "A"):
                pass
            with posting_lock(other, 2, "B"):  # another company is not held up
                pass
        with posting_lock(other, 1, "A"):  # released with the first holder's block
            pass
    finally:
        other.close()


def test_a_post_on_postgresql_reconciles_and_a_second_sends_nothing(pg_url, tmp_path):
    from app.simulator import SandboxServer

    demo = demo_dataset(tmp_path / "demo", families=5, months=1)
    with SandboxServer(port=0, time_scale=60.0) as simulator:
        books = Books(tmp_path / "home", simulator, defaults_mapping("detailed"), 60.0,
                      database_url=pg_url)
        books.load(demo)
        assert books.post(MONTHS[0]).exit_code == 0
        result = reconcile(books.database, books.company_id, lambda: nullcontext(books.client),
                           MONTHS[0])
        assert result.agrees, result.as_text()
        writes = write_requests(simulator.info)
        assert books.post(MONTHS[0]).summary.total == 0  # type: ignore[union-attr]
        assert write_requests(simulator.info) == writes
        books.close()
