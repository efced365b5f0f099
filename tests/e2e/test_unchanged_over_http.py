"""A post with nothing changed since the run that posted it all plans nothing at all.

The fingerprint of the plan's inputs (source records, mapping with ids, ledger, period,
locked months) is kept by a finished post; any change to one of them plans again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

import app.posting as posting
from app.company_data import load_company_data
from app.domain.dataset import Dataset
from app.mapping.defaults import with_defaults
from app.posting import latest_run, unchanged
from app.sync.periods import Month, lock
from app.sync.preflight import check_company
from tests.e2e.books import Books
from tests.e2e.demo import MONTHS, defaults_mapping, demo_dataset

JANUARY = MONTHS[0]


@pytest.fixture
def books(tmp_path) -> Iterator[Books]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=60.0) as simulator:
        books = Books(tmp_path, simulator, defaults_mapping("summary"), 60.0)
        books.load(demo_dataset(tmp_path / "demo", families=5, months=1))
        yield books
        books.close()


def is_unchanged(books: Books) -> bool:
    data = load_company_data(books.database, company_id=books.company_id)
    assert data.mapping is not None
    mapping = check_company(books.client, with_defaults(data.mapping, data.dataset)).mapping
    return unchanged(books.database, books.company_id, JANUARY, mapping)


def test_nothing_changed_means_no_plan_and_any_change_plans_again(books, monkeypatch):
    assert not is_unchanged(books)
    assert books.post(JANUARY).exit_code == 0
    assert latest_run(books.database, books.company_id).inputs_digest  # type: ignore[union-attr]
    assert is_unchanged(books)

    planned: list[Any] = []
    real = posting.make_plan
    monkeypatch.setattr(posting, "make_plan", lambda *a, **k: planned.append(1) or real(*a, **k))
    again = books.post(JANUARY)
    assert again.run_status == "nothing to send" and planned == []

    data = load_company_data(books.database, company_id=books.company_id).dataset
    payment = data.payments[0]
    books.load(Dataset.from_records(
        [dataclasses.replace(payment, amount=payment.amount + 1) if r is payment else r
         for r in data.all_records()]))
    assert not is_unchanged(books)  # a source record changed
    books.load(data)
    assert is_unchanged(books)  # back as it was
    lock(books.database, books.company_id, Month(2024, 12))
    assert not is_unchanged(books)  # a locked month is an input too
    assert books.post(JANUARY).run_status == "nothing to send" and planned  # planned again
