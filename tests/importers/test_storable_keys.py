"""IDs a database column cannot hold are import errors, not a crash while storing.

SQLite would store a 1,001-character ID or one with a NUL byte; PostgreSQL refuses both
(docs/postgresql.md), so the import reports them with every other problem.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.records import MAX_KEY_LENGTH
from app.importers.pipeline import import_paths
from tests.importers.helpers import write_records


def _customers(folder: Path, *ids: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_records(folder, "customer", [{"customer_id": i, "name": f"Family {n}"}
                                       for n, i in enumerate(ids)])
    return folder


def test_an_id_longer_than_the_column_is_an_error_on_its_row(tmp_path: Path) -> None:
    longest = "C" * MAX_KEY_LENGTH
    result = import_paths([_customers(tmp_path, "C1", longest, longest + "X")])
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(4, "customer_id")]
    assert f"longer than {MAX_KEY_LENGTH}" in result.errors[0].reason


def test_an_id_with_a_nul_character_is_an_error(tmp_path: Path) -> None:
    result = import_paths([_customers(tmp_path, "C1", "C\x002")])
    assert [(e.row, e.column) for e in result.errors] == [(3, "customer_id")]
    assert "NUL" in result.errors[0].reason


def test_ordinary_ids_pass(tmp_path: Path) -> None:
    assert import_paths([_customers(tmp_path, "C1", "C2")]).ok
