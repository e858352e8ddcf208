"""The declarative base shared by every model, and the division tree."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, MetaData, String, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tenancy.codes import Tier

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """An aware datetime, stored in UTC; read back aware on SQLite too (which keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime cannot be stored: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSON columns: JSONB on PostgreSQL
Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime}


DivisionCode = String(12)


class Division(Base):
    """行政区划: a city, district, town or village, keyed by its 12-digit code.

    The tree itself is public geography, so divisions are not tenant-scoped.
    """

    __tablename__ = "divisions"

    code: Mapped[str] = mapped_column(DivisionCode, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    tier: Mapped[Tier] = mapped_column(Enum(Tier, native_enum=False, length=10))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"), index=True)
