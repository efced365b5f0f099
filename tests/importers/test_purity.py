"""The import core stays pure: no Qt anywhere, HTTP only in the API source, SQL only in
the store module (SPEC rules for the pure core)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "app" / "importers"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0] if node.level == 0 else node.module)
    return names


def test_no_qt_http_only_in_the_api_source_sql_only_in_the_store() -> None:
    for path in PACKAGE.glob("*.py"):
        imported = _imports(path)
        assert not {"PySide6", "PyQt5", "PyQt6"} & imported, path.name
        if path.name != "api_source.py":
            assert not {"requests", "urllib3", "http"} & imported, path.name
        if path.name != "store.py":
            assert "sqlalchemy" not in imported, path.name
