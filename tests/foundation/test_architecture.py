"""House rules that keep the core pure, checked by walking the source."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def python_files(folder: Path):
    return [p for p in folder.rglob("*.py") if "migrations" not in p.parts]


def test_only_ui_imports_qt():
    offenders = [
        str(p.relative_to(APP)) for p in python_files(APP)
        if "ui" not in p.relative_to(APP).parts[:1]
        and any(m.split(".")[0] == "PySide6" for m in imported_modules(p))
    ]
    assert offenders == []


def test_pure_core_has_no_http_or_qt():
    forbidden = {"PySide6", "requests", "requests_oauthlib", "http", "urllib3"}
    offenders = []
    for package in ("domain", "accounting", "mapping"):
        for path in python_files(APP / package):
            bad = {m.split(".")[0] for m in imported_modules(path)} & forbidden
            if bad:
                offenders.append(f"{path.relative_to(APP)}: {sorted(bad)}")
    assert offenders == []


def test_sandbox_shares_no_code_with_the_app():
    sandbox = APP / "sync" / "sandbox"
    offenders = []
    for path in python_files(sandbox) if sandbox.exists() else []:
        for module in imported_modules(path):
            if module.startswith("app.") and not module.startswith("app.sync.sandbox"):
                offenders.append(f"{path.relative_to(APP)} imports {module}")
    assert offenders == []
