"""The one door to the operating system's scheduler commands, replaced in tests."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass

COMMAND_TIMEOUT = 60.0


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def output(self) -> str:
        return (self.stderr or self.stdout).strip()


# argv, and what to write to its standard input (None: nothing)
Runner = Callable[[Sequence[str], str | None], Completed]


def run_command(argv: Sequence[str], stdin: str | None = None) -> Completed:
    """Run a command and capture its output; a missing command is exit code 127."""
    try:
        done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT, check=False)
    except FileNotFoundError:
        return Completed(127, "", f"{argv[0]}: command not found")
    except subprocess.TimeoutExpired:
        return Completed(124, "", f"{argv[0]}: no answer after {COMMAND_TIMEOUT:.0f} s")
    return Completed(done.returncode, done.stdout, done.stderr)


class SchedulingError(Exception):
    """The scheduler refused or is missing; the message says what to do."""


def check(done: Completed, what: str) -> Completed:
    if not done.ok:
        raise SchedulingError(f"{what} failed (exit {done.returncode}): "
                              f"{done.output() or 'no message'}")
    return done
