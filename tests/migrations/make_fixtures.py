#!/usr/bin/env python3
"""Make ``data/schema_<REV>.db``: a database written by the release whose newest migration
is REV, for the upgrade tests (``test_upgrade_fixtures.py``, STYLE 10).

    python tests/migrations/make_fixtures.py 0001        # or 0002, 0003; several at once

Each database is made by *that release's own code*: its tree is taken from git
(``git archive COMMIT``, the commits in ``RELEASES``) into a temporary folder and its real
command line is run there, in a temporary home, on the demo exports: ``demo-data``,
``import``, ``connect --environment local`` (the built-in simulator), ``mapping import``,
then what the release could do (``post`` a month and ``period lock`` it from 0002 on; a
folder sync from 0003 on), a second import that changes a customer, and a rejected
import (an invalid amount). Tables that release's commands never filled (0001 had no
poster, so no run, job or ledger row was ever written by it) get representative rows in
plain SQL: ledger rows in every state 0002's data migration handles.

Nothing here touches the real keyring or the user's folders: the keyring is a plaintext
file in the temporary home (``keyrings.alt``), HOME and the XDG folders point there, and
no ``LEDGERBRIDGE_*`` variable of the caller is passed on. The result is checkpointed
and vacuumed, so one ``.db`` file is the whole database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE / "data"
# Release (its newest migration) -> the commit whose code writes its database.
# None: this checkout (the release being made; name its commit here once released,
# since the script refuses a checkout whose newest migration is not REV).
RELEASES: dict[str, str | None] = {
    "0001": "97d3311",  # the client, simulator and preview; head 0001; no poster yet
    "0002": "1249730",  # the poster and the shell; head 0002 (what "ship" started from)
    "0003": None,
}
MONTH = ("--from", "2025-01-01", "--to", "2025-01-31")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revisions", nargs="+", choices=sorted(RELEASES))
    args = parser.parse_args()
    for revision in args.revisions:
        path = make(revision)
        print(f"{path.relative_to(REPO)}: {counts(path)}")
    return 0


def make(revision: str) -> Path:
    with tempfile.TemporaryDirectory(prefix=f"lb-fixture-{revision}-") as folder:
        work = Path(folder)
        source = checkout(RELEASES[revision], work / "src")
        session = Session(source, work)
        session.run_demo(revision)
        database = session.home / "data" / "ledgerbridge.db"
        with closing(sqlite3.connect(database)) as connection, connection:
            head = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            if head != revision:
                raise SystemExit(f"the code of {RELEASES[revision]} wrote schema {head}, "
                                 f"not {revision}")
            fill_empty_tables(connection, revision)
        return finish(database, DATA / f"schema_{revision}.db")


def checkout(commit: str | None, target: Path) -> Path:
    if commit is None:
        return REPO
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


class Session:
    """That release's ``ledgerbridge`` command line in a temporary home."""

    def __init__(self, source: Path, work: Path) -> None:
        self.source, self.home, self.exports = source, work / "home", work / "exports"
        user = work / "user"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERBRIDGE_")}
        env.update({"PYTHONPATH": str(source), "HOME": str(user),
                    "XDG_DATA_HOME": str(user / "share"), "XDG_CONFIG_HOME": str(user / "cfg"),
                    "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                    "QT_QPA_PLATFORM": "offscreen", "TZ": "UTC"})
        self.env = env

    def run(self, *args: str, expect: int = 0) -> str:
        result = subprocess.run([sys.executable, "-m", "app.cli", "--home", str(self.home),
                                 *args], cwd=self.source, env=self.env, text=True,
                                capture_output=True, timeout=600)
        if result.returncode != expect:
            raise SystemExit(f"ledgerbridge {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")
        return result.stdout

    def run_demo(self, revision: str) -> None:
        self.run("demo-data", "--out", str(self.exports), "--families", "6", "--months", "2",
                 "--seed", "7")
        self.run("import", str(self.exports))
        self.run("connect", "--environment", "local")
        self.run("mapping", "import",
                 str(self.source / "resources" / "examples" / "demo-mapping.toml"))
        if revision >= "0002":
            self.run("post", "--yes", *MONTH)
            self.run("period", "lock", "2025-01")
        changed = self.exports.parent / "changed"
        changed.mkdir()
        customers = (self.exports / "customers.csv").read_text(encoding="utf-8")
        (changed / "customers.csv").write_text(
            customers.replace("family1@example.org", "priya.dangelo@example.org"),
            encoding="utf-8")
        self.run("import", str(changed))
        invalid = self.exports.parent / "invalid"
        invalid.mkdir()
        payments = (self.exports / "payments.csv").read_text(encoding="utf-8").splitlines()
        payments[1] = payments[1].replace(",80.00,", ",eighty,")
        (invalid / "payments.csv").write_text("\n".join(payments) + "\n", encoding="utf-8")
        self.run("import", str(invalid), expect=2)
        if revision >= "0003":
            self.sync()

    def sync(self) -> None:
        """A folder sync: one new file set read and posted, then a rejected file kept."""
        watch = self.exports.parent / "watch"
        watch.mkdir()
        shutil.copy(self.exports / "customers.csv", watch / "customers.csv")
        self.run("sync-source", "folder", str(watch))
        self.run("sync", "--to", "2025-02-28", "--settle", "0")
        shutil.copy(self.exports.parent / "invalid" / "payments.csv", watch / "payments.csv")
        self.run("sync", "--to", "2025-02-28", "--settle", "0", expect=2)


def fill_empty_tables(connection: sqlite3.Connection, revision: str) -> None:
    """Representative rows in every table the release's commands left empty."""
    empty = [name for name in tables(connection)
             if connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] == 0]
    if not empty:
        return
    if revision != "0001" or set(empty) - set(EXTRA_0001):
        raise SystemExit(f"schema {revision}: no rows in {', '.join(empty)}; add them here")
    company = connection.execute("SELECT MIN(id) FROM company").fetchone()[0]
    for name in empty:
        for statement in EXTRA_0001[name]:
            connection.execute(statement, {"company": company})


# The 0001 poster tables as the first design used them: a run, a job, and ledger rows in
# each state (0002 keeps posted/voided, makes sending/unknown a job to look up, drops
# failed/deleted: nothing of theirs is in QuickBooks).
_STAMP = "'2025-02-01 09:00:00.000000'"
EXTRA_0001: dict[str, list[str]] = {
    "posting_run": [
        "INSERT INTO posting_run (id, company_id, kind, period_from, period_to, started_at, "
        f"finished_at, status, mapping_version, source_hashes, counts) VALUES (1, :company, "
        f"'post', '2025-01-01', '2025-01-31', {_STAMP}, {_STAMP}, 'finished', 1, "
        "'[{\"file\": \"payments.csv\", \"sha256\": \"ab12\"}]', '{\"posted\": 2}')"],
    "job": [
        "INSERT INTO job (id, company_id, run_id, idempotency_key, ledger_key, operation, "
        "entity_type, payload, depends_on, status, attempts, last_error_code, "
        "last_error_message, qbo_id, txn_date, created_at, updated_at) VALUES (1, :company, "
        "1, 'je:2025-01-12#create#0123456789abcdef', 'je:2025-01-12', 'create', "
        "'JournalEntry', '{\"TxnDate\": \"2025-01-12\"}', '[]', 'posted', 1, NULL, NULL, "
        f"'101', '2025-01-12', {_STAMP}, {_STAMP})",
        "INSERT INTO job (id, company_id, run_id, idempotency_key, ledger_key, operation, "
        "entity_type, payload, depends_on, status, attempts, last_error_code, "
        "last_error_message, qbo_id, txn_date, created_at, updated_at) VALUES (2, :company, "
        "1, 'je:2025-01-13#create#fedcba9876543210', 'je:2025-01-13', 'create', "
        "'JournalEntry', '{}', '[]', 'failed', 2, '6000', 'A business validation error', "
        f"NULL, '2025-01-13', {_STAMP}, {_STAMP})"],
    "ledger_entry": [
        "INSERT INTO ledger_entry (company_id, key, entity_type, qbo_id, sync_token, "
        "doc_number, content_hash, total_amount, txn_date, posted_payload, state, posted_at, "
        f"last_run_id, created_at, updated_at) VALUES (:company, '{key}', 'JournalEntry', "
        f"{qbo_id}, '0', NULL, '{digest}', '125.50', '{day}', "
        f"'{{\"TxnDate\": \"{day}\", \"Amount\": \"125.50\"}}', '{state}', {_STAMP}, 1, "
        f"{_STAMP}, {_STAMP})"
        for key, qbo_id, digest, day, state in (
            ("je:2025-01-12", "'101'", "a" * 64, "2025-01-12", "posted"),
            ("je:2025-01-14", "'102'", "b" * 64, "2025-01-14", "voided"),
            ("je:2025-01-15", "NULL", "c" * 64, "2025-01-15", "sending"),
            ("je:2025-01-16", "NULL", "d" * 64, "2025-01-16", "unknown"),
            ("je:2025-01-13", "NULL", "e" * 64, "2025-01-13", "failed"),
            ("je:2025-01-17", "'103'", "f" * 64, "2025-01-17", "deleted"),
        )],
    "locked_period": [
        "INSERT INTO locked_period (company_id, period_start, period_end, locked_at, note) "
        f"VALUES (:company, '2024-12-01', '2024-12-31', {_STAMP}, 'before go-live')"],
}


def tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                              "NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name")
    return [name for (name,) in rows]


def finish(database: Path, target: Path) -> Path:
    """One self-contained file: the WAL folded in, free pages dropped."""
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("VACUUM")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database, target)
    return target


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        return {name: connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                for name in tables(connection)}


if __name__ == "__main__":
    sys.exit(main())
