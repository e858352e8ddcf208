"""Tables of the catalogue: a power, its versions, their nodes and risk points.

A power's row mirrors its current version (the one in force, else the latest) so
lists filter and sort on one table. Versions are never changed after they are
written, except to close their period of force (`effective_to`) or publish a draft.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from supervision.catalogue.spec import Category, DayUnit, RiskLevel, RiskType
from tenancy.models import Base, Json, UtcDateTime


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=20)


class PowerStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    SUSPENDED = "SUSPENDED"
    CANCELLED = "CANCELLED"


class ChangeKind(enum.StrEnum):
    """国办函〔2016〕108号: the kinds of change to a catalogue item."""

    ADD = "ADD"
    CHANGE = "CHANGE"
    SPLIT = "SPLIT"
    MERGE = "MERGE"
    SUSPEND = "SUSPEND"
    CANCEL = "CANCEL"


class Power(Base):
    """One catalogue item, by its unique code; mirrors its current version."""

    __tablename__ = "powers"
    __table_args__ = (Index(None, "division_code", "category", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(46), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[Category] = mapped_column(_enum(Category), index=True)
    status: Mapped[PowerStatus] = mapped_column(_enum(PowerStatus), index=True)
    # filtered through the (division_code, category, status) index
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    latest_version: Mapped[int] = mapped_column(Integer)
    published_version: Mapped[int | None] = mapped_column(Integer)
    current_version_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PowerVersion(Base):
    """One version of a power: everything it said, and when it was in force."""

    __tablename__ = "power_versions"
    __table_args__ = (UniqueConstraint("power_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    power_id: Mapped[int] = mapped_column(ForeignKey("powers.id"), index=True)
    code: Mapped[str] = mapped_column(String(46), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[PowerStatus] = mapped_column(_enum(PowerStatus))
    change_kind: Mapped[ChangeKind] = mapped_column(_enum(ChangeKind))
    change_note: Mapped[str] = mapped_column(Text, default="")
    related_codes: Mapped[list] = mapped_column(Json, default=list)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[Category] = mapped_column(_enum(Category))
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    legal_basis: Mapped[list] = mapped_column(Json)
    conditions: Mapped[list] = mapped_column(Json)
    materials: Mapped[list] = mapped_column(Json)
    fees: Mapped[list] = mapped_column(Json)
    discretion: Mapped[list] = mapped_column(Json)
    statutory_value: Mapped[int] = mapped_column(Integer)
    statutory_unit: Mapped[DayUnit] = mapped_column(_enum(DayUnit))
    promised_value: Mapped[int] = mapped_column(Integer)
    promised_unit: Mapped[DayUnit] = mapped_column(_enum(DayUnit))
    on_the_spot: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    effective_from: Mapped[datetime | None] = mapped_column(UtcDateTime)
    effective_to: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PowerNode(Base):
    """环节 of a version's procedure, in order."""

    __tablename__ = "power_nodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("power_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    post: Mapped[str] = mapped_column(String(100))
    limit_value: Mapped[int] = mapped_column(Integer)
    key_data: Mapped[list] = mapped_column(Json)


class PowerRiskPoint(Base):
    """风险点 of a version."""

    __tablename__ = "power_risk_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("power_versions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[RiskType] = mapped_column(_enum(RiskType), index=True)
    level: Mapped[RiskLevel] = mapped_column(_enum(RiskLevel))
    description: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text, default="")
    node: Mapped[str | None] = mapped_column(String(100))
