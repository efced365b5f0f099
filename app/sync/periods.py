"""Locked periods: months the bookkeeper closed in Ledgerbridge (SPEC §5 closed periods).

A source change that touches a locked month is posted as a labelled adjustment in the
first open period (both planners read the locks), so a month reported to the board or
the accountant never changes. QuickBooks' own closing date is read at every post too.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.models.database import Database
from app.models.jobs import LockedPeriod


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        try:
            year, month = (int(part) for part in text.split("-"))
            date(year, month, 1)
        except ValueError:
            raise ValueError(f"not a month (YYYY-MM): {text!r}") from None
        return cls(year, month)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def lock(database: Database, company_id: int, month: Month, note: str | None = None) -> bool:
    """Lock ``month``; False when it was locked already."""
    with database.session() as session:
        if _row(session, company_id, month) is not None:
            return False
        session.add(LockedPeriod(company_id=company_id, period_start=month.first,
                                 period_end=month.last, note=note))
        return True


def unlock(database: Database, company_id: int, month: Month) -> bool:
    """Unlock ``month``; False when it was not locked."""
    with database.session() as session:
        row = _row(session, company_id, month)
        if row is None:
            return False
        session.delete(row)
        return True


def locked_months(database: Database, company_id: int) -> list[tuple[date, date, str | None]]:
    with database.session() as session:
        rows = session.scalars(select(LockedPeriod).where(LockedPeriod.company_id == company_id)
                               .order_by(LockedPeriod.period_start))
        return [(row.period_start, row.period_end, row.note) for row in rows]


def _row(session, company_id: int, month: Month) -> LockedPeriod | None:  # type: ignore[no-untyped-def]
    return session.scalars(select(LockedPeriod).where(
        LockedPeriod.company_id == company_id,
        LockedPeriod.period_start == month.first)).first()
