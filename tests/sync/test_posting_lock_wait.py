"""The posting lock: a bounded wait for the unattended sync, and a held lock passed on."""

from __future__ import annotations

import threading
import time

import pytest

from app.config import resolve_paths
from app.models.company import Company
from app.models.database import Database
from app.sync.posting_lock import PostingLocked, holding, posting_lock


@pytest.fixture
def database(tmp_path):
    database = Database.open(resolve_paths(tmp_path))
    with database.session() as session:
        session.add_all([Company(name="A"), Company(name="B")])
    yield database
    database.close()


def hold_for(database: Database, seconds: float) -> threading.Event:
    taken = threading.Event()

    def holder() -> None:
        with posting_lock(database, 1, "A"):
            taken.set()
            time.sleep(seconds)

    threading.Thread(target=holder, daemon=True).start()
    assert taken.wait(5)
    return taken


def test_a_waiting_writer_gets_the_lock_when_the_holder_finishes(database):
    started = time.monotonic()
    hold_for(database, 1.0)
    with posting_lock(database, 1, "A", wait=10):
        waited = time.monotonic() - started
    assert 0.8 <= waited < 5


def test_a_waiting_writer_stops_with_the_message_when_the_wait_is_over(database):
    hold_for(database, 3.0)
    started = time.monotonic()
    with pytest.raises(PostingLocked, match="already running on A"), \
            posting_lock(database, 1, "A", wait=0.6):
        pass
    assert 0.5 <= time.monotonic() - started < 2.5


def test_without_a_wait_the_second_writer_stops_at_once(database):
    hold_for(database, 2.0)
    started = time.monotonic()
    with pytest.raises(PostingLocked), posting_lock(database, 1, "A"):
        pass
    assert time.monotonic() - started < 0.5


def test_the_holder_passes_its_lock_on_and_nobody_else_can_use_it(database):
    with posting_lock(database, 1, "A") as held:
        with holding(database, 1, "A", held):  # the sync's post inside the sync's lock
            pass
        with pytest.raises(PostingLocked), holding(database, 1, "A"):  # not passed on
            pass
        with holding(database, 2, "B", held):  # another company: its own lock, taken
            pass
    with pytest.raises(RuntimeError, match="after it was released"), \
            holding(database, 1, "A", held):
        pass
