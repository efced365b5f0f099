"""The core sync tests' fixtures: demo exports, the simulator over loopback HTTP, and a
connected company with a watch folder (``shop``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.importers.demo_data import write_demo_data
from tests.daily_sync.shop import TIME_SCALE, Shop


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    write_demo_data(folder, families=6, months=2, seed=3)
    return folder


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture
def shop(tmp_path, simulator) -> Iterator[Shop]:
    shop = Shop(tmp_path, simulator)
    yield shop
    shop.books.close()
