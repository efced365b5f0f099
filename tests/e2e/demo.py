"""The demo export set, imported in memory, and mappings with nothing but defaults.

Shared by the end-to-end tests: generate (``write_demo_data``), import through the real
pipeline (``import_paths``), and hand the planners a ``Dataset``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from app.domain.dataset import Dataset
from app.importers.demo_data import START, write_demo_data
from app.importers.pipeline import import_paths
from app.mapping.config import MappingConfig

ORGANISATION = "Demo Org"


def demo_dataset(folder: Path, families: int = 6, months: int = 2, seed: int = 1) -> Dataset:
    """The demo exports written to ``folder`` and imported: every error fails the test."""
    write_demo_data(folder, families=families, months=months, seed=seed)
    result = import_paths([folder])
    assert result.ok, [str(issue) for issue in result.errors]
    return Dataset.from_records(r for records in result.records.values() for r in records)


def defaults_mapping(style: str, **options: Any) -> MappingConfig:
    """create_missing and an organisation class; no [accounts]/[income]/[tax_rates]/[locations]."""
    go_live: date | None = START if style == "summary" else None
    return MappingConfig(style=style, go_live=go_live, organisation_class=ORGANISATION,
                         create_missing=True, **options)
