"""Where Ledgerbridge keeps its files.

Everything comes from platformdirs, unless a home folder is given (``--home DIR`` or
``LEDGERBRIDGE_HOME``): then data, config, logs and cache all live under it, so tests
and scripted runs are isolated from the user's real data and from each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME

HOME_ENV = "LEDGERBRIDGE_HOME"
DATABASE_URL_ENV = "LEDGERBRIDGE_DATABASE_URL"
DATABASE_FILE = "ledgerbridge.db"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def database_file(self) -> Path:
        return self.data_dir / DATABASE_FILE

    def ensure(self) -> AppPaths:
        """Create the folders (owner-only: they hold the books' working state)."""
        for folder in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def resolve_paths(home: str | os.PathLike[str] | None = None) -> AppPaths:
    """Paths for ``home`` if given, else ``$LEDGERBRIDGE_HOME``, else the platform's folders."""
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(root / "data", root / "config", root / "logs", root / "cache")
    return platform_paths()


def platform_paths() -> AppPaths:
    """The platform's own folders (platformdirs), whatever ``$LEDGERBRIDGE_HOME`` says."""
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_NAME)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, APP_NAME)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_NAME)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, APP_NAME)),
    )


def home_argument(paths: AppPaths) -> str | None:
    """What ``--home`` must say for another process (a scheduled task, which does not
    inherit this one's environment) to find ``paths``; None for the platform's folders."""
    if paths == platform_paths():
        return None
    root = paths.data_dir.parent
    if resolve_paths(root) != paths:
        raise ValueError(f"these folders cannot be named by one --home: {paths}")
    return str(root)


def database_url(paths: AppPaths) -> str:
    """SQLite in the data folder, unless an office points every install at one server (§11)."""
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{paths.database_file}"
