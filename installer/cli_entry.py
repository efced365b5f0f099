"""Entry script of the frozen command-line executable (the console script when installed)."""

from app.cli import run

run()
