"""督查督办: handling a warning — confirm, dismiss, card, order and verify rectification.

The steps and the statuses they lead between are data (`Step`, `TRANSITIONS`). Each
step, in the caller's transaction: checks the warning's status against the table,
updates the warning, records a `WarningAction` (and a `Card`), appends the step to the
case's district ledger chain and writes a live update to the outbox. The case's own
state is untouched: derivation and the rule engine skip supervision actions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases import ledger
from supervision.cases.clock import TZ
from supervision.cases.models import Action, Case, LedgerEntry, OutboxMessage
from supervision.notify.outbox import WARNING_HANDLED, record_warnings
from supervision.organisation import Department, Officer
from supervision.rules.models import (
    LIVE_STATUSES,
    Card,
    CardLevel,
    Warning,
    WarningAction,
    WarningStatus,
)
from supervision.rules.worker import recheck
from tenancy.scope import Scope


class Step(enum.StrEnum):
    CONFIRM = "CONFIRM"  # 确认: a violation
    DISMISS = "DISMISS"  # 排除: not a violation (a reason is required)
    ISSUE_CARD = "ISSUE_CARD"  # 亮牌: a yellow or red card to a department or officer
    ORDER_RECTIFICATION = "ORDER_RECTIFICATION"  # 督办整改, with a deadline
    SUBMIT_RECTIFICATION = "SUBMIT_RECTIFICATION"  # the department reports it rectified
    VERIFY_RECTIFICATION = "VERIFY_RECTIFICATION"  # 验收: the rectification holds
    REOPEN_RECTIFICATION = "REOPEN_RECTIFICATION"  # 退回整改: not good enough, a new deadline
    CLOSE = "CLOSE"  # 办结: a confirmed violation that needs no rectification


_S = WarningStatus

# (status now, step) -> status after. A pair not listed is refused as the wrong state.
TRANSITIONS: dict[tuple[WarningStatus, Step], WarningStatus] = {
    (_S.OPEN, Step.CONFIRM): _S.CONFIRMED,
    (_S.OPEN, Step.DISMISS): _S.DISMISSED,
    (_S.CONFIRMED, Step.ORDER_RECTIFICATION): _S.RECTIFYING,
    (_S.CONFIRMED, Step.CLOSE): _S.RESOLVED,
    (_S.RECTIFYING, Step.SUBMIT_RECTIFICATION): _S.RECTIFIED,
    (_S.RECTIFIED, Step.VERIFY_RECTIFICATION): _S.RESOLVED,
    (_S.RECTIFIED, Step.REOPEN_RECTIFICATION): _S.RECTIFYING,
    # a card is issued on a confirmed violation not yet resolved, and changes no status
    (_S.CONFIRMED, Step.ISSUE_CARD): _S.CONFIRMED,
    (_S.RECTIFYING, Step.ISSUE_CARD): _S.RECTIFYING,
    (_S.RECTIFIED, Step.ISSUE_CARD): _S.RECTIFIED,
}

# the supervision action each step is kept under in the ledger
LEDGER_ACTIONS: dict[Step, Action] = {
    Step.CONFIRM: Action.CONFIRM_WARNING,
    Step.DISMISS: Action.DISMISS_WARNING,
    Step.ISSUE_CARD: Action.ISSUE_CARD,
    Step.ORDER_RECTIFICATION: Action.ORDER_RECTIFICATION,
    Step.SUBMIT_RECTIFICATION: Action.SUBMIT_RECTIFICATION,
    Step.VERIFY_RECTIFICATION: Action.VERIFY_RECTIFICATION,
    Step.REOPEN_RECTIFICATION: Action.REOPEN_RECTIFICATION,
    Step.CLOSE: Action.CLOSE_WARNING,
}

MAX_TEXT = 2000
MAX_DEADLINE = timedelta(days=366)


def allowed_steps(status: WarningStatus) -> list[Step]:
    """The steps a warning in this status may take, in the table's order."""
    return [step for (now, step) in TRANSITIONS if now is status]


class HandlingError(ValueError):
    """A handling step refused; `code` is stable, `field` names the input at fault."""

    code = "HANDLING_ERROR"
    field: str | None = None


class WarningNotFound(HandlingError):
    code = "WARNING_NOT_FOUND"
    field = "id"

    def __init__(self, warning_id: int) -> None:
        super().__init__(f"no warning {warning_id} in your part of the tree")


class WrongState(HandlingError):
    code = "WRONG_STATE"

    def __init__(self, step: Step, status: WarningStatus) -> None:
        allowed = ", ".join(allowed_steps(status)) or "nothing more"
        super().__init__(f"the warning is {status}: no {step} now; it may take {allowed}")
        self.step = step
        self.status = status


class InvalidHandling(HandlingError):
    def __init__(self, code: str, message: str, field: str | None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Handled:
    """What a step left: the warning as it is now, the action recorded, the card issued."""

    warning: Warning
    action: WarningAction
    card: Card | None = None


@dataclass(frozen=True)
class CardOrder:
    """Who a card goes to: a department (None: the warning's) and optionally its officer."""

    level: CardLevel
    department_code: str | None
    officer: str | None


def _text(value: str | None, field: str, *, required: str | None = None) -> str:
    """The text stripped; refused when required and blank, or too long."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidHandling(required, f"{field}: required", field)
    if len(text) > MAX_TEXT:
        raise InvalidHandling("TOO_LONG", f"{field}: at most {MAX_TEXT} characters", field)
    return text


def _deadline(value: datetime, now: datetime) -> datetime:
    deadline = value if value.tzinfo is not None else value.replace(tzinfo=TZ)
    if deadline <= now:
        raise InvalidHandling("DEADLINE_IN_PAST", "deadline: must be in the future", "deadline")
    if deadline > now + MAX_DEADLINE:
        raise InvalidHandling("DEADLINE_TOO_FAR", "deadline: at most a year ahead", "deadline")
    return deadline.astimezone(UTC)


async def warning_division(*, session: AsyncSession, warning_id: int, scope: Scope) -> str | None:
    """The division of a warning inside `scope`; None when there is none there."""
    query = select(Warning.division_code).where(Warning.id == warning_id)
    if (inside := scope.clause(Warning.division_code)) is not None:
        query = query.where(inside)
    return await session.scalar(query)


async def _locked(session: AsyncSession, warning_id: int, scope: Scope) -> Warning:
    query = (
        select(Warning)
        .where(Warning.id == warning_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if (inside := scope.clause(Warning.division_code)) is not None:
        query = query.where(inside)
    warning = await session.scalar(query)
    if warning is None:
        raise WarningNotFound(warning_id)
    return warning


async def _card_target(
    session: AsyncSession, warning: Warning, order: CardOrder, scope: Scope
) -> tuple[str, str | None]:
    """The department code and officer staff number a card goes to, both checked: a card
    goes only to a department inside the issuer's part of the tree."""
    code = (order.department_code or "").strip() or warning.department_code
    if not code:
        raise InvalidHandling(
            "DEPARTMENT_REQUIRED", "departmentCode: the warning names none", "departmentCode"
        )
    department = (
        await session.execute(
            select(Department.id, Department.division_code).where(Department.code == code)
        )
    ).first()
    department_id = department[0] if department else None
    if department is None or not scope.allows(department[1]):
        raise InvalidHandling("UNKNOWN_DEPARTMENT", f"no department {code}", "departmentCode")
    officer = (order.officer or "").strip() or None
    if officer is not None:
        found = await session.scalar(
            select(Officer.id).where(
                Officer.staff_number == officer, Officer.department_id == department_id
            )
        )
        if found is None:
            raise InvalidHandling(
                "UNKNOWN_OFFICER", f"no officer {officer} in department {code}", "officer"
            )
    return code, officer


async def record_step(
    *,
    session: AsyncSession,
    warning_id: int,
    step: Step,
    actor: str,
    scope: Scope,
    note: str = "",
    deadline: datetime | None = None,
    card: CardOrder | None = None,
    now: datetime | None = None,
) -> Handled:
    """Take one handling step on a warning inside `scope`; the caller commits."""
    now = now or datetime.now(UTC)
    warning = await _locked(session, warning_id, scope)
    before = warning.status
    after = TRANSITIONS.get((before, step))
    if after is None:
        raise WrongState(step, before)
    detail: dict = {"from": before.value, "to": after.value}
    if deadline is not None:
        detail["deadline"] = deadline.isoformat()
    issued = None
    if step is Step.ISSUE_CARD:
        if card is None:
            raise InvalidHandling("CARD_REQUIRED", "a card step names its card", "level")
        department_code, officer = await _card_target(session, warning, card, scope)
        detail.update(card=card.level.value, departmentCode=department_code, officer=officer)
        issued = Card(
            warning_id=warning.id,
            level=card.level,
            department_code=department_code,
            officer=officer,
            reason=note,
            issued_by=actor,
            issued_at=now,
            division_code=warning.division_code,
        )
    else:
        warning.status = after
        warning.handled_by = actor
        warning.handled_at = now
        warning.reason = note or None
        warning.escalate_at = None  # handled: it rises no more
        if deadline is not None:
            warning.rectify_by = deadline

    taken = await session.scalar(
        select(func.count())
        .select_from(WarningAction)
        .where(WarningAction.warning_id == warning.id)
    )
    event_id = f"warning-{warning.id}-{taken + 1}"
    power_code = await session.scalar(
        select(Case.power_code).where(Case.number == warning.case_number)
    )
    action = LEDGER_ACTIONS[step]
    body = ledger.canonical(
        {
            "eventId": event_id,
            "caseNumber": warning.case_number,
            "powerCode": power_code,
            "divisionCode": warning.division_code,
            "action": action.value,
            "occurredAt": now.astimezone(UTC).isoformat(),
            "warningId": warning.id,
            "step": step.value,
            "actor": actor,
            "reason": note or None,
            "detail": detail,
        }
    )
    body_hash = ledger.sha256(body)
    chain = ledger.chain_of(warning.division_code)
    heads = await ledger.lock_heads(session=session, chains=[chain])
    seq, prev_hash, digest = ledger.append(heads[chain], body_hash)
    session.add(
        LedgerEntry(
            chain=chain,
            seq=seq,
            event_id=event_id,
            case_number=warning.case_number,
            division_code=warning.division_code,
            action=action,
            occurred_at=now,
            recorded_at=now,
            reporter=actor,
            body=body,
            body_hash=body_hash,
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    recorded = WarningAction(
        warning_id=warning.id,
        action=step.value,
        actor=actor,
        note=note,
        detail=detail,
        event_id=event_id,
        division_code=warning.division_code,
        at=now,
    )
    session.add(recorded)
    if issued is not None:
        session.add(issued)
    # live: subscribers see the step after commit (the keys of a raised warning, and more)
    session.add(
        OutboxMessage(
            topic="warning",
            division_code=warning.division_code,
            payload={
                "warningId": warning.id,
                "caseNumber": warning.case_number,
                "divisionCode": warning.division_code,
                "kind": warning.kind,
                "level": warning.level.value,
                "detail": warning.detail,
                "raisedAt": warning.raised_at.isoformat(),
                "status": warning.status.value,
                "step": step.value,
                "actor": actor,
                "at": now.isoformat(),
            },
        )
    )
    await session.flush()
    await record_warnings(session=session, warnings=[warning], now=now, topic=WARNING_HANDLED)
    if warning.status not in LIVE_STATUSES:
        # closed: the rule may judge the case again (on new facts only), next worker pass
        await recheck(session=session, case_numbers=[warning.case_number], now=now)
    return Handled(warning=warning, action=recorded, card=issued)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


async def confirm_warning(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    note: str | None = None,
    now: datetime | None = None,
) -> Handled:
    """确认: the warning is a violation."""
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.CONFIRM,
        actor=actor,
        scope=scope,
        note=_text(note, "note"),
        now=now,
    )


async def dismiss_warning(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    reason: str,
    now: datetime | None = None,
) -> Handled:
    """排除: the warning is not a violation, for the reason given."""
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.DISMISS,
        actor=actor,
        scope=scope,
        note=_text(reason, "reason", required="REASON_REQUIRED"),
        now=now,
    )


async def issue_card(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    level: CardLevel,
    reason: str,
    department_code: str | None = None,
    officer: str | None = None,
    now: datetime | None = None,
) -> Handled:
    """黄牌/红牌 to a department (the warning's when none is named) or one of its officers."""
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.ISSUE_CARD,
        actor=actor,
        scope=scope,
        note=_text(reason, "reason", required="REASON_REQUIRED"),
        card=CardOrder(CardLevel(level), department_code, officer),
        now=now,
    )


async def order_rectification(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    deadline: datetime,
    instructions: str,
    now: datetime | None = None,
) -> Handled:
    """督办整改: the department must rectify by the deadline, as instructed."""
    now = _now(now)
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.ORDER_RECTIFICATION,
        actor=actor,
        scope=scope,
        note=_text(instructions, "instructions", required="INSTRUCTIONS_REQUIRED"),
        deadline=_deadline(deadline, now),
        now=now,
    )


async def submit_rectification(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    note: str,
    now: datetime | None = None,
) -> Handled:
    """整改报告: the department says what it rectified."""
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.SUBMIT_RECTIFICATION,
        actor=actor,
        scope=scope,
        note=_text(note, "note", required="NOTE_REQUIRED"),
        now=now,
    )


async def verify_rectification(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    note: str | None = None,
    now: datetime | None = None,
) -> Handled:
    """验收: the rectification holds; the warning is resolved."""
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.VERIFY_RECTIFICATION,
        actor=actor,
        scope=scope,
        note=_text(note, "note"),
        now=now,
    )


async def reopen_rectification(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    deadline: datetime,
    reason: str,
    now: datetime | None = None,
) -> Handled:
    """退回整改: not rectified enough; again, by a new deadline."""
    now = _now(now)
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.REOPEN_RECTIFICATION,
        actor=actor,
        scope=scope,
        note=_text(reason, "reason", required="REASON_REQUIRED"),
        deadline=_deadline(deadline, now),
        now=now,
    )


async def close_warning(
    *,
    session: AsyncSession,
    warning_id: int,
    actor: str,
    scope: Scope,
    note: str,
    now: datetime | None = None,
) -> Handled:
    """办结: a confirmed violation that needs no rectification; resolved."""
    return await record_step(
        session=session,
        warning_id=warning_id,
        step=Step.CLOSE,
        actor=actor,
        scope=scope,
        note=_text(note, "note", required="NOTE_REQUIRED"),
        now=now,
    )
