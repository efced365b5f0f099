"""Entry script of the frozen command line (``ledgerbridge-cli``; on Windows also
``ledgerbridge-task``, built without a console window for the scheduled daily sync).

Without a console, Windows gives the program no standard streams (``sys.stdout`` is
None): they are pointed at the null device so that printing the report cannot fail; the
report itself is filed in the data folder either way.
"""

import os
import sys

if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

from app.cli import run

run()
