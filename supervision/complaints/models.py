"""Complaints (投诉) and the steps taken on them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.models import Base, Json, UtcDateTime
from tenancy.scope import TenantOwned, register


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=16)


class ComplaintAbout(enum.StrEnum):
    CASE = "CASE"
    DEPARTMENT = "DEPARTMENT"
    OFFICER = "OFFICER"


class ComplaintStatus(enum.StrEnum):
    RECEIVED = "RECEIVED"  # 已收到
    ACCEPTED = "ACCEPTED"  # 已受理
    ASSIGNED = "ASSIGNED"  # 已交办
    REPLIED = "REPLIED"  # 已答复
    CLOSED = "CLOSED"  # 已办结


@register
class Complaint(TenantOwned, Base):
    """投诉: about a case, a department or an officer; followed by its tracking code."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(20), unique=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    about: Mapped[ComplaintAbout] = mapped_column(_enum(ComplaintAbout))
    case_number: Mapped[str | None] = mapped_column(String(64), index=True)
    department_code: Mapped[str | None] = mapped_column(String(18), index=True)
    officer: Mapped[str | None] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    named: Mapped[bool] = mapped_column(Boolean)
    complainant: Mapped[dict] = mapped_column(Json)  # name, phone: never shown publicly
    status: Mapped[ComplaintStatus] = mapped_column(_enum(ComplaintStatus), index=True)
    assigned_to: Mapped[str | None] = mapped_column(String(200))
    reply: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


@register
class ComplaintAction(TenantOwned, Base):
    """One step on a complaint: accepted, assigned, replied, closed."""

    __tablename__ = "complaint_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    action: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
