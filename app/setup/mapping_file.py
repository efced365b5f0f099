"""The mapping file on the Mapping screen: the same TOML as ``ledgerbridge mapping``.

Import replaces the company's stored mapping with the file (every problem reported at
once, nothing stored when there is one); export writes names only (ids stay local).
"""

from __future__ import annotations

from pathlib import Path

from app.mapping.config import MappingConfig
from app.mapping.store import load_mapping, save_mapping
from app.mapping.toml_format import read_mapping_file, write_mapping_file
from app.models.database import Database
from app.plan.plan import Issue


def stored_mapping(database: Database, company_id: int) -> MappingConfig | None:
    with database.session() as session:
        return load_mapping(session, company_id)


def import_mapping(database: Database, company_id: int, path: Path
                   ) -> tuple[int | None, tuple[Issue, ...]]:
    """(the mapping version now in force, or None) and the file's issues."""
    config, issues = read_mapping_file(path)
    if config is None:
        return None, issues
    with database.session() as session:
        return save_mapping(session, company_id, config), issues


def export_mapping(database: Database, company_id: int, path: Path) -> None:
    config = stored_mapping(database, company_id)
    if config is None:
        raise ValueError("there is no mapping to export yet")
    write_mapping_file(path, config)
