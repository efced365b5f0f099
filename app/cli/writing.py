"""What stops a write to QuickBooks, as the command's message (exit code 2).

Post, retry, undo, resync and reconcile end the same way when they cannot go on:
another writer holds the company (it names who), the input is wrong, or QuickBooks
could not be reached — and then nothing was sent, which the bookkeeper needs to hear.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.cli.context import CliContext, UsageError

if TYPE_CHECKING:
    from app.models.company import Company
    from app.models.database import Database
    from app.posting import ClientOpener


@contextmanager
def quickbooks_errors(*, sending: bool = True,
                      usage: tuple[type[Exception], ...] = (ValueError,)) -> Iterator[None]:
    from app.sync.errors import QboError
    from app.sync.posting_lock import PostingLocked

    try:
        yield
    except PostingLocked as exc:
        raise UsageError(str(exc)) from None
    except QboError as exc:
        what = ("nothing was sent: QuickBooks could not be reached or read" if sending
                else "QuickBooks could not be read")
        raise UsageError(f"{what} ({exc}).\n{exc.suggested_fix}") from None
    except usage as exc:
        raise UsageError(str(exc)) from None



def writing_company(args: argparse.Namespace, ctx: CliContext
                    ) -> tuple[Database, Company, ClientOpener]:
    """The database, the company and how to open its QuickBooks client, for a command
    that writes to QuickBooks; ``--json`` (no one to answer a question) needs ``--yes``."""
    from app.company_session import company_client

    if getattr(args, "json", False) and not getattr(args, "yes", True):
        raise UsageError("--json cannot ask before sending: add --yes")
    database = ctx.database()
    with database.session() as session:
        company = ctx.company(session)
    return database, company, lambda: company_client(company, database, ctx.paths.data_dir)
