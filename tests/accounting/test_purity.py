"""The plan vocabulary, the accounting core and the mapping logic stay pure: no Qt, no HTTP,
no SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "app"
FORBIDDEN = ("PySide6", "requests", "requests_oauthlib", "sqlalchemy", "app.models", "app.ui",
             "app.sync")
EDGES = {"app/mapping/store.py", "app/accounting/ledger_store.py"}  # thin store modules


def _modules():
    for folder in ("plan", "accounting", "mapping"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = str(path.relative_to(ROOT.parent))
            if relative not in EDGES:
                yield relative, path


@pytest.mark.parametrize("relative, path", list(_modules()))
def test_no_forbidden_imports(relative, path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    bad = [name for name in imported if name.split(".")[0] in FORBIDDEN
           or any(name.startswith(f) for f in FORBIDDEN)]
    assert bad == [], f"{relative} imports {bad}"
