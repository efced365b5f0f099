"""The data source step: files (CSV, Excel with a sheet) or an API source, their column
mapping, and the check that must be clean before anything is imported (SPEC §2).

Only the importers' public functions are used: a file is read for its header and a
sample of rows (``read_path``), a mapping is suggested (``suggest_mapping``), and the
whole set is checked with ``import_paths`` / ``import_tables`` exactly as the CLI
imports it. The ``ImportResult`` is kept in the state and stored at Finish
(``store_import``): what the bookkeeper checked is what is imported, nothing is read
twice and nothing is stored before Finish.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.importers.api_source import ApiSource, ApiSourceConfig, load_source, save_source
from app.importers.api_source import store_secret as store_api_secret
from app.importers.mapping import (
    Preset,
    TableMapping,
    TableRule,
    canonical_type,
    identity_mapping,
)
from app.importers.pipeline import READABLE_SUFFIXES, ImportResult, import_paths, import_tables
from app.importers.readers import ReadError, read_path
from app.importers.schema import DERIVABLE, record_schema
from app.importers.suggest import guess_record_type, suggest_mapping
from app.importers.validate import KnownRecords
from app.progress import Progress

SAMPLE_ROWS = 25
RECORD_TYPES = ("customer", "participant", "location", "program", "tax_rate", "charge",
                "payment", "payment_allocation", "refund")
Field = tuple[str, str]  # (record type, field name)


@dataclass
class SourceFile:
    """One export file: what it holds, its sample rows, and which column feeds which field."""

    path: Path
    record_type: str | None = None
    canonical: bool = False  # named after its record type: its headers map themselves
    sheets: tuple[str, ...] = ()
    sheet: str | None = None
    header: list[str] = field(default_factory=list)
    samples: list[list[str]] = field(default_factory=list)
    columns: dict[str, Field | None] = field(default_factory=dict)  # header -> field
    confidence: dict[str, float] = field(default_factory=dict)
    error: str | None = None  # the file cannot be read at all

    @property
    def name(self) -> str:
        return self.path.name

    def table_mapping(self) -> TableMapping:
        assert self.record_type is not None
        columns: dict[str, dict[str, str]] = {self.record_type: {}}
        for header, chosen in self.columns.items():
            if chosen is not None:
                columns.setdefault(chosen[0], {})[chosen[1]] = header
        return TableMapping(self.record_type, columns)

    def signature(self) -> tuple[object, ...]:
        return (str(self.path), self.sheet, self.record_type,
                tuple(sorted((h, c) for h, c in self.columns.items() if c)))


@dataclass
class SourceDraft:
    """What the bookkeeper chose on the data source page, and the check's result."""

    kind: str = "files"  # "files" | "api"
    files: list[SourceFile] = field(default_factory=list)
    api_name: str | None = None
    preset_name: str = ""
    date_format: str = ""
    full_export: bool = False
    result: ImportResult | None = None
    checked: tuple[object, ...] | None = None  # the signature ``result`` was made from

    def signature(self) -> tuple[object, ...]:
        if self.kind == "api":
            return ("api", self.api_name, self.date_format, self.preset_name)
        return ("files", self.date_format, tuple(f.signature() for f in self.files))

    @property
    def chosen(self) -> bool:
        return bool(self.files) if self.kind == "files" else bool(self.api_name)

    @property
    def is_checked(self) -> bool:
        return self.result is not None and self.checked == self.signature()

    @property
    def is_clean(self) -> bool:
        return self.is_checked and self.result is not None and self.result.ok

    def record_count(self) -> int:
        return sum(self.result.counts().values()) if self.result is not None else 0


def field_choices(record_type: str) -> list[Field]:
    """Fields a column of a ``record_type`` table may feed: its own, then derived ones."""
    own = [(record_type, spec.name) for spec in record_schema(record_type)]
    derived = [(rtype, spec.name) for rtype in DERIVABLE if rtype != record_type
               for spec in record_schema(rtype)]
    return own + derived


def sheet_names(path: Path) -> tuple[str, ...]:
    """The sheets of an Excel workbook (read-only; nothing else is loaded)."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception as exc:  # not a workbook: the read below reports it as a file error
        raise ReadError(f"cannot open {path.name} as an Excel workbook: {exc}") from exc
    try:
        return tuple(workbook.sheetnames)
    finally:
        workbook.close()


def inspect_file(path: Path, sheet: str | None = None,
                 record_type: str | None = None) -> SourceFile:
    """Read a file's header and sample rows, and suggest its column mapping."""
    found = SourceFile(path=path, sheet=sheet)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            found.sheets = sheet_names(path)
            found.sheet = sheet or (found.sheets[0] if found.sheets else None)
        table = read_path(path, sheet=found.sheet)
    except (ReadError, OSError) as exc:
        found.error = str(exc)
        return found
    found.header = list(table.header)
    found.samples = [list(row) for row in table.rows[:SAMPLE_ROWS]]
    canonical = canonical_type(table.stem)
    found.canonical = canonical is not None and record_type in (None, canonical)
    found.record_type = record_type or canonical or guess_record_type(path.name, table.header)
    suggest(found)
    return found


def suggest(found: SourceFile) -> None:
    """Fill ``columns`` with the suggested mapping for the file's record type."""
    assert found.record_type is not None
    found.columns = dict.fromkeys(found.header)
    found.confidence = dict.fromkeys(found.header, 0.0)
    if found.canonical:
        mapping = identity_mapping(found.record_type, found.header)
        for name, header in mapping.columns[found.record_type].items():
            found.columns[header] = (found.record_type, name)
            found.confidence[header] = 1.0
        return
    _mapping, suggestions = suggest_mapping(found.header, found.samples, found.record_type)
    for item in suggestions:
        if item.record_type and item.field:
            found.columns[item.header] = (item.record_type, item.field)
            found.confidence[item.header] = item.score


def with_record_type(found: SourceFile, record_type: str) -> SourceFile:
    """The file read as another record type, with a fresh suggestion."""
    canonical = canonical_type(Path(found.name).stem.lower())
    changed = replace(found, record_type=record_type, canonical=canonical == record_type)
    suggest(changed)
    return changed


def preset_for(draft: SourceDraft) -> Preset | None:
    """The preset the check and the import use: a rule per file that needs one."""
    rules = tuple(
        TableRule(match=f.name, mapping=f.table_mapping(), sheet=f.sheet)
        for f in draft.files
        if f.record_type and (not f.canonical or f.sheet or _edited(f))
    )
    date_format = draft.date_format.strip() or None
    if not rules and date_format is None:
        return None
    return Preset(draft.preset_name.strip() or "setup wizard", rules, date_format=date_format)


def _edited(found: SourceFile) -> bool:
    assert found.record_type is not None
    identity = identity_mapping(found.record_type, found.header).columns[found.record_type]
    return found.table_mapping().columns != {found.record_type: dict(identity)}


def check(draft: SourceDraft, known: KnownRecords, config_dir: Path,
          progress: Progress | None = None) -> ImportResult:
    """Read, map and validate everything the draft names (nothing is stored)."""
    preset = preset_for(draft)
    if draft.kind == "api":
        if progress:
            progress.report(0, 1, f"Reading the API source {draft.api_name}…")
        source = ApiSource(load_source(api_sources_dir(config_dir), draft.api_name or ""))
        return import_tables(source.fetch_tables(), preset, known=known)
    if progress:
        progress.report(0, 1, f"Checking {len(draft.files)} file(s)…")
    return import_paths([f.path for f in draft.files], preset, known=known)


def unreadable(paths: Iterable[Path]) -> list[Path]:
    """Files given that the importer cannot read (a folder's other files are not counted)."""
    return [p for p in paths if not p.is_dir() and p.suffix.lower() not in READABLE_SUFFIXES]


def readable(paths: Iterable[Path]) -> list[Path]:
    """Files the importer can read; a folder gives its readable files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in READABLE_SUFFIXES)
        elif path.suffix.lower() in READABLE_SUFFIXES:
            found.append(path)
    return found


def api_sources_dir(config_dir: Path) -> Path:
    return config_dir / "sources"


def api_source_names(config_dir: Path) -> list[str]:
    folder = api_sources_dir(config_dir)
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def add_api_source(config_dir: Path, config: ApiSourceConfig, secret: str) -> None:
    """Save an API source as ``ledgerbridge source add`` does: settings file, secret in the
    keyring. An explicit action of its own (the wizard's "Save API source"), like the
    command; the company's setup is still saved only at Finish."""
    store_api_secret(config, secret)
    save_source(config, api_sources_dir(config_dir))


def demo_exports(data_dir: Path) -> list[Path]:
    """The demo company's sample exports (written once, as the demo company writes them)."""
    from app.demo_company import DEMO_EXPORTS
    from app.importers.demo_data import write_demo_data

    folder = data_dir / DEMO_EXPORTS
    if not folder.exists():
        write_demo_data(folder, families=25, months=3, seed=7)
    return sorted(folder.glob("*.csv"))
