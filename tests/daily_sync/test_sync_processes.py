"""Issue 13's acceptance, with real processes: ``ledgerbridge sync`` as a scheduled task
runs it (``python -m app.cli --home H sync --scheduled``), a simulator in a process of its
own over loopback, tokens in a file keyring of the test's (``tests/reliability``'s
harness), and what QuickBooks holds read back over plain HTTP.

* Two syncs and a post from the window (``window_post.py``: ``post_period`` as the window
  calls it) started at once on one company: exactly one posts; a sync that finds the
  company taken waits and then has nothing left to send; the window's post, when it
  finds it taken, stops at once with the lock's message; nothing is posted twice.
* A scheduled sync whose QuickBooks sign-in expired, whose API source is unreachable, or
  whose exports are invalid posts nothing, loses nothing, and leaves a report that the
  app finds when it opens (``unseen_failures``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.config import resolve_paths
from app.daily_sync.history import SyncSummary, unseen_failures
from app.models import PostingRun, SourceRecord, SyncFile, SyncRun
from app.models.database import Database
from tests.reliability.harness import REPO_ROOT, Home, Simulator, detailed_mapping, local_state
from tests.reliability.qbo_snapshot import snapshot

TIME_SCALE = 60.0
LOCKED = "another Ledgerbridge post is already running"
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sync-exports")
    Home(folder / "writer").run("demo-data", "--out", str(folder / "demo"), "--families",
                                "40", "--months", "2")
    return folder / "demo"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, exports) -> Path:
    """A data folder with the mapping (detailed style) and a watch folder holding the
    exports, not connected: each test copies it and connects the copy."""
    folder = tmp_path_factory.mktemp("sync-prepared")
    home = Home(folder)
    home.run("mapping", "import", str(detailed_mapping(folder)))
    watch = home.path / "watch" / "2025-02-28"
    shutil.copytree(exports, watch)
    for path in watch.iterdir():  # exported an hour ago: settled
        os.utime(path, (time.time() - 3600,) * 2)
    home.run("sync-source", "folder", str(home.path / "watch"))
    return home.path


@pytest.fixture
def simulator(tmp_path) -> Iterator[Simulator]:
    with Simulator(tmp_path / "simulator", TIME_SCALE) as running:
        yield running


def connected(prepared: Path, tmp_path: Path, simulator: Simulator) -> Home:
    """A copy of the prepared folder, connected to ``simulator``; the watch folder moves
    with it, so the copy's sync source is pointed at its own."""
    home = Home.copy_of(prepared, tmp_path / "office", simulator)
    home.run("sync-source", "folder", str(home.path / "watch"))
    return home


class Books:
    """The home's database as the app opens it (by its own file: no test override)."""

    def __init__(self, home: Home) -> None:
        paths = resolve_paths(home.path)
        self.database = Database.open(paths, url=f"sqlite:///{paths.database_file}")

    def __enter__(self) -> Books:
        return self

    def __exit__(self, *exc: object) -> None:
        self.database.close()

    def count(self, model: Any) -> int:
        with self.database.session() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)

    def syncs(self) -> list[SyncRun]:
        with self.database.session() as session:
            return list(session.scalars(select(SyncRun).order_by(SyncRun.id)))

    def unseen(self) -> list[SyncSummary]:
        return unseen_failures(self.database, 1)


def sync_json(home: Home, *args: str, expect: int) -> dict[str, Any]:
    reports = home.json("sync", "--scheduled", *args, expect=expect)
    assert len(reports) == 1
    return dict(reports[0])


def window_post(home: Home, tag: str) -> subprocess.Popen[str]:
    with open(home.folder / f"{tag}.out", "w") as out, \
            open(home.folder / f"{tag}.err", "w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.daily_sync.window_post", "--home", str(home.path),
             "--to", YESTERDAY], cwd=REPO_ROOT, env=home.env, text=True, stdout=out,
            stderr=err)


@pytest.mark.slow
def test_two_syncs_and_a_post_from_the_window_at_once_post_everything_once(
        tmp_path, prepared, simulator):
    home = connected(prepared, tmp_path, simulator)
    home.run("import", str(home.path / "watch" / "2025-02-28"))  # the window has the data too
    operations = len(home.json("preview", "--to", YESTERDAY)["operations"])
    assert operations > 300

    started = time.monotonic()
    processes = {"sync-a": home.start("sync", "--scheduled", "--json", tag="sync-a"),
                 "sync-b": home.start("sync", "--json", tag="sync-b"),
                 "window": window_post(home, "window")}
    ended: dict[str, float] = {}
    while len(ended) < len(processes):
        for tag, process in processes.items():
            if tag not in ended and process.poll() is not None:
                ended[tag] = time.monotonic() - started
        assert time.monotonic() - started < 600, "the three did not finish in 10 minutes"
        time.sleep(0.01)
    codes = {tag: process.returncode for tag, process in processes.items()}
    outputs = {tag: home.output(tag) for tag in processes}

    posted = {tag: _posted(tag, outputs[tag][0]) for tag in processes if codes[tag] == 0}
    assert codes["sync-a"] == codes["sync-b"] == 0, outputs
    assert codes["window"] in (0, 2), outputs["window"]
    winners = [tag for tag, n in posted.items() if n]
    assert len(winners) == 1 and posted[winners[0]] == operations, (posted, outputs)
    winner = winners[0]
    if codes["window"] == 2:  # it found the company taken: it stopped at once, saying so
        assert LOCKED in outputs["window"][1] and outputs["window"][0] == ""
        assert ended["window"] < ended[winner], ended
    with Books(home) as books:
        syncs = books.syncs()
        assert books.count(SyncFile) == 9  # the watch folder was read once, not twice
        with books.database.session() as session:
            runs = list(session.scalars(select(PostingRun)))
    assert [s.status for s in syncs] == ["ok", "ok"]
    assert len(runs) == 1 and runs[0].finished_at is not None
    for sync in syncs:  # a sync that did not post waited for the run that did
        if not sync.counts.get("posted"):
            assert sync.finished_at >= runs[0].finished_at, (sync.id, runs[0].id)

    books_held = snapshot(simulator.reader.query)
    assert books_held.duplicates == {}, books_held.duplicates  # nothing posted twice
    state = local_state(home)
    assert state["runs"] == ["finished"], state  # one run posted; the others found nothing
    assert state["jobs"] == {"posted": operations} and state["posted_twice"] == []
    assert state["ledger"] == operations and state["ledger_keys_unique"]
    print(f"\n{winner} posted {operations} operations in {ended[winner]:.1f} s; the others "
          f"ended after {', '.join(f'{t} {s:.1f} s' for t, s in ended.items() if t != winner)}"
          f" (window exit {codes['window']})")


def _posted(tag: str, out: str) -> int:
    if tag == "window":
        return int(json.loads(out)["counts"].get("posted", 0))
    return int(json.loads(out)[0]["post"]["counts"].get("posted", 0))


def test_a_scheduled_sync_whose_quickbooks_sign_in_expired_posts_nothing_keeps_everything_and_reports_it(  # noqa: E501
        tmp_path, prepared, simulator):
    home = connected(prepared, tmp_path, simulator)
    first = sync_json(home, "--to", "2025-01-31", expect=0)
    assert first["status"] == "ok" and first["post"]["counts"]["posted"] > 0
    watch = home.path / "watch" / "2025-03-01"  # a new export arrives
    watch.mkdir()
    customers = (home.path / "watch" / "2025-02-28" / "customers.csv").read_text()
    (watch / "customers.csv").write_text(customers.replace("family1@", "new.address@"))
    os.utime(watch / "customers.csv", (time.time() - 3600,) * 2)
    simulator.admin("clock", {"advance_seconds": 101 * 86400})  # the 100-day sign-in is over
    writes = simulator.write_requests()

    report = sync_json(home, "--to", "2025-02-28", expect=2)
    assert report["status"] == "failed" and report["trigger"] == "scheduled"
    assert [p["kind"] for p in report["problems"]] == ["reconnect"], report["problems"]
    assert simulator.write_requests() == writes  # nothing posted
    assert report["import"]["files_read"]  # the new export was imported, and is kept
    with Books(home) as books:
        shown = books.unseen()
        assert [(s.status, s.trigger, s.problems[0].kind) for s in shown] == [
            ("failed", "scheduled", "reconnect")]
        assert "Reconnect QuickBooks" in shown[0].problems[0].fix
        assert Path(shown[0].report_file or "").is_file()

    home.connect(simulator)  # the bookkeeper reconnects; the next sync posts the rest
    after = sync_json(home, "--to", "2025-02-28", expect=0)
    assert after["status"] == "ok" and after["post"]["counts"]["posted"] > 0
    assert home.json("preview", "--to", "2025-02-28")["operations"] == []
    assert snapshot(simulator.reader.query).duplicates == {}


def test_a_scheduled_sync_whose_api_source_is_unreachable_posts_nothing_and_reports_it(
        tmp_path, prepared, simulator):
    home = connected(prepared, tmp_path, simulator)
    home.run("import", str(home.path / "watch" / "2025-02-28"))  # what was imported before
    with Books(home) as books:
        stored = books.count(SourceRecord)
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run([*home.command("source", "add", "regsys", "--base-url",
                                  f"http://127.0.0.1:{port}/", "--endpoint",
                                  "payment=/v1/payments", "--secret-stdin")],
                   input="the-api-key\n", cwd=REPO_ROOT, env=home.env, text=True,
                   check=True, capture_output=True)
    home.run("sync-source", "api", "regsys")

    report = sync_json(home, expect=2)
    assert report["status"] == "failed"
    assert [p["kind"] for p in report["problems"]] == ["source_unreachable"]
    assert "the-api-key" not in json.dumps(report)
    assert simulator.write_requests() == 0 and report["post"] is None
    with Books(home) as books:
        assert books.count(SourceRecord) == stored  # nothing lost
        assert [s.problems[0].kind for s in books.unseen()] == ["source_unreachable"]


def test_a_scheduled_sync_whose_exports_are_invalid_posts_nothing_and_reports_it(
        tmp_path, prepared, simulator):
    home = connected(prepared, tmp_path, simulator)
    payments = home.path / "watch" / "2025-02-28" / "payments.csv"
    lines = payments.read_text().splitlines()
    cells = lines[1].split(",")
    cells[3] = "eighty"
    lines[1] = ",".join(cells)
    payments.write_text("\n".join(lines) + "\n")
    os.utime(payments, (time.time() - 3600,) * 2)

    report = sync_json(home, expect=2)
    assert [p["kind"] for p in report["problems"]] == ["invalid_files"]
    assert simulator.write_requests() == 0
    assert "eighty" in Path(report["files"]["errors"]).read_text(encoding="utf-8-sig")
    with Books(home) as books:
        assert books.count(SourceRecord) == 0 and books.count(SyncFile) == 0
        assert [(s.trigger, s.problems[0].kind) for s in books.unseen()] == [
            ("scheduled", "invalid_files")]
    assert payments.exists()  # left in place, to be corrected
