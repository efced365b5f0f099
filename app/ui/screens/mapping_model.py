"""The Mapping screen's models: the wizard's pages, and the rows of the page selected."""

from __future__ import annotations

from app.mapping_overview import MappingRow, PageOverview
from app.ui.screens.row_table_model import Column, RowTableModel

PAGE_COLUMNS: tuple[Column[PageOverview], ...] = (
    Column("Setup page", lambda p: p.title),
    Column("What it says", lambda p: p.summary, tooltip=lambda p: p.summary),
)

ROW_COLUMNS: tuple[Column[MappingRow], ...] = (
    Column("In the registration data", lambda r: r.source),
    Column("In QuickBooks", lambda r: r.target or "— unmapped —"),
    Column("Where it comes from", lambda r: r.origin),
)


class PagesModel(RowTableModel[PageOverview]):
    def __init__(self) -> None:
        super().__init__(PAGE_COLUMNS)


class MappingRowsModel(RowTableModel[MappingRow]):
    def __init__(self) -> None:
        super().__init__(ROW_COLUMNS)
