"""Which column feeds which canonical field, and named presets that remember it.

A table maps onto one primary record type and, for denormalised exports, onto the
records it references (a payments export naming the family and the program). Presets
are JSON files in ``<config>/presets/<name>.json`` (format in docs/importing.md).
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.bundle import resource
from app.domain.records import FILE_NAMES, RECORD_TYPES
from app.importers.schema import record_schema
from app.importers.shape import ShapeError, TableShape, shape_from_json, shape_to_json

PRESET_FORMAT = "ledgerbridge-import-preset"
PRESET_VERSION = 2  # 2 added the shape options; version 1 files are read as they were
# Mapping fields that are not canonical fields: a participant's whole name in one column
# ("Student": "Emma Lee" or "Lee, Emma"), split into first and last name when read.
PSEUDO_FIELDS = {("participant", "full_name")}
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,79}")
_TYPE_FOR_STEM = {stem: rtype for rtype, stem in FILE_NAMES.items()} | {
    rtype: rtype for rtype in FILE_NAMES
}


class PresetError(ValueError):
    """A preset file that is missing, unreadable or not in the documented format."""


@dataclass(frozen=True)
class TableMapping:
    """``columns[record_type][field] = header``; ``record_type`` is the table's own."""

    record_type: str
    columns: Mapping[str, Mapping[str, str]]
    date_format: str | None = None
    shape: TableShape = field(default_factory=TableShape)

    @property
    def derived_types(self) -> tuple[str, ...]:
        return tuple(t for t in self.columns if t != self.record_type)

    @property
    def is_ledger(self) -> bool:
        """Payments tables are read as ledgers (refunds, voids, split rows, totals)."""
        return self.record_type == "payment"

    def headers(self) -> set[str]:
        """Every column this mapping names (fields and shape options)."""
        named = {h for fields_ in self.columns.values() for h in fields_.values()}
        return named | {h for h in (self.shape.row_kind, self.shape.group_by) if h}


@dataclass(frozen=True)
class TableRule:
    match: str  # a glob on the file name, case-insensitive: "*payments*.csv"
    mapping: TableMapping
    sheet: str | None = None


@dataclass(frozen=True)
class Preset:
    name: str
    tables: tuple[TableRule, ...] = ()
    # "tender" or "payment.status" -> {source value: canonical value}
    value_maps: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_format: str | None = None
    description: str = ""  # what export it reads and what that export cannot tell

    def rule_for(self, file_name: str) -> TableRule | None:
        lowered = file_name.lower()
        return next((r for r in self.tables if fnmatch.fnmatch(lowered, r.match.lower())), None)


def canonical_type(stem: str) -> str | None:
    """``payments`` (or ``payment``) -> ``payment``; None for other file names."""
    return _TYPE_FOR_STEM.get(stem.strip().lower())


def header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def identity_mapping(record_type: str, header: list[str]) -> TableMapping:
    """Canonical headers (any case, spaces or underscores) map onto themselves."""
    by_key = {header_key(h): h for h in header}
    names = [spec.name for spec in record_schema(record_type)]
    columns = {name: by_key[name] for name in names if name in by_key}
    return TableMapping(record_type, {record_type: columns})


# Built-in value maps: what registration systems commonly write (case-insensitive).
_TENDER_WORDS = {
    "card": ("card", "credit card", "debit card", "credit/debit", "credit/debit card", "cc",
             "visa", "mastercard", "master card", "mc", "amex", "american express", "discover",
             "jcb", "diners", "diners club", "debit", "apple pay", "google pay",
             "card present", "card not present", "visa/mc"),
    "echeck": ("echeck", "e-check", "ach", "bank transfer", "electronic check",
               "bank account", "bank draft", "eft", "direct debit"),
    "cash": ("cash",),
    "check": ("check", "cheque", "paper check", "money order"),
    "house_credit": ("house_credit", "house credit", "account credit", "account balance",
                     "house", "house account", "family credit"),
    "coupon": ("coupon", "discount code", "promo code", "discount"),
    "gift_card": ("gift_card", "gift card", "giftcard", "gift certificate"),
    "other_credit": ("other_credit", "other credit", "trade", "write-off", "write off",
                     "writeoff"),
    "multiplier": ("multiplier",),
}
_CHOICE_WORDS = {
    "payment.status": {
        "completed": ("completed", "complete", "paid", "succeeded", "success", "approved",
                      "settled"),
        "failed": ("failed", "declined", "error", "rejected"),
        "voided": ("voided", "void", "cancelled", "canceled"),
    },
    "charge.status": {
        "active": ("active", "open", "current"),
        "removed": ("removed", "deleted", "cancelled", "canceled", "dropped"),
    },
    "refund.kind": {
        "refund": ("refund", "partial refund", "full refund"),
        "chargeback": ("chargeback", "charge back", "dispute"),
        "echeck_return": ("echeck_return", "echeck return", "ach return", "returned echeck",
                          "returned"),
    },
    "program.kind": {
        "regular": ("regular", "program", "class", "session"),
        "gift_card": ("gift_card", "gift card", "giftcard"),
    },
}


def _invert(words: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: canonical for canonical, many in words.items() for word in many}


DEFAULT_VALUE_MAPS: dict[str, dict[str, str]] = {"tender": _invert(_TENDER_WORDS)} | {
    key: _invert(words) for key, words in _CHOICE_WORDS.items()
}


def value_map_for(preset: Preset | None, record_type: str, name: str) -> dict[str, str]:
    """Casefolded source value -> canonical, built-ins overridden by the preset."""
    qualified = f"{record_type}.{name}"
    merged = dict(DEFAULT_VALUE_MAPS.get(qualified) or DEFAULT_VALUE_MAPS.get(name) or {})
    if preset is not None:
        for key in (name, qualified):  # the qualified entry wins over the plain one
            for source, canonical in (preset.value_maps.get(key) or {}).items():
                merged[source.strip().casefold()] = canonical
    return merged


# --- preset files ------------------------------------------------------------------------


def presets_dir(config_dir: Path) -> Path:
    return config_dir / "presets"


def builtin_presets_dir() -> Path:
    """The presets shipped with the app (beside the package, or in a frozen build)."""
    return resource("presets")


def find_preset(directory: Path, name: str) -> Preset:
    """The bookkeeper's own preset of that name, else the built-in one of that name."""
    path = preset_path(directory, name)
    if not path.exists() and preset_path(builtin_presets_dir(), name).exists():
        return load_preset(builtin_presets_dir(), name)
    if not path.exists():
        raise PresetError(f"no preset named {name!r} in {directory} nor among the built-in "
                          f"presets ({', '.join(builtin_preset_names())})")
    return load_preset(directory, name)


def builtin_preset_names() -> list[str]:
    return sorted(p.stem for p in builtin_presets_dir().glob("*.json"))


def preset_names(directory: Path) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.json")) if directory.is_dir() else []


def preset_path(directory: Path, name: str) -> Path:
    if not _SAFE_NAME.fullmatch(name):
        raise PresetError(f"preset names are letters, digits, spaces, _ . - : {name!r}")
    return directory / f"{name}.json"


def save_preset(preset: Preset, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = preset_path(directory, preset.name)
    path.write_text(json.dumps(preset_to_json(preset), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def load_preset(directory: Path, name: str) -> Preset:
    path = preset_path(directory, name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PresetError(f"no preset named {name!r} in {directory}") from exc
    except (OSError, ValueError) as exc:
        raise PresetError(f"cannot read preset {path}: {exc}") from exc
    return preset_from_json(data)


def preset_to_json(preset: Preset) -> dict[str, Any]:
    return {
        "format": PRESET_FORMAT,
        "version": PRESET_VERSION,
        "name": preset.name,
        "description": preset.description,
        "date_format": preset.date_format,
        "value_maps": {k: dict(v) for k, v in preset.value_maps.items()},
        "tables": [
            {
                "match": rule.match,
                "sheet": rule.sheet,
                "record_type": rule.mapping.record_type,
                "date_format": rule.mapping.date_format,
                "columns": {t: dict(c) for t, c in rule.mapping.columns.items()},
                **shape_to_json(rule.mapping.shape),
            }
            for rule in preset.tables
        ],
    }


def preset_from_json(data: Any) -> Preset:
    if not isinstance(data, dict) or data.get("format") != PRESET_FORMAT:
        raise PresetError(f"not a Ledgerbridge import preset (expected format {PRESET_FORMAT})")
    if data.get("version") not in (1, PRESET_VERSION):
        raise PresetError(f"unsupported preset version {data.get('version')!r}")
    tables = tuple(_rule_from_json(t) for t in data.get("tables") or [])
    value_maps = {str(k): {str(s): str(c) for s, c in v.items()}
                  for k, v in (data.get("value_maps") or {}).items()}
    return Preset(str(data.get("name") or ""), tables, value_maps, data.get("date_format"),
                  str(data.get("description") or ""))


def _rule_from_json(data: dict[str, Any]) -> TableRule:
    record_type = data.get("record_type")
    columns = data.get("columns") or {}
    for rtype, fields_ in columns.items():
        if rtype not in RECORD_TYPES:
            raise PresetError(f"unknown record type {rtype!r} in preset")
        unknown = sorted(f for f in fields_ if not is_mappable(rtype, f))
        if unknown:
            raise PresetError(f"unknown {rtype} fields in preset: {', '.join(unknown)}")
    if record_type not in RECORD_TYPES:
        raise PresetError(f"unknown record type {record_type!r} in preset")
    try:
        shape = shape_from_json(data)
    except ShapeError as exc:
        raise PresetError(str(exc)) from exc
    for qualified in (*shape.fixed, *([shape.section_field] if shape.section_field else [])):
        rtype, _, name = qualified.partition(".")
        if rtype not in RECORD_TYPES or not is_mappable(rtype, name):
            raise PresetError(f"unknown field {qualified!r} in preset (use type.field, "
                              "e.g. tax_rate.name)")
    mapping = TableMapping(record_type, columns, data.get("date_format"), shape)
    return TableRule(str(data.get("match") or "*"), mapping, data.get("sheet"))


def is_mappable(record_type: str, name: str) -> bool:
    """A canonical field of the type, or one of the few pseudo-fields (full_name)."""
    return (record_type, name) in PSEUDO_FIELDS or any(
        spec.name == name for spec in record_schema(record_type))
