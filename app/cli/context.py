"""What every subcommand gets: resolved paths, logging, and the database on demand."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.config import AppPaths, resolve_paths
from app.logging_setup import configure_logging

if TYPE_CHECKING:
    from app.models.database import Database

EXIT_OK = 0
EXIT_JOBS_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input or usage: the command exits with code 2 and this message."""


@dataclass
class CliContext:
    paths: AppPaths
    _database: Database | None = field(default=None, repr=False)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        paths = resolve_paths(args.home).ensure()
        configure_logging(paths.log_dir, stderr_level=logging.WARNING)
        return cls(paths)

    def database(self) -> Database:
        """Open (creating and migrating if needed) the local database, once."""
        if self._database is None:
            from app.models.database import Database

            self._database = Database.open(self.paths)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


def print_json(payload: Any) -> None:
    """Machine-readable output: one JSON document on stdout (Decimals and dates as text)."""
    json.dump(payload, sys.stdout, indent=2, sort_keys=True, default=str)
    sys.stdout.write("\n")
