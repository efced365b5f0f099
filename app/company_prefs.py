"""What this computer remembers about each company: the daily-sync choice, what was seen.

A small JSON file in the config folder (no secrets), one entry per company id. It is per
computer on purpose: the daily sync is run by this computer's scheduler (issue 13), and
which failures a bookkeeper has already looked at is theirs, not the office database's
(an office may share one PostgreSQL database between several desktops). The demo
company has its own config folder, so its ids never meet a real company's.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

PREFERENCES_FILE = "company-preferences.json"
_LOCK = threading.Lock()  # the window saves from worker threads: one writer at a time


@dataclass(frozen=True)
class CompanyPrefs:
    daily_sync: bool = False
    # Failures already seen (app/notifications.py): failing runs and failed jobs, by id.
    runs_seen: tuple[int, ...] = ()
    failed_jobs_seen: tuple[int, ...] = ()


def load_prefs(config_dir: Path, company_id: int) -> CompanyPrefs:
    entry = _read(config_dir).get(str(company_id))
    if not isinstance(entry, dict):
        return CompanyPrefs()
    return CompanyPrefs(daily_sync=entry.get("daily_sync") is True,
                        runs_seen=_ids(entry.get("runs_seen")),
                        failed_jobs_seen=_ids(entry.get("failed_jobs_seen")))


def update_prefs(config_dir: Path, company_id: int, **changes: Any) -> CompanyPrefs:
    """Change some fields of one company's entry (read, change, write atomically)."""
    with _LOCK:
        prefs = replace(load_prefs(config_dir, company_id), **changes)
        everything = _read(config_dir)
        entry = asdict(prefs)
        entry.update(runs_seen=list(prefs.runs_seen),
                     failed_jobs_seen=list(prefs.failed_jobs_seen))
        everything[str(company_id)] = entry
        config_dir.mkdir(parents=True, exist_ok=True)
        path = config_dir / PREFERENCES_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(everything, indent=1, sort_keys=True),
                             encoding="utf-8")
        os.replace(temporary, path)
        return prefs


def _ids(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(sorted({i for i in value if isinstance(i, int) and not isinstance(i, bool)}))


def _read(config_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((config_dir / PREFERENCES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
