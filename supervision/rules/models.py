"""Monitoring points, their rules, and the warnings rules raise (监察点 / 监察规则 / 预警)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.models import Base, Json, UtcDateTime
from tenancy.scope import TenantOwned, register


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=40)


class WarningLevel(enum.StrEnum):
    BLUE = "BLUE"
    YELLOW = "YELLOW"
    RED = "RED"


class WarningStatus(enum.StrEnum):
    OPEN = "OPEN"
    CONFIRMED = "CONFIRMED"
    DISMISSED = "DISMISSED"
    RESOLVED = "RESOLVED"


class MonitoringPoint(Base):
    """监察点: what a set of rules watches — a subtree, optionally one power, category,
    department or procedure node. Configuration, readable wherever it applies."""

    __tablename__ = "monitoring_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    power_code: Mapped[str | None] = mapped_column(String(46))
    category: Mapped[str | None] = mapped_column(String(20))
    department_code: Mapped[str | None] = mapped_column(String(18))
    node: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(200))


class Rule(Base):
    """监察规则: a built-in kind with its parameters, level and legal basis, on a point."""

    __tablename__ = "rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("monitoring_points.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(Json)
    level: Mapped[WarningLevel] = mapped_column(_enum(WarningLevel))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[datetime | None] = mapped_column(UtcDateTime)
    valid_to: Mapped[datetime | None] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    owner: Mapped[str] = mapped_column(String(200))


@register
class Warning(TenantOwned, Base):
    """预警: a rule found a case breaking it; says which rule, on which facts, on what basis.

    At most one open warning per rule and case: rescans never duplicate one.
    """

    __tablename__ = "warnings"
    __table_args__ = (
        Index(
            "uq_warnings_open_rule_case",
            "rule_id",
            "case_number",
            unique=True,
            sqlite_where=text("status = 'OPEN'"),
            postgresql_where=text("status = 'OPEN'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("rules.id"), index=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("monitoring_points.id"))
    case_number: Mapped[str] = mapped_column(String(64), index=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    level: Mapped[WarningLevel] = mapped_column(_enum(WarningLevel), index=True)
    status: Mapped[WarningStatus] = mapped_column(_enum(WarningStatus), index=True)
    detail: Mapped[str] = mapped_column(Text)
    event_ids: Mapped[list] = mapped_column(Json)
    node: Mapped[str | None] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
