"""A keyring backend in a JSON file, for subprocesses of the reliability tests only.

A ``ledgerbridge`` subprocess does not see the in-memory keyring ``tests/conftest.py``
installs in the test process, and must never reach the OS keyring. The tests select
this backend in the child's environment::

    PYTHON_KEYRING_BACKEND=tests.reliability.file_keyring.FileKeyring
    LEDGERBRIDGE_TEST_KEYRING=<tmp>/keyring.json
    PYTHONPATH=<repository root>

The file lives in the test's temporary folder and dies with it. Every read and write
holds a file lock and replaces the file atomically, so processes posting at once (the
two-poster test) and a process killed mid-write never leave it torn.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors
from filelock import FileLock

ENV = "LEDGERBRIDGE_TEST_KEYRING"
BACKEND = f"{__name__}.FileKeyring"


class FileKeyring(keyring.backend.KeyringBackend):
    """Secrets in the JSON file named by ``$LEDGERBRIDGE_TEST_KEYRING`` (tests only)."""

    priority = 0.1  # type: ignore[assignment]  # never chosen unless named explicitly

    @property
    def path(self) -> Path:
        name = os.environ.get(ENV)
        if not name:
            raise keyring.errors.KeyringError(f"{ENV} names no file")
        return Path(name)

    def _lock(self) -> FileLock:
        return FileLock(str(self.path) + ".lock", timeout=30)

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text()))
        except FileNotFoundError:
            return {}

    def _write(self, entries: dict[str, str]) -> None:
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entries))
        os.replace(temporary, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock():
            return self._read().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock():
            entries = self._read()
            entries[f"{service}\n{username}"] = password
            self._write(entries)

    def delete_password(self, service: str, username: str) -> None:
        with self._lock():
            entries = self._read()
            if entries.pop(f"{service}\n{username}", None) is None:
                raise keyring.errors.PasswordDeleteError(username)
            self._write(entries)
