"""The bookkeeper's mapping (SPEC §4), stored per company by QBO id.

One row per mapped thing: ``kind`` says what (an account role such as
``undeposited_funds``, a program category under ``income``, a tender, a location, a tax
rate, an option; ``create``: an account or class approved for creation, keyed
``Account:<FQN>``), ``source_key`` which one. People see fully-qualified names; the row
keeps the QBO id too, re-validated at every run.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.mapping.config import MAX_SOURCE_KEY_LENGTH, MAX_TARGET_LENGTH
from app.models.base import Base, TimestampMixin

MAPPING_KINDS = ("accounts", "income", "tenders", "locations", "tax_rates", "options", "settings",
                 "create")


class MappingEntry(TimestampMixin, Base):
    __tablename__ = "mapping_entry"
    __table_args__ = (UniqueConstraint("company_id", "kind", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    source_key: Mapped[str] = mapped_column(String(MAX_SOURCE_KEY_LENGTH))
    # Fully-qualified QBO name ("Parent:Child") for accounts/classes; the value for options.
    target_name: Mapped[str | None] = mapped_column(String(MAX_TARGET_LENGTH))
    qbo_id: Mapped[str | None] = mapped_column(String(40))
    qbo_entity: Mapped[str | None] = mapped_column(String(20))  # "Account" | "Class" | "Item"
