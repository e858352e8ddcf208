"""Tables of cases: the ledger of reported facts, the case projection, attachments,
the outbox of live updates, and the loaded working-day calendar."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
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

from tenancy.models import Base, Json, UtcDateTime
from tenancy.scope import TenantOwned, register


class CaseState(enum.StrEnum):
    """办件状态."""

    SUBMITTED = "SUBMITTED"  # 申请
    ACCEPTED = "ACCEPTED"  # 受理
    IN_PROGRESS = "IN_PROGRESS"  # 正在办理
    SUPPLEMENT_REQUESTED = "SUPPLEMENT_REQUESTED"  # 补正
    SUSPENDED = "SUSPENDED"  # 暂停
    RETURNED = "RETURNED"  # 退回 / 不予受理
    APPROVED = "APPROVED"  # 办结通过
    REJECTED = "REJECTED"  # 办结不通过
    WITHDRAWN = "WITHDRAWN"  # 撤回


class Action(enum.StrEnum):
    SUBMIT = "SUBMIT"
    ACCEPT = "ACCEPT"
    RETURN = "RETURN"
    ADVANCE = "ADVANCE"
    REQUEST_SUPPLEMENT = "REQUEST_SUPPLEMENT"
    RECEIVE_SUPPLEMENT = "RECEIVE_SUPPLEMENT"
    SUSPEND = "SUSPEND"
    RESUME = "RESUME"
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    WITHDRAW = "WITHDRAW"
    CHARGE_FEE = "CHARGE_FEE"
    DECIDE_PENALTY = "DECIDE_PENALTY"
    ATTACH = "ATTACH"
    # 公示: the department published the decided result; reported like any fact, never
    # made by the platform itself (RESULT_NOT_PUBLISHED watches for it)
    PUBLISH = "PUBLISH"
    # supervision steps on the case's warnings: written by handling, never reported
    CONFIRM_WARNING = "CONFIRM_WARNING"
    DISMISS_WARNING = "DISMISS_WARNING"
    ISSUE_CARD = "ISSUE_CARD"
    ORDER_RECTIFICATION = "ORDER_RECTIFICATION"
    SUBMIT_RECTIFICATION = "SUBMIT_RECTIFICATION"
    VERIFY_RECTIFICATION = "VERIFY_RECTIFICATION"
    REOPEN_RECTIFICATION = "REOPEN_RECTIFICATION"
    CLOSE_WARNING = "CLOSE_WARNING"


SUPERVISION_ACTIONS = frozenset(
    a for a in Action if a.name.endswith(("_WARNING", "_CARD", "_RECTIFICATION"))
)
REPORTABLE_ACTIONS = frozenset(Action) - SUPERVISION_ACTIONS


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=24)


@register
class LedgerEntry(TenantOwned, Base):
    """留痕: one accepted fact, appended, hashed and chained to its predecessor.

    Chains are per district (the city's own divisions have one too), so writers in
    different districts never wait for each other. `body` is the canonical JSON the
    hash covers, kept as text so the bytes hashed are the bytes stored.
    """

    __tablename__ = "ledger"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        # the client's idempotency key, per reporting account
        UniqueConstraint("reporter", "event_id"),
        Index(None, "case_number", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(100))
    case_number: Mapped[str] = mapped_column(String(64))
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    action: Mapped[Action] = mapped_column(_enum(Action))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reporter: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ChainHead(Base):
    """The last link of each ledger chain; locked while a batch appends to it."""

    __tablename__ = "ledger_heads"

    chain: Mapped[str] = mapped_column(String(12), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


@register
class Case(TenantOwned, Base):
    """办件: the state of one case, derived from its ledger entries (and rebuildable)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    power_code: Mapped[str] = mapped_column(String(46), index=True)
    power_version_id: Mapped[int | None] = mapped_column(ForeignKey("power_versions.id"))
    state: Mapped[CaseState] = mapped_column(_enum(CaseState), index=True)
    node: Mapped[str | None] = mapped_column(String(100))
    applicant: Mapped[dict] = mapped_column(Json)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    promised_value: Mapped[int | None] = mapped_column(Integer)
    promised_unit: Mapped[str | None] = mapped_column(String(16))
    statutory_value: Mapped[int | None] = mapped_column(Integer)
    statutory_unit: Mapped[str | None] = mapped_column(String(16))
    promised_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    statutory_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_late: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_provisional: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    pauses: Mapped[list] = mapped_column(Json)
    anomalies: Mapped[list] = mapped_column(Json)
    amounts: Mapped[dict] = mapped_column(Json)
    event_count: Mapped[int] = mapped_column(Integer)
    last_event_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # when time-driven rules must next look at this case (None: nothing pending)
    next_check_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    # 公示: when the result was published (a PUBLISH fact); None while unpublished
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)


@register
class Attachment(TenantOwned, Base):
    """附件锁定: an attachment kept by its SHA-256; a new hash under a name is a new version."""

    __tablename__ = "attachments"
    __table_args__ = (
        UniqueConstraint("case_number", "name", "version"),
        UniqueConstraint("case_number", "name", "sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    event_id: Mapped[str] = mapped_column(String(100))
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxMessage(Base):
    """A live update written with the fact it announces; relayed after commit."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))
    division_code: Mapped[str] = mapped_column(String(12))
    payload: Mapped[dict] = mapped_column(Json)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)


class CalendarDay(Base):
    """A day of a working-day calendar loaded by an admin (for years chinesecalendar lacks)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    loaded_by: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime, server_default=func.now())
