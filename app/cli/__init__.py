"""The ``ledgerbridge`` command line.

argparse (standard library) rather than click/typer: no extra dependency in the
installer, and subcommands are plain modules in ``app.cli.commands`` that each add
their own parser (listed in ``COMMAND_MODULES``). Each module defines
``register(subparsers)`` and sets ``handler(args, ctx) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import commands
from app.cli.context import EXIT_OK, EXIT_USAGE, CliContext, UsageError, merge_company
from app.sync.tokens import KeyringUnavailable

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ledgerbridge",
        description="Registration and payment exports into QuickBooks Online.",
    )
    parser.add_argument("--version", action="version", version=f"ledgerbridge {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep all data, settings and logs under DIR (default: $LEDGERBRIDGE_HOME, "
        "else the platform's user folders)",
    )
    parser.add_argument(
        "--company",
        metavar="NAME_OR_REALM",
        help="the company to work on, by name or QuickBooks realm id (default: the only "
        "company, else the last one used; `ledgerbridge company list` shows them)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="work on the demo company (the built-in QuickBooks simulator, in its own folder)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands.COMMAND_MODULES:
        importlib.import_module(f"{commands.__name__}.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        merge_company(args)
    except UsageError as exc:
        print(f"ledgerbridge: {exc}", file=sys.stderr)
        return EXIT_USAGE
    ctx = CliContext.from_args(args)
    try:
        return int(handler(args, ctx))
    except UsageError as exc:
        print(f"ledgerbridge: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyringUnavailable as exc:  # any command that needs the stored connection
        print(f"ledgerbridge: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (``ledgerbridge status --json | head``): not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        ctx.close()


def run() -> None:
    sys.exit(main())
