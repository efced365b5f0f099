"""Declarative base and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.domain.money import money

# Deterministic constraint names: Alembic can then alter them on every database kind.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ExactDecimal(TypeDecorator[Decimal]):
    """Money stored as its exact decimal text: SQLite has no exact numeric type.

    Portable to PostgreSQL unchanged; refuses floats on the way in (via ``money``).
    """

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else format(money(value), "f")

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else money(value)


class JsonText(TypeDecorator[str]):
    """A bind for a JSON column whose value is already serialised JSON text.

    The importer stores its canonical text as it is (it is what the hash is of). Binding
    that text as a string works on SQLite but not on PostgreSQL, which will not put a
    ``varchar`` into a ``json`` column; this type keeps the column's own JSON type (so
    PostgreSQL casts the text to ``json``) and passes the text through unencoded.
    """

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Any) -> None:
        return None


class ExactJSON(TypeDecorator[Any]):
    """JSON whose amounts are stored as exact decimal text (``app.plan.payload_text``).

    Written through ``to_text`` so a ``Decimal`` never becomes a float on the way in; read
    back as stored (amounts as text): readers that send or compare a payload turn the
    amount fields back into ``Decimal`` with ``from_text``.
    """

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        from app.plan.payload_text import to_text

        return None if value is None else to_text(value)


class UtcDateTime(TypeDecorator[datetime]):
    """Audit timestamps, always timezone-aware UTC (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
