"""Where the shipped files are, and the check that a build holds everything it needs.

From a source checkout the resources are beside the ``app`` package; in a PyInstaller
build they are in the bundle (``sys._MEIPASS``). A build also carries
``bundle-manifest.json``, written by ``installer/ledgerbridge.spec``: every ``app`` module,
every migration and the Qt plugins the build must hold. ``check_bundle`` (run by
``--self-test``, no Qt here: main.py checks the Qt side) imports each module, finds each
migration and resource, and lists what is missing.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "bundle-manifest.json"
REQUIRED_RESOURCES = (
    "resources/oauth-relay.html",
    "resources/examples/demo-mapping.toml",
    "resources/icons/ledgerbridge.png",
    "resources/presets",
)
SKIPPED_MODULES = ("__main__",)  # running them would start the command line


def resource_root() -> Path:
    """The folder holding ``resources/`` (and, in a build, the manifest)."""
    return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))


def resource(relative: str) -> Path:
    return resource_root() / "resources" / relative


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def source_manifest() -> dict[str, Any]:
    """What a build must hold, read from this source tree (the spec writes it out)."""
    import app
    from app.models.database import MIGRATIONS_DIR

    modules = sorted(name for _f, name, _p in pkgutil.walk_packages(app.__path__, "app.")
                     if name.rsplit(".", 1)[-1] not in SKIPPED_MODULES)
    revisions = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    return {"modules": ["app", *modules], "migrations": revisions,
            "resources": list(REQUIRED_RESOURCES)}


def manifest() -> dict[str, Any]:
    """The build's manifest when frozen, else this source tree's."""
    if is_frozen():
        return dict(json.loads((resource_root() / MANIFEST).read_text(encoding="utf-8")))
    return source_manifest()


@dataclass
class BundleCheck:
    modules: int = 0
    migrations: int = 0
    resources: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_bundle() -> BundleCheck:
    """Import every module, find every migration and resource the manifest names."""
    wanted = manifest()
    result = BundleCheck()
    for name in wanted["modules"]:
        try:
            importlib.import_module(name)
            result.modules += 1
        except Exception as exc:  # any failure to import is what this check is for
            result.problems.append(f"module {name}: {type(exc).__name__}: {exc}")
    _check_migrations(wanted["migrations"], result)
    for relative in wanted["resources"]:
        if (resource_root() / relative).exists():
            result.resources += 1
        else:
            result.problems.append(f"resource {relative} is missing")
    return result


def _check_migrations(expected: list[str], result: BundleCheck) -> None:
    from alembic.script import ScriptDirectory

    from app.models.database import MIGRATIONS_DIR, alembic_config, create_database_engine

    folder = MIGRATIONS_DIR / "versions"
    present = sorted(p.name for p in folder.glob("[0-9]*.py")) if folder.is_dir() else []
    for name in expected:
        if name not in present:
            result.problems.append(f"migration {name} is missing")
    try:
        script = ScriptDirectory.from_config(alembic_config(create_database_engine("sqlite://")))
        result.migrations = len(list(script.walk_revisions()))
    except Exception as exc:
        result.problems.append(f"migrations cannot be read: {type(exc).__name__}: {exc}")
        return
    if result.migrations != len(expected):
        result.problems.append(f"{result.migrations} migration(s) found, {len(expected)} "
                               "expected")
