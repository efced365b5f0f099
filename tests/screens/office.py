"""A bookkeeper's folder posting to a simulator the test runs, for the window's tests.

The company is connected to the simulator at its address (``connect --base-url``): its
tokens live in the (test) keyring and every command — and the window — talks to that
very simulator, which the test reads back to see what QuickBooks holds. Set up and
posted with the CLI, as a bookkeeper (or a scheduled task) would.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool

from app.cli import main
from app.simulator import SandboxServer
from app.sync.client import QboClient
from app.sync.local_demo import connect_local
from app.sync.stamps import stamped_key
from app.ui.background import BackgroundRunner
from tests.shell.gui_helpers import make_window
from tests.sync.simulator_helpers import fast_client_options

TIME_SCALE = 60.0
TRANSACTIONS = ("Invoice", "Payment", "CreditMemo", "RefundReceipt", "JournalEntry")
MAPPING = """
style = "{style}"
go_live = 2025-01-01
organisation_class = "Riverside Swim"
[options]
create_missing = true
"""


class Office:
    def __init__(self, tmp_path: Path, simulator: SandboxServer, style: str = "detailed",
                 families: int = 4, months: int = 1) -> None:
        self.home = tmp_path / "home"
        self.simulator = simulator
        exports = tmp_path / "exports"
        assert self.cli("demo-data", "--out", str(exports), "--families", str(families),
                        "--months", str(months)) == 0
        assert self.cli("import", str(exports)) == 0
        (tmp_path / "mapping.toml").write_text(MAPPING.format(style=style), encoding="utf-8")
        assert self.cli("mapping", "import", str(tmp_path / "mapping.toml")) == 0
        assert self.cli("connect", "--environment", "local", "--base-url",
                        simulator.info["base_url"]) == 0
        self._reader: QboClient | None = None

    def cli(self, *args: str) -> int:
        return main(["--home", str(self.home), *args])

    def cli_json(self, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
        capsys.readouterr()
        assert self.cli(*args, "--json") in (0, 1)
        return json.loads(capsys.readouterr().out)

    # -- what QuickBooks holds, read back -----------------------------------------------
    @property
    def quickbooks(self) -> QboClient:
        """A client of the test's own (its own grant), to read QuickBooks back."""
        if self._reader is None:
            self._reader, _link = connect_local(self.simulator.info,
                                                **fast_client_options(TIME_SCALE))
        return self._reader

    def forget_reader(self) -> None:
        self._reader = None

    def rows(self, entity: str, active: bool | None = None) -> list[dict[str, Any]]:
        where = "" if active is None else f" WHERE Active = {str(active).lower()}"
        return self.quickbooks.query(f"SELECT * FROM {entity}{where}")

    def keys(self, entity: str) -> Counter[str]:
        """How many records of ``entity`` carry each Ledgerbridge key."""
        return Counter(key for row in self.rows(entity) if (key := stamped_key(entity, row)))

    def window(self, qtbot: Any, wizard: Any = None) -> tuple[Any, Any]:
        """The real window on real worker threads (the event loop never waits for QBO)."""
        return make_window(qtbot, self.home, wizard, runner=BackgroundRunner(QThreadPool()))


def settle(qtbot: Any, services: Any, timeout: int = 60_000) -> None:
    """Wait until no background work is left (loads, checks, writes to QuickBooks)."""
    qtbot.waitUntil(lambda: not services.runner.busy and not services.quickbooks.running,
                    timeout=timeout)


def trial_balance(client: QboClient, end: str = "2025-12-31") -> dict[str, Decimal]:
    """Net debit per account, as QuickBooks' TrialBalance report says."""
    report = client.report("TrialBalance", end_date=end, accounting_method="Accrual")
    nets: dict[str, Decimal] = {}
    for row in report["Rows"]["Row"]:
        if "Summary" not in row:
            name, debit, credit = (cell["value"] for cell in row["ColData"])
            nets[name] = Decimal(debit or 0) - Decimal(credit or 0)
    return nets
