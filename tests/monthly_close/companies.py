"""Companies for the Monthly close tests, built with the command line as a bookkeeper would.

A company in its own data folder, connected to a simulator the test runs (so the test
can read QuickBooks back, slow it down or count what it holds), mapped with the demo
mapping, and *not yet imported*: the exports of ``ledgerbridge demo-data`` are left in a
folder for the Import step.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.demo_company import example_mapping_file
from app.sync.local_demo import connect_local
from tests.sync.simulator_helpers import fast_client_options

TIME_SCALE = 60.0
ENTITIES = ("Account", "Class", "Item", "Customer", "Invoice", "Payment", "RefundReceipt",
            "CreditMemo", "JournalEntry")


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def cli(home: Path, *args: str) -> None:
    assert main(["--home", str(home), *args]) == 0, args


def build_company(home: Path, exports: Path, simulator: Any, *, name: str = "Riverside Swim",
                  style: str = "detailed", families: int = 6, months: int = 1,
                  seed: int = 3) -> Path:
    """The company (connected, mapped, nothing imported); the demo exports in ``exports``."""
    cli(home, "company", "add", name)
    chosen = ("--company", name)
    cli(home, *chosen, "demo-data", "--out", str(exports), "--families", str(families),
        "--months", str(months), "--seed", str(seed))
    cli(home, *chosen, "connect", "--environment", "local", "--base-url",
        str(simulator.info["base_url"]))
    mapping = exports.parent / f"{name}-mapping.toml"
    text = example_mapping_file().read_text(encoding="utf-8")
    mapping.write_text(text.replace('style = "summary"', f'style = "{style}"', 1),
                       encoding="utf-8")
    cli(home, *chosen, "mapping", "import", str(mapping))
    return exports


def quickbooks_counts(simulator: Any) -> dict[str, int]:
    """What QuickBooks holds, read back over HTTP: records of each kind."""
    client, _link = connect_local(simulator.info, **fast_client_options(TIME_SCALE))
    return {entity: len(client.query(f"SELECT * FROM {entity}")) for entity in ENTITIES}


def stamped_keys(simulator: Any, entity: str) -> list[str]:
    """The Ledgerbridge keys stamped on QuickBooks' records of ``entity`` (duplicates kept)."""
    from app.sync.stamps import stamped_key

    client, _link = connect_local(simulator.info, **fast_client_options(TIME_SCALE))
    keys = [stamped_key(entity, row) for row in client.query(f"SELECT * FROM {entity}")]
    return sorted(k for k in keys if k is not None)
