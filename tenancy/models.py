"""The declarative base shared by every model, and the division tree."""

from __future__ import annotations

from sqlalchemy import Enum, ForeignKey, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tenancy.codes import Tier

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


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
