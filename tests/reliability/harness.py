"""Ledgerbridge and the QBO simulator as separate processes, for the reliability tests.

``Simulator`` is ``ledgerbridge sandbox serve`` in a process of its own (so it outlives
every post the tests kill) with its admin endpoints, and a ``SimulatorReader`` that reads
the company with plain ``requests`` (no Ledgerbridge client code: what is in QuickBooks is
seen from the other side of the wire). ``Home`` is a Ledgerbridge data folder driven only
through the real command line (``python -m app.cli --home H ...``), connected to the
simulator at its URL, with its tokens in a file keyring of the test's own
(``file_keyring.py``; never the OS keyring, never the network beyond loopback).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from tests.reliability.file_keyring import BACKEND, ENV

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_MAPPING = REPO_ROOT / "resources" / "examples" / "demo-mapping.toml"
READ_OPERATIONS = frozenset({"query", "read", "report", "cdc"})


def child_environment(keyring_file: Path) -> dict[str, str]:
    """The environment of a ``ledgerbridge`` child: the file keyring, this checkout's code.

    ``LEDGERBRIDGE_DATABASE_URL`` is dropped so that every home keeps its own SQLite file
    (homes compared with one another must not share a database).
    """
    env = {k: v for k, v in os.environ.items()
           if k not in ("LEDGERBRIDGE_DATABASE_URL", "LEDGERBRIDGE_HOME")}
    env.update({"PYTHON_KEYRING_BACKEND": BACKEND, ENV: str(keyring_file),
                "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                            env.get("PYTHONPATH")])),
                "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"})
    return env


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", *args]


class Simulator:
    """The QBO simulator outliving the posts: ``ledgerbridge sandbox serve --port 0
    --time-scale N`` in a process of its own, or (``in_process``) a ``SandboxServer`` in
    the test process, where ``server`` gives the test its internals (``KillSwitch``).
    Either way the tests talk to it over HTTP only."""

    def __init__(self, folder: Path, time_scale: float, *, in_process: bool = False) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen[str] | None = None
        self.server: Any = None
        if in_process:
            from app.simulator import SandboxServer

            self.server = SandboxServer(port=0, time_scale=time_scale).start()
            self.info: dict[str, Any] = dict(self.server.info)
        else:
            self.info = self._serve(folder, time_scale)
        self.root = str(self.info["base_url"]).removesuffix("/v3")
        self.reader = SimulatorReader(self.info)

    def _serve(self, folder: Path, time_scale: float) -> dict[str, Any]:
        with open(folder / "simulator.err", "w") as log:  # the child keeps its copy
            self.process = subprocess.Popen(
                cli_command("--home", str(folder / "home"), "sandbox", "serve", "--port", "0",
                            "--time-scale", str(time_scale)),
                cwd=REPO_ROOT, env=child_environment(folder / "unused-keyring.json"),
                stdout=subprocess.PIPE, stderr=log, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.stop()
            raise AssertionError("the simulator did not start: "
                                 f"{(folder / 'simulator.err').read_text()}")
        return dict(json.loads(line))

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- admin endpoints -------------------------------------------------------------------
    def admin(self, name: str, body: Any = None) -> dict[str, Any]:
        url = f"{self.root}/__sandbox/{name}"
        reply = requests.get(url, timeout=10) if body is None else requests.post(
            url, json=body, timeout=10)
        reply.raise_for_status()
        return dict(reply.json())

    def set_faults(self, **settings: float) -> dict[str, Any]:
        return self.admin("faults", settings)

    def faults_injected(self) -> dict[str, int]:
        return dict(self.admin("faults")["injected"])

    def expire_tokens(self) -> None:
        self.admin("expire-tokens", {})

    def stats(self) -> dict[str, Any]:
        return self.admin("stats")

    def write_requests(self) -> int:
        """API requests that could change the company (batches, creates, updates, voids,
        deletes), whatever the answer."""
        by_operation = self.stats().get("by_operation", {})
        return sum(n for op, n in by_operation.items() if op not in READ_OPERATIONS)


class SimulatorReader:
    """Reads the simulator's company over plain HTTP with a grant of its own."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self._headers: dict[str, str] | None = None
        self._company = ""

    def _authorise(self) -> None:
        info, redirect = self.info, "http://127.0.0.1:9/callback"
        consent = requests.get(info["authorization_url"], allow_redirects=False, timeout=10,
                               params={"client_id": info["client_id"],
                                       "redirect_uri": redirect, "response_type": "code",
                                       "scope": "com.intuit.quickbooks.accounting",
                                       "state": "reader"})
        callback = parse_qs(urlsplit(consent.headers["Location"]).query)
        tokens = requests.post(info["token_url"], auth=(info["client_id"],
                                                         info["client_secret"]), timeout=10,
                               data={"grant_type": "authorization_code",
                                     "code": callback["code"][0],
                                     "redirect_uri": redirect}).json()
        self._headers = {"Authorization": f"Bearer {tokens['access_token']}",
                         "Accept": "application/json"}
        self._company = f"{info['base_url']}/company/{callback['realmId'][0]}"

    def query(self, statement: str) -> list[dict[str, Any]]:
        """One page of a query (call it with no fault injection on)."""
        for _attempt in range(3):
            if self._headers is None:
                self._authorise()
            reply = requests.get(f"{self._company}/query", headers=self._headers, timeout=30,
                                 params={"query": statement, "minorversion": "75"})
            if reply.status_code == 401:  # expired (the clock runs fast): a new grant
                self._headers = None
                continue
            reply.raise_for_status()
            found = reply.json()["QueryResponse"]
            return next((v for v in found.values() if isinstance(v, list)), [])
        raise AssertionError(f"the simulator keeps refusing the reader: {reply.text}")


class Home:
    """A Ledgerbridge data folder driven through the ``ledgerbridge`` command line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "home"
        self.env = child_environment(folder / "keyring.json")
        folder.mkdir(parents=True, exist_ok=True)

    def command(self, *args: str) -> list[str]:
        return cli_command("--home", str(self.path), *args)

    def run(self, *args: str, expect: int | None = 0, timeout: float = 300
            ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(self.command(*args), cwd=REPO_ROOT, env=self.env, text=True,
                                capture_output=True, timeout=timeout)
        if expect is not None:
            assert result.returncode == expect, (
                f"ledgerbridge {' '.join(args)} exited {result.returncode}, not {expect}\n"
                f"stdout: {result.stdout[-3000:]}\nstderr: {result.stderr[-3000:]}")
        return result

    def json(self, *args: str, expect: int | None = 0) -> Any:
        return json.loads(self.run(*args, "--json", expect=expect).stdout)

    def start(self, *args: str, tag: str) -> subprocess.Popen[str]:
        """``ledgerbridge ARGS`` in the background; its output in ``<folder>/<tag>.out|err``."""
        with open(self.folder / f"{tag}.out", "w") as out, \
                open(self.folder / f"{tag}.err", "w") as err:  # the child keeps its copies
            return subprocess.Popen(self.command(*args), cwd=REPO_ROOT, env=self.env,
                                    text=True, stdout=out, stderr=err)

    def output(self, tag: str) -> tuple[str, str]:
        return ((self.folder / f"{tag}.out").read_text(),
                (self.folder / f"{tag}.err").read_text())

    def prepare(self, exports: Path, mapping: Path) -> None:
        """Import the exports and the mapping (not connected yet)."""
        self.run("import", str(exports))
        self.run("mapping", "import", str(mapping))

    def connect(self, simulator: Simulator) -> None:
        """Connect to ``simulator`` at its URL (tokens to this home's file keyring)."""
        self.run("connect", "--environment", "local", "--base-url",
                 str(simulator.info["base_url"]))

    @classmethod
    def copy_of(cls, prepared: Path, folder: Path, simulator: Simulator) -> Home:
        """A new home: a copy of the ``prepared`` data folder, connected to ``simulator``."""
        home = cls(folder)
        shutil.copytree(prepared, home.path)
        home.connect(simulator)
        return home


def detailed_mapping(folder: Path) -> Path:
    """The example mapping with style "detailed" (invoices and payments per registrant)."""
    text = EXAMPLE_MAPPING.read_text()
    assert 'style = "summary"' in text
    path = folder / "detailed-mapping.toml"
    path.write_text(text.replace('style = "summary"', 'style = "detailed"'))
    return path


def wait_for(condition: Any, timeout: float, interval: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def local_state(home: Home) -> dict[str, Any]:
    """The home's jobs, runs, manifest and ledger, counted (read from its SQLite file).

    ``failed_kinds``: failed jobs by error kind (``in_doubt``, ``throttled``, ...);
    ``skipped_never_posted``: records whose superseded job was not replaced by a posted
    one; ``posted_twice``: records with two posted jobs (one create each is the rule here).
    Opened by the file's own URL: a ``LEDGERBRIDGE_DATABASE_URL`` of the test process
    must not redirect it.
    """
    from collections import Counter

    from sqlalchemy import select

    from app.config import resolve_paths
    from app.models.database import Database
    from app.models.jobs import Job, ManifestEntry, PostingRun
    from app.models.ledger import LedgerEntry

    paths = resolve_paths(home.path)
    database = Database.open(paths, url=f"sqlite:///{paths.database_file}")
    try:
        with database.session() as session:
            rows = list(session.execute(select(Job.ledger_key, Job.status, Job.error_kind)))
            jobs = Counter(status for _key, status, _kind in rows)
            failed = Counter(kind or "validation" for _key, status, kind in rows
                             if status == "failed")
            posted = Counter(key for key, status, _kind in rows if status == "posted")
            skipped = {key for key, status, _kind in rows if status == "skipped"}
            runs = list(session.execute(select(PostingRun.id, PostingRun.status)
                                        .order_by(PostingRun.id)))
            manifest = Counter(session.scalars(select(ManifestEntry.result)))
            ledger = list(session.scalars(select(LedgerEntry.key)))
    finally:
        database.close()
    return {"jobs": dict(jobs), "failed_kinds": dict(failed),
            "runs": [status for _id, status in runs], "manifest": dict(manifest),
            "ledger": len(ledger),
            "ledger_keys_unique": len(ledger) == len(set(ledger)),
            "posted_twice": sorted(key for key, n in posted.items() if n > 1),
            "skipped_never_posted": sorted(skipped - set(posted))}
