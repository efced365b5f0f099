"""Keep a company's mapping in ``MappingEntry`` rows (the thin edge between SQL and the core).

One row per mapped thing; account and class rows carry the QBO id once known. Saving a
mapping whose names did not change keeps the ids already found, so importing the file
you just exported changes nothing; any real change bumps ``Company.mapping_version``
(the audit manifest records which version a run used).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.mapping.config import MappingConfig, Target
from app.mapping.toml_format import OPTION_KEYS, TARGET_TABLES
from app.models.company import Company
from app.models.mapping import MappingEntry

Row = tuple[str | None, str | None, str | None]  # target_name, qbo_id, qbo_entity


def _rows_of(config: MappingConfig) -> dict[tuple[str, str], Row]:
    """(kind, source_key) -> (target_name, qbo_id, qbo_entity) for every mapped thing."""
    rows: dict[tuple[str, str], Row] = {
        ("settings", "style"): (config.style, None, None),
        ("settings", "sync"): (config.sync, None, None),
    }
    if config.go_live is not None:
        rows[("settings", "go_live")] = (config.go_live.isoformat(), None, None)
    if config.organisation_class:
        rows[("settings", "organisation_class")] = (
            config.organisation_class, config.organisation_class_id, "Class")
    for table in TARGET_TABLES:
        entity = "Class" if table == "locations" else "Account"
        for key, target in getattr(config, table).items():
            rows[(table, key)] = (target.name, target.qbo_id, entity)
    for option in OPTION_KEYS:
        rows[("options", option)] = ("true" if getattr(config, option) else "false", None, None)
    for slot in config.create_new:  # "Account:<FQN>": approved for creation
        entity, name = slot.split(":", 1)
        rows[("create", slot)] = (name, None, entity)
    return rows


def save_mapping(session: Session, company_id: int, config: MappingConfig) -> int:
    """Store ``config`` for the company; returns the mapping version now in force."""
    company = session.get(Company, company_id)
    if company is None:
        raise ValueError(f"no company {company_id}")
    existing = {
        (e.kind, e.source_key): e
        for e in session.scalars(select(MappingEntry).where(MappingEntry.company_id == company_id))
    }
    changed = False
    for slot, (name, qbo_id, entity) in _rows_of(config).items():
        entry = existing.pop(slot, None)
        if entry is None:
            session.add(MappingEntry(company_id=company_id, kind=slot[0], source_key=slot[1],
                                     target_name=name, qbo_id=qbo_id, qbo_entity=entity))
            changed = True
            continue
        if qbo_id is None and entry.target_name == name:
            qbo_id = entry.qbo_id  # same name as before: keep the id already found
        if (entry.target_name, entry.qbo_id, entry.qbo_entity) != (name, qbo_id, entity):
            entry.target_name, entry.qbo_id, entry.qbo_entity = name, qbo_id, entity
            changed = True
    for entry in existing.values():
        session.delete(entry)
        changed = True
    company.posting_style = config.style
    company.go_live = config.go_live
    company.sync_schedule = config.sync
    if changed:
        company.mapping_version = (company.mapping_version or 0) + 1
    session.flush()
    return company.mapping_version


def record_found_ids(session: Session, company_id: int, checked: MappingConfig) -> int:
    """Keep the QBO ids a post found for the targets the stored mapping names.

    Only rows already stored are touched, and only where the name is the same: the
    mapping's meaning does not change, so its version does not either. Returns how
    many ids were recorded.
    """
    found = _rows_of(checked)
    recorded = 0
    for entry in session.scalars(select(MappingEntry).where(MappingEntry.company_id == company_id)):
        name, qbo_id, _entity = found.get((entry.kind, entry.source_key), (None, None, None))
        if qbo_id and name == entry.target_name and entry.qbo_id != qbo_id:
            entry.qbo_id = qbo_id
            recorded += 1
    return recorded


def load_mapping(session: Session, company_id: int) -> MappingConfig | None:
    """The company's mapping with the QBO ids stored, or None if it has none yet."""
    # In the order they were saved (the file's order): SQLite gave it unasked, PostgreSQL
    # only when asked, and the planner walks the mapping in this order.
    entries = session.scalars(
        select(MappingEntry).where(MappingEntry.company_id == company_id)
        .order_by(MappingEntry.id)
    ).all()
    if not entries:
        return None
    settings: dict[str, MappingEntry] = {}
    tables: dict[str, dict[str, Target]] = {t: {} for t in TARGET_TABLES}
    options: dict[str, bool] = {}
    create_new: set[str] = set()
    for entry in entries:
        if entry.kind == "settings":
            settings[entry.source_key] = entry
        elif entry.kind == "options" and entry.source_key in OPTION_KEYS:
            options[entry.source_key] = entry.target_name == "true"
        elif entry.kind == "create":
            create_new.add(entry.source_key)
        elif entry.kind in tables and entry.target_name:
            tables[entry.kind][entry.source_key] = Target(entry.target_name, entry.qbo_id)
    if "style" not in settings:
        return None
    organisation = settings.get("organisation_class")
    go_live = settings.get("go_live")
    return MappingConfig(
        style=settings["style"].target_name or "",
        go_live=date.fromisoformat(go_live.target_name) if go_live and go_live.target_name
        else None,
        sync=(settings["sync"].target_name if "sync" in settings else None) or "daily",
        organisation_class=organisation.target_name if organisation else None,
        organisation_class_id=organisation.qbo_id if organisation else None,
        accounts=tables["accounts"], income=tables["income"], tenders=tables["tenders"],
        locations=tables["locations"], tax_rates=tables["tax_rates"],
        create_missing=options.get("create_missing", False),
        deferred_revenue=options.get("deferred_revenue", False),
        create_new=tuple(create_new),
    )

