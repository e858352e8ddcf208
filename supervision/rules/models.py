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
    OPEN = "OPEN"  # raised, nobody has looked yet
    CONFIRMED = "CONFIRMED"  # a violation, confirmed by an inspector
    DISMISSED = "DISMISSED"  # not a violation (a reason is kept)
    RECTIFYING = "RECTIFYING"  # rectification ordered, with a deadline (整改中)
    RECTIFIED = "RECTIFIED"  # the department says it rectified, awaiting verification
    RESOLVED = "RESOLVED"  # verified or closed


# A warning in one of these is still being dealt with: the rule raises no second one.
LIVE_STATUSES = (
    WarningStatus.OPEN,
    WarningStatus.CONFIRMED,
    WarningStatus.RECTIFYING,
    WarningStatus.RECTIFIED,
)
_LIVE_SQL = "status IN ('OPEN', 'CONFIRMED', 'RECTIFYING', 'RECTIFIED')"


class CardLevel(enum.StrEnum):
    YELLOW = "YELLOW"  # 黄牌
    RED = "RED"  # 红牌


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
    # an unhandled warning rises one level and goes to the tier above after this long
    escalate_after_hours: Mapped[int | None] = mapped_column(Integer)


@register
class Warning(TenantOwned, Base):
    """预警: a rule found a case breaking it; says which rule, on which facts, on what basis.

    At most one live warning (`LIVE_STATUSES`) per rule and case: rescans never duplicate one.
    """

    __tablename__ = "warnings"
    __table_args__ = (
        Index(
            "uq_warnings_live_rule_case",
            "rule_id",
            "case_number",
            unique=True,
            sqlite_where=text(_LIVE_SQL),
            postgresql_where=text(_LIVE_SQL),
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
    department_code: Mapped[str | None] = mapped_column(String(18), index=True)
    # the officer in charge of the case when the warning was raised (told by SMS)
    officer: Mapped[str | None] = mapped_column(String(100))
    handled_by: Mapped[str | None] = mapped_column(String(200))
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why dismissed; notes of the last step
    rectify_by: Mapped[datetime | None] = mapped_column(UtcDateTime)  # 整改期限
    # escalation: when an unhandled warning next rises, and the division now asked to act
    escalate_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    attention_code: Mapped[str | None] = mapped_column(String(12), index=True)


@register
class WarningAction(TenantOwned, Base):
    """One handling step of a warning (确认, 排除, 亮牌, 督办整改, …), also in the ledger."""

    __tablename__ = "warning_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(Json)
    event_id: Mapped[str] = mapped_column(String(100))  # of the ledger entry
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


@register
class Card(TenantOwned, Base):
    """黄牌 / 红牌: issued by a supervisor to a department or an officer on a confirmed warning."""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    level: Mapped[CardLevel] = mapped_column(_enum(CardLevel))
    department_code: Mapped[str] = mapped_column(String(18), index=True)
    officer: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    issued_by: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
