"""The mapping file (SPEC §4): read with the standard library, written by hand.

Reading uses ``tomllib``. Writing needs no library: the format is flat (a few scalars
and six one-level tables of strings and booleans), so a forty-line writer that quotes
every string is simpler than a dependency in the installer. Validation returns every
problem at once as issues; a file with an error yields no mapping at all.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from app.domain.records import is_valid_tender
from app.mapping.config import (
    ACCOUNT_ROLES,
    MAX_SOURCE_KEY_LENGTH,
    MAX_TARGET_LENGTH,
    STYLES,
    SYNC_MODES,
    MappingConfig,
    Target,
)
from app.plan.plan import Issue

TARGET_TABLES = ("accounts", "income", "tenders", "locations", "tax_rates")
OPTION_KEYS = ("create_missing", "deferred_revenue")
TOP_LEVEL_KEYS = ("style", "go_live", "sync", "organisation_class", *TARGET_TABLES, "options",
                  "create")
# [create]: the accounts and classes approved for creation one by one ("Create new…").
CREATE_KEYS = {"accounts": "Account", "classes": "Class"}
MAX_NAME_LENGTH = 100  # QBO's limit for one Account or Class name
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _error(code: str, message: str, fix: str) -> Issue:
    return Issue("error", code, message, fix, sources=("mapping file",))


def fqn_problem(name: Any) -> str | None:
    """Why ``name`` cannot be a fully-qualified QBO account/class name, or None."""
    if not isinstance(name, str) or not name.strip():
        return "must be a non-empty text"
    parts = name.split(":")
    if any(not part.strip() for part in parts):
        return "has an empty part between colons"
    if '"' in name:
        return "contains a double quote, which QBO refuses in names"
    if any(len(part) > MAX_NAME_LENGTH for part in parts):
        return f"has a part longer than {MAX_NAME_LENGTH} characters"
    if len(name) > MAX_TARGET_LENGTH:
        return f"is longer than {MAX_TARGET_LENGTH} characters in all"
    return None


def _read_targets(table: str, data: Any, issues: list[Issue]) -> dict[str, Target]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        issues.append(_error("bad_table", f"[{table}] must be a table", f"write [{table}]"))
        return {}
    targets: dict[str, Target] = {}
    for key, value in data.items():
        where = f"[{table}] {key!r}"
        problem = fqn_problem(value)
        if len(key) > MAX_SOURCE_KEY_LENGTH:
            issues.append(_error("key_too_long", f"[{table}] key {key[:40]!r}... is longer than "
                                 f"{MAX_SOURCE_KEY_LENGTH} characters",
                                 "map a shorter ID (the registration system's own ID)"))
        elif problem:
            issues.append(_error("bad_target", f"{where}: {value!r} {problem}",
                                 "name the QBO account or class as Parent:Child"))
        elif table == "accounts" and key not in ACCOUNT_ROLES:
            issues.append(_error("unknown_role", f"{where} is not an account role",
                                 f"use one of: {', '.join(ACCOUNT_ROLES)}"))
        elif table == "tenders" and not is_valid_tender(key):
            issues.append(_error("unknown_tender", f"{where} is not a tender",
                                 "use card, echeck, cash, check, custom:<name> or a credit type"))
        else:
            targets[key] = Target(value.strip())
    return targets


def _read_options(data: Any, issues: list[Issue]) -> dict[str, bool]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        issues.append(_error("bad_table", "[options] must be a table", "write [options]"))
        return {}
    options: dict[str, bool] = {}
    for key, value in data.items():
        if key not in OPTION_KEYS:
            issues.append(_error("unknown_option", f"[options] {key!r} is not an option",
                                 f"use one of: {', '.join(OPTION_KEYS)}"))
        elif not isinstance(value, bool):
            issues.append(_error("bad_option", f"[options] {key} = {value!r} is not true/false",
                                 "write true or false without quotes"))
        else:
            options[key] = value
    return options


def _read_create(data: Any, issues: list[Issue]) -> tuple[str, ...]:
    """``[create] accounts = [...]``, ``classes = [...]`` -> {"Account:<FQN>", ...}."""
    if data is None:
        return ()
    if not isinstance(data, dict):
        issues.append(_error("bad_table", "[create] must be a table", "write [create]"))
        return ()
    slots: set[str] = set()
    for key, names in data.items():
        entity = CREATE_KEYS.get(key)
        if entity is None:
            issues.append(_error("unknown_key", f"[create] {key!r} is not accounts or classes",
                                 "use accounts = [...] and classes = [...]"))
            continue
        if not isinstance(names, list):
            issues.append(_error("bad_table", f"[create] {key} must be a list of names",
                                 f'write {key} = ["Parent:Child"]'))
            continue
        for name in names:
            problem = fqn_problem(name)
            slot = f"{entity}:{str(name).strip()}"
            if problem:
                issues.append(_error("bad_target", f"[create] {key}: {name!r} {problem}",
                                     "name the QBO account or class as Parent:Child"))
            elif len(slot) > MAX_SOURCE_KEY_LENGTH:
                issues.append(_error("key_too_long", f"[create] {key}: {name[:40]!r}... is too "
                                     "long to approve by name", "use a shorter name, or "
                                     "create_missing = true"))
            else:
                slots.add(slot)
    return tuple(sorted(slots))


def _read_go_live(value: Any, issues: list[Issue]) -> date | None:
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    issues.append(_error("bad_go_live", f"go_live = {value!r} is not a date",
                         "write go_live = 2026-01-01"))
    return None


def _read_scalars(data: Mapping[str, Any], issues: list[Issue]) -> dict[str, Any]:
    style, sync = data.get("style"), data.get("sync", "daily")
    if style not in STYLES:
        issues.append(_error("bad_style", f"style = {style!r}",
                             'write style = "summary" or "detailed"'))
    if sync not in SYNC_MODES:
        issues.append(_error("bad_sync", f"sync = {sync!r}", 'write sync = "daily" or "manual"'))
    go_live = _read_go_live(data.get("go_live"), issues)
    if style == "summary" and go_live is None and "go_live" not in data:
        issues.append(_error("missing_go_live", "the summary style needs a go-live date",
                             "write go_live = 2026-01-01 (the first day to post)"))
    organisation = data.get("organisation_class")
    if organisation is not None and fqn_problem(organisation):
        issues.append(_error("bad_target", f"organisation_class {fqn_problem(organisation)}",
                             'write organisation_class = "Your organisation"'))
        organisation = None
    return {"style": style, "sync": sync, "go_live": go_live, "organisation_class": organisation}


def mapping_from_data(data: Mapping[str, Any]) -> tuple[MappingConfig | None, tuple[Issue, ...]]:
    """Validate parsed TOML data; the mapping only when there is no error."""
    issues: list[Issue] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            issues.append(_error("unknown_key", f"unknown key or table {key!r}",
                                 f"use only: {', '.join(TOP_LEVEL_KEYS)}"))
    scalars = _read_scalars(data, issues)
    tables = {name: _read_targets(name, data.get(name), issues) for name in TARGET_TABLES}
    options = _read_options(data.get("options"), issues)
    create_new = _read_create(data.get("create"), issues)
    if issues:
        return None, tuple(issues)
    return MappingConfig(
        style=scalars["style"], go_live=scalars["go_live"], sync=scalars["sync"],
        organisation_class=scalars["organisation_class"],
        accounts=tables["accounts"], income=tables["income"], tenders=tables["tenders"],
        locations=tables["locations"], tax_rates=tables["tax_rates"],
        create_missing=options.get("create_missing", False),
        deferred_revenue=options.get("deferred_revenue", False), create_new=create_new,
    ), ()


def parse_mapping(text: str) -> tuple[MappingConfig | None, tuple[Issue, ...]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, (_error("bad_toml", f"not a valid TOML file: {exc}", "fix the syntax"),)
    return mapping_from_data(data)


def read_mapping_file(path: Path) -> tuple[MappingConfig | None, tuple[Issue, ...]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, (_error("unreadable", f"cannot read {path}: {exc}", "check the file"),)
    return parse_mapping(text)


# --- writing -------------------------------------------------------------------------


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(f"\\u{ord(ch):04x}" if (ch < " " and ch != "\t") or ch == "\x7f" else ch
                      for ch in escaped)
    return f'"{escaped}"'


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _quote(key)


def dump_mapping(config: MappingConfig) -> str:
    """The mapping as TOML: names only (QBO ids stay in the local store)."""
    lines = [f"style = {_quote(config.style)}"]
    if config.go_live is not None:
        lines.append(f"go_live = {config.go_live.isoformat()}")
    lines.append(f"sync = {_quote(config.sync)}")
    if config.organisation_class:
        lines.append(f"organisation_class = {_quote(config.organisation_class)}")
    for table in TARGET_TABLES:
        targets: Mapping[str, Target] = getattr(config, table)
        lines += ["", f"[{table}]"]
        lines += [f"{_key(k)} = {_quote(t.name)}" for k, t in sorted(targets.items())]
    lines += ["", "[options]"]
    lines += [f"{k} = {'true' if getattr(config, k) else 'false'}" for k in OPTION_KEYS]
    if config.create_new:
        lines += ["", "[create]"]
        for key, entity in CREATE_KEYS.items():
            names = sorted(s.split(":", 1)[1] for s in config.create_new
                           if s.startswith(f"{entity}:"))
            if names:
                lines.append(f"{key} = [{', '.join(_quote(n) for n in names)}]")
    return "\n".join(lines) + "\n"


def write_mapping_file(path: Path, config: MappingConfig) -> None:
    path.write_text(dump_mapping(config), encoding="utf-8")
