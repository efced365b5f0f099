"""A throwaway keyring for benchmarks: a JSON file named by ``LEDGERBRIDGE_BENCH_KEYRING``.

Benchmarks run ``ledgerbridge`` commands as child processes against a simulator connected
"at a URL", which keeps its tokens in the keyring like a hosted company. The children get
``PYTHON_KEYRING_BACKEND=bench.file_keyring.BenchFileKeyring`` and a file inside the
benchmark's temporary folder, so the OS keyring is never read or written. Unencrypted on
purpose: it holds only the simulator's tokens, and the folder is deleted afterwards.
Never for real companies.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors

FILE_ENV = "LEDGERBRIDGE_BENCH_KEYRING"


class BenchFileKeyring(keyring.backend.KeyringBackend):
    priority = 0.1  # type: ignore[assignment]  # never chosen unless named explicitly

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        named = path or os.environ.get(FILE_ENV)
        if not named:
            raise RuntimeError(f"{FILE_ENV} must name the benchmark's keyring file")
        self.path = Path(named)

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def _write(self, entries: dict[str, str]) -> None:
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(entries), encoding="utf-8")
        partial.replace(self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._read()
        entries[f"{service}\n{username}"] = password
        self._write(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._read()
        if entries.pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._write(entries)
