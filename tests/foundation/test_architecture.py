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
    for package in ("domain", "plan", "accounting", "mapping"):
        for path in python_files(APP / package):
            bad = {m.split(".")[0] for m in imported_modules(path)} & forbidden
            if bad:
                offenders.append(f"{path.relative_to(APP)}: {sorted(bad)}")
    assert offenders == []


def test_simulator_shares_no_code_with_the_app():
    simulator = APP / "simulator"
    assert simulator.is_dir()
    offenders = []
    for path in python_files(simulator):
        for module in imported_modules(path):
            if module.startswith("app.") and not module.startswith("app.simulator"):
                offenders.append(f"{path.relative_to(APP)} imports {module}")
    assert offenders == []


def app_imports(package: str) -> dict[str, set[str]]:
    """For each module of ``app/<package>``, the ``app.*`` packages it imports."""
    found = {}
    for path in python_files(APP / package):
        found[str(path.relative_to(APP))] = {
            ".".join(m.split(".")[:2]) for m in imported_modules(path) if m.startswith("app.")}
    return found


def test_imports_run_one_way_plan_mapping_accounting():
    """plan <- mapping <- accounting: the vocabulary never imports what builds on it."""
    allowed = {"plan": {"app.plan", "app.domain"},
               "mapping": {"app.plan", "app.domain", "app.mapping", "app.models"}}
    offenders = []
    for package, ok in allowed.items():
        for module, imports in app_imports(package).items():
            offenders += [f"{module} imports {name}" for name in sorted(imports - ok)]
    assert offenders == []


def test_only_the_demo_and_the_sandbox_command_start_the_simulator():
    users = sorted(module for package in ("sync", "accounting", "mapping", "plan", "domain",
                                          "importers", "models")
                   for module, imports in app_imports(package).items()
                   if "app.simulator" in imports)
    assert users == []
