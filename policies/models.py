"""Accounts and grants: who holds which role at which division."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.models import Base, UtcDateTime
from tenancy.scope import TenantOwned, register


class AccountKind(enum.StrEnum):
    PERSON = "PERSON"
    SERVICE = "SERVICE"


class Account(Base):
    """A token subject: a person, or a service account of a business system or a lower tier."""

    __tablename__ = "accounts"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(Enum(AccountKind, native_enum=False, length=10))
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


@register
class Grant(TenantOwned, Base):
    """A role held by a subject at a division, reaching everything below it."""

    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("subject", "role", "division_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(ForeignKey("accounts.subject"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())


class PolicyVersion(Base):
    """One row whose number rises with every change of grants: the backstop of sync."""

    __tablename__ = "policy_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
