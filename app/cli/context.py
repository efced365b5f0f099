"""What every subcommand gets: resolved paths, logging, and the database on demand."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.config import AppPaths, resolve_paths
from app.logging_setup import configure_logging

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.models.company import Company
    from app.models.database import Database

EXIT_OK = 0
EXIT_JOBS_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input or usage: the command exits with code 2 and this message."""


# Where ``--company`` given after a subcommand lands; merged into ``args.company``.
COMPANY_AFTER = "company_after_command"


def add_company_option(parser: argparse.ArgumentParser) -> None:
    """``--company`` after the subcommand too (``sync --company C``, as a scheduled task
    or an office's own script writes it); the same as the global one before it."""
    parser.add_argument("--company", dest=COMPANY_AFTER, metavar="NAME_OR_REALM",
                        default=argparse.SUPPRESS,
                        help="the company (the same as `ledgerbridge --company` before "
                        "the command)")


def merge_company(args: argparse.Namespace) -> None:
    """One ``args.company`` from before and after the subcommand; both, and different:
    a usage error rather than a guess."""
    after = getattr(args, COMPANY_AFTER, None)
    if after is None:
        return
    before = getattr(args, "company", None)
    if before is not None and before.strip() != after.strip():
        raise UsageError(f"--company was given twice, {before!r} before the command and "
                         f"{after!r} after it: give the company once")
    args.company = after


@dataclass
class CliContext:
    paths: AppPaths
    _database: Database | None = field(default=None, repr=False)
    # ``--company NAME_OR_REALM``; None: the only company, else the last one used.
    company_choice: str | None = None
    demo: bool = False  # ``--demo``: the demo company's own folder
    # Where the last company used is remembered (the user's config folder, not the demo's).
    config_dir: Path | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CliContext:
        demo = bool(getattr(args, "demo", False))
        base = resolve_paths(args.home)
        if demo:
            from app.demo_company import demo_paths

            paths = demo_paths(args.home).ensure()
        else:
            paths = base.ensure()
        configure_logging(paths.log_dir, stderr_level=logging.WARNING)
        return cls(paths, company_choice=getattr(args, "company", None), demo=demo,
                   config_dir=base.config_dir)

    def database(self) -> Database:
        """Open (creating and migrating if needed) the local database, once."""
        if self._database is None:
            from app.models.database import Database

            if self.demo:  # the demo's own SQLite file, even where an office shares PostgreSQL
                from app.demo_company import open_demo_database

                self._database = open_demo_database(self.paths)
            else:
                self._database = Database.open(self.paths)
        return self._database

    def company(self, session: Session, *, create: bool = False) -> Company:
        """The company this command works on (``--company``, else the only or last used).

        With ``create``, an empty folder gets its first company (named by ``--company``
        when given), so exports can be imported before QuickBooks is connected.
        """
        from app.companies import (
            CompanyChoiceError,
            add_company,
            choose_company,
            list_companies,
            read_last_company,
        )
        from app.models.company import Company

        entries = list_companies(session)
        if not entries and create:
            from app.companies import NEW_COMPANY_NAME

            entries = [add_company(session, self.company_choice or NEW_COMPANY_NAME)]
            return session.get(Company, entries[0].id)  # type: ignore[return-value]
        last = read_last_company(self.config_dir or self.paths.config_dir)
        try:
            chosen = choose_company(entries, self.company_choice,
                                    None if self.demo else last.company_id)
        except CompanyChoiceError as exc:
            raise UsageError(str(exc)) from None
        company = session.get(Company, chosen.id)
        assert company is not None
        return company

    def company_id(self, *, create: bool = False) -> int:
        with self.database().session() as session:
            return self.company(session, create=create).id

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


def print_json(payload: Any) -> None:
    """Machine-readable output: one JSON document on stdout (Decimals and dates as text)."""
    json.dump(payload, sys.stdout, indent=2, sort_keys=True, default=str)
    sys.stdout.write("\n")
