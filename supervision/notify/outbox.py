"""Writing notifications: in the same transaction as the warnings they tell of.

Nothing is sent here. Each message becomes a PENDING `Notification` row, so it is
kept if and only if the warning is; the deliverer (`delivery.deliver_due`) sends it
after commit, retrying until it goes through or lands on the dead-letter list.

Two audiences:

- the officer in charge of the case (`Warning.officer`, a staff number) gets a short
  text on their phone — the case number, the rule and the level, never the applicant;
- every active webhook whose division's subtree holds the warning and whose topics
  include the event gets a signed POST.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.notify.models import Channel, DeliveryStatus, Notification, Webhook
from supervision.organisation import Department, Officer
from supervision.rules.kinds import KINDS, RuleKind
from tenancy.codes import covers, lineage
from tenancy.scope import Scope, scope_of, set_scope

WARNING_RAISED = "warning.raised"
WARNING_ESCALATED = "warning.escalated"
WARNING_HANDLED = "warning.handled"
TOPICS = (WARNING_RAISED, WARNING_ESCALATED, WARNING_HANDLED)

LEVEL_NAMES = {"BLUE": "蓝色", "YELLOW": "黄色", "RED": "红色"}
STATUS_NAMES = {
    "OPEN": "待处理",
    "CONFIRMED": "确认",
    "DISMISSED": "排除",
    "RECTIFYING": "责令整改",
    "RECTIFIED": "整改完成",
    "RESOLVED": "办结",
}
SIGNATURE = "【阳光监察】"
# the officer's text per topic; a topic without one goes to webhooks only
TEXTS = {
    WARNING_RAISED: "您经办的办件{case}触发{level}预警（{kind}），请及时核查处理。",
    WARNING_ESCALATED: "办件{case}的{kind}预警未及时处理，已升级为{level}预警，请尽快处理。",
    WARNING_HANDLED: "办件{case}的{kind}预警已{status}。",
}

# A warning is a Warning row or a mapping with the same names (as the engine builds them).
WarningLike = Any

_SET_SCOPE = text("SELECT set_config('yangguang.scope', :scope, true)")


def _get(warning: WarningLike, name: str) -> Any:
    if isinstance(warning, Mapping):
        return warning.get(name)
    return getattr(warning, name, None)


def kind_name(kind: str) -> str:
    """The rule kind in Chinese (超期, 多次补正, …); the code itself for a kind we don't know."""
    try:
        return KINDS[RuleKind(kind)].description.split("：", 1)[0]
    except (ValueError, KeyError):
        return kind


def sms_text(topic: str, warning: WarningLike) -> str | None:
    """The officer's text about a warning: case number, rule and level, no applicant data."""
    template = TEXTS.get(topic)
    if template is None:
        return None
    level, status = str(_get(warning, "level")), str(_get(warning, "status") or "")
    return SIGNATURE + template.format(
        case=_get(warning, "case_number"),
        kind=kind_name(str(_get(warning, "kind"))),
        level=LEVEL_NAMES.get(level, level),
        status=STATUS_NAMES.get(status, status),
    )


def webhook_data(warning: WarningLike) -> dict:
    """What a webhook receives about a warning (the `data` of the signed body)."""
    raised_at = _get(warning, "raised_at")
    status = _get(warning, "status")
    return {
        "warningId": _get(warning, "id"),
        "caseNumber": _get(warning, "case_number"),
        "divisionCode": _get(warning, "division_code"),
        "departmentCode": _get(warning, "department_code"),
        "kind": str(_get(warning, "kind")),
        "level": str(_get(warning, "level")),
        "status": None if status is None else str(status),
        "detail": _get(warning, "detail"),
        "raisedAt": raised_at.isoformat() if raised_at is not None else None,
    }


@contextlib.asynccontextmanager
async def _unscoped(session: AsyncSession, reason: str) -> AsyncIterator[None]:
    """See every tenant's rows for a moment, inside the caller's own transaction.

    Who must be told is not the reporter's business: a city's webhook covers the warning
    a district's system caused, and the reporter cannot see the city's rows. Only reads
    run inside; the scope (and PostgreSQL's copy of it) is put back afterwards. Should a
    read fail, the transaction is rolled back, which undoes the setting as well.
    """
    sync = session.sync_session
    before = scope_of(sync)
    if before.unrestricted:
        yield
        return
    on_postgres = session.bind.dialect.name == "postgresql"
    set_scope(sync, Scope.bypass(reason))
    try:
        if on_postgres:
            await session.execute(_SET_SCOPE, {"scope": "*"})
        yield
    finally:
        set_scope(sync, before)
    if on_postgres:
        await session.execute(_SET_SCOPE, {"scope": before.as_setting()})


async def record_warnings(
    *,
    session: AsyncSession,
    warnings: Sequence[WarningLike],
    now: datetime,
    topic: str = WARNING_RAISED,
) -> int:
    """Queue the texts and webhook posts telling of these warnings; how many were queued."""
    if not warnings:
        return 0
    if topic not in TOPICS:
        raise ValueError(f"unknown notification topic {topic!r}")
    staff_numbers = {_get(w, "officer") for w in warnings} - {None, ""}
    divisions = {_get(w, "division_code") for w in warnings}
    async with _unscoped(session, "notify: officers in charge and the webhooks covering"):
        phones = {}
        if staff_numbers and topic in TEXTS:
            # an officer is texted only about their own department's cases: a staff
            # number a business system reports must not reach anyone else's phone
            phones = {
                (number, department): phone
                for number, department, phone in await session.execute(
                    select(Officer.staff_number, Department.code, Officer.phone)
                    .join(Department, Department.id == Officer.department_id)
                    .where(
                        Officer.staff_number.in_(staff_numbers),
                        Officer.phone.is_not(None),
                        Officer.phone != "",
                    )
                )
            }
        hooks = (
            await session.execute(
                select(Webhook.id, Webhook.division_code, Webhook.topics).where(
                    Webhook.active,
                    Webhook.division_code.in_({a for d in divisions for a in lineage(d)}),
                )
            )
        ).all()
    hooks = [(hook_id, code) for hook_id, code, topics in hooks if topic in (topics or ())]

    rows = []
    for warning in warnings:
        division = _get(warning, "division_code")
        phone = phones.get((_get(warning, "officer"), _get(warning, "department_code")))
        if phone:
            message = sms_text(topic, warning)
            payload = {
                "text": message,
                "warningId": _get(warning, "id"),
                "caseNumber": _get(warning, "case_number"),
            }
            rows.append(_row(Channel.SMS, phone, topic, division, payload, now))
        for hook_id, hook_division in hooks:
            if covers(hook_division, division):
                rows.append(
                    _row(Channel.WEBHOOK, str(hook_id), topic, division, webhook_data(warning), now)
                )
    if rows:
        await session.execute(insert(Notification), rows)
    return len(rows)


def _row(
    channel: Channel, target: str, topic: str, division: str, payload: dict, now: datetime
) -> dict:
    return {
        "channel": channel,
        "target": target,
        "topic": topic,
        "division_code": division,
        "payload": payload,
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": None,
        "created_at": now,
        "sent_at": None,
    }
