"""Persistence: one SQLite file (or memory) behind an in-process cache, one lock.

QBO serialises writes per company; so does the sandbox, with a single re-entrant lock
held for each API operation. Entities live in a dict for fast reads and are written
through to SQLite inside the same lock, so a restart with ``--data FILE`` finds the
company exactly as it was left. A failed operation restores the cache entries it touched
and rolls the SQLite transaction back: a fault never leaves half a write behind.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.simulator import jsonio

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    realm TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (realm, kind, id));
CREATE TABLE IF NOT EXISTS replies (
    realm TEXT NOT NULL, request_id TEXT NOT NULL, status INTEGER NOT NULL,
    content_type TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (realm, request_id));
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL);
"""


class Store:
    def __init__(self, path: str | None = None) -> None:
        self.lock = threading.RLock()
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False,
                                   isolation_level=None)
        if path:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._entities: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._undo: list[tuple[tuple[str, str], str, dict[str, Any] | None]] | None = None
        self._depth = 0
        self._load()

    def _load(self) -> None:
        self._entities.clear()
        for realm, kind, entity_id, body in self._db.execute(
            "SELECT realm, kind, id, body FROM entities"
        ):
            self._entities.setdefault((realm, kind), {})[entity_id] = jsonio.loads(body)

    def close(self) -> None:
        with self.lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: on any exception both the cache and SQLite are restored."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            self._undo = []
            self._db.execute("BEGIN")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                for key, entity_id, old in reversed(self._undo):
                    bucket = self._entities.setdefault(key, {})
                    if old is None:
                        bucket.pop(entity_id, None)
                    else:
                        bucket[entity_id] = old
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0
                self._undo = None

    # -- entities ---------------------------------------------------------------------------
    def get(self, realm: str, kind: str, entity_id: str) -> dict[str, Any] | None:
        with self.lock:
            found = self._entities.get((realm, kind), {}).get(entity_id)
            return copy.deepcopy(found) if found is not None else None

    def all(self, realm: str, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [copy.deepcopy(e) for e in self._entities.get((realm, kind), {}).values()]

    def peek_all(self, realm: str, kind: str) -> list[dict[str, Any]]:
        """Read-only view without copying; callers must not mutate (used by scans)."""
        with self.lock:
            return list(self._entities.get((realm, kind), {}).values())

    def put(self, realm: str, kind: str, entity: dict[str, Any]) -> None:
        with self.transaction():
            bucket = self._entities.setdefault((realm, kind), {})
            entity_id = entity["Id"]
            self._remember(realm, kind, entity_id, bucket.get(entity_id))
            bucket[entity_id] = copy.deepcopy(entity)
            self._db.execute(
                "INSERT OR REPLACE INTO entities (realm, kind, id, body) VALUES (?, ?, ?, ?)",
                (realm, kind, entity_id, jsonio.dumps(entity)),
            )

    def remove(self, realm: str, kind: str, entity_id: str) -> None:
        with self.transaction():
            bucket = self._entities.setdefault((realm, kind), {})
            self._remember(realm, kind, entity_id, bucket.pop(entity_id, None))
            self._db.execute(
                "DELETE FROM entities WHERE realm = ? AND kind = ? AND id = ?",
                (realm, kind, entity_id),
            )

    def _remember(self, realm: str, kind: str, entity_id: str, old: Any) -> None:
        if self._undo is not None:
            self._undo.append(((realm, kind), entity_id, old))

    def next_id(self, realm: str, kind: str, first: int = 1) -> str:
        key = f"seq:{realm}:{kind}"
        with self.transaction():
            current = self.get_meta(key)
            value = int(current) + 1 if current is not None else first
            self.set_meta(key, str(value))
            return str(value)

    def wipe_realm(self, realm: str) -> None:
        with self.transaction():
            for key in [k for k in self._entities if k[0] == realm]:
                for entity_id, old in self._entities[key].items():
                    self._remember(key[0], key[1], entity_id, old)
                self._entities[key] = {}
            self._db.execute("DELETE FROM entities WHERE realm = ?", (realm,))
            self._db.execute("DELETE FROM replies WHERE realm = ?", (realm,))
            self._db.execute("DELETE FROM meta WHERE key LIKE ?", (f"seq:{realm}:%",))

    # -- meta, replies, tokens ---------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self.lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.lock:
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)
            )

    def get_reply(self, realm: str, request_id: str) -> tuple[int, str, str] | None:
        with self.lock:
            row = self._db.execute(
                "SELECT status, content_type, body FROM replies WHERE realm = ? AND "
                "request_id = ?",
                (realm, request_id),
            ).fetchone()
            return (row[0], row[1], row[2]) if row else None

    def save_reply(
        self, realm: str, request_id: str, status: int, content_type: str, body: str
    ) -> None:
        with self.lock:
            self._db.execute(
                "INSERT OR REPLACE INTO replies VALUES (?, ?, ?, ?, ?)",
                (realm, request_id, status, content_type, body),
            )

    def get_token(self, token: str) -> tuple[str, dict[str, Any]] | None:
        with self.lock:
            row = self._db.execute(
                "SELECT kind, body FROM tokens WHERE token = ?", (token,)
            ).fetchone()
            return (row[0], json.loads(row[1])) if row else None

    def put_token(self, token: str, kind: str, body: dict[str, Any]) -> None:
        with self.lock:
            self._db.execute(
                "INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)", (token, kind, json.dumps(body))
            )

    def delete_tokens(self, tokens: list[str]) -> None:
        with self.lock:
            self._db.executemany("DELETE FROM tokens WHERE token = ?", [(t,) for t in tokens])

    def tokens_of_kind(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        with self.lock:
            rows = self._db.execute("SELECT token, body FROM tokens WHERE kind = ?", (kind,))
            return [(t, json.loads(b)) for t, b in rows.fetchall()]
