"""Finish: everything the wizard gathered is saved once (Picard: validated on Next, saved
once at Finish, in one transaction).

Order, so that a failure leaves nothing half-done in the books' database: the named
import preset (a file) and the connection's secrets (the keyring, as ``ledgerbridge
connect`` keeps them) first — left over alone they are harmless — then one database
transaction: the company row, its connection (``record_connection``), the import
(``store_import``) and the mapping (``save_mapping``). If any step fails, the
transaction rolls back and the wizard stays open with the error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from app.importers.mapping import presets_dir, save_preset
from app.importers.store import StoreSummary, store_import
from app.mapping.config import MappingConfig
from app.mapping.store import load_mapping, save_mapping
from app.models.company import Company
from app.progress import Progress
from app.sync.company_link import record_connection

from .rules import finish_problems
from .services import SetupServices
from .source import preset_for
from .state import MappingChangedMeanwhile, SetupState


class SetupError(Exception):
    """The setup cannot be saved as it is; the message says why."""


@dataclass(frozen=True)
class Finished:
    company_id: int
    mapping_version: int | None
    imported: StoreSummary | None
    preset: Path | None


def finish(services: SetupServices, state: SetupState, progress: Progress | None = None
           ) -> Finished:
    problems = finish_problems(state)
    if problems:
        raise SetupError("; ".join(problems))
    report = progress.report if progress else (lambda *_: None)
    source = state.source
    importing = source.chosen and source.is_clean
    preset = preset_for(source) if importing else None
    saved_preset = None
    if preset is not None and source.preset_name.strip():
        report(0, 3, "Saving the column mapping preset…")
        saved_preset = save_preset(preset, presets_dir(services.paths.config_dir))
    if state.connection is not None and not state.connection.is_demo:  # no keyring needed
        report(1, 3, "Keeping the connection in the system keyring…")
        state.connection.save_secrets(services.token_store())
    report(2, 3, "Saving the company, its data and its mapping…")
    with services.database.session() as session:
        company = _company(session, state)
        if state.connection is not None:
            record_connection(session, company, state.connection.link)
        imported = None
        if importing:
            assert source.result is not None
            imported = store_import(
                session, source.result, full=source.full_export, user=services.user,
                company_id=company.id,
                source_kind=_source_kind(state),
                preset=preset.name if preset is not None and saved_preset else None)
        mapping = _mapping_to_save(session, company, state)
        version = save_mapping(session, company.id, mapping) if mapping is not None else None
        company_id = company.id
    report(3, 3, "Saved.")
    return Finished(company_id, version, imported, saved_preset)


def _company(session, state: SetupState) -> Company:  # type: ignore[no-untyped-def]
    name = state.chosen_name()
    if state.only_page is None and name:  # the whole setup names the company (Summary)
        taken = session.scalars(select(Company).where(
            func.lower(Company.name) == name.lower())).all()
        if any(state.company is None or other.id != state.company.company_id
               for other in taken):
            raise SetupError(f"another company here is already called {name!r}: give this "
                             "one another name on the Summary page")
    if state.company is not None:
        company = session.get(Company, state.company.company_id)
        if company is None:
            raise SetupError("the company was deleted while the wizard was open")
        if state.only_page is None and name:
            company.name = name
        return company
    link = state.connection.link if state.connection else None
    company = Company(name=name or "My organisation",
                      environment=link.environment if link else "local")
    session.add(company)
    session.flush()
    return company


def _mapping_to_save(session, company: Company, state: SetupState  # type: ignore[no-untyped-def]
                     ) -> MappingConfig | None:
    """The wizard's mapping laid onto the stored one as it is now, inside the save."""
    opened_on = state.company.mapping_version if state.company is not None else 0
    changed = (company.mapping_version or 0) != opened_on
    try:
        return state.mapping_to_save(load_mapping(session, company.id) if changed else None,
                                     changed)
    except MappingChangedMeanwhile as exc:
        raise SetupError(str(exc)) from None


def _source_kind(state: SetupState) -> str:
    if state.source.kind == "api":
        return "api"
    suffixes = {f.path.suffix.lower() for f in state.source.files}
    return "xlsx" if suffixes & {".xlsx", ".xlsm"} else "csv"
