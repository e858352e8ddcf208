"""Helpers for the notification tests: report a late case, find an officer, read the outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus
from supervision.notify.models import Channel, Notification, Webhook
from supervision.organisation import Department, Officer
from tenancy.db import Database
from tenancy.scope import Scope

CITY = "370200000000"  # 青岛市
SHINAN = "370202000000"  # 市南区
SHIBEI = "370203000000"  # 市北区
HUANGDAO = "370211000000"  # 黄岛区
ALL = Scope.bypass("test: notifications")

# personal data of the applicant, which no text may carry
APPLICANT = {
    "applicant_name": "欧阳明月",
    "applicant_id_number": "370202199001011234",
    "applicant_phone": "13912345678",
}


async def licensing_home(database: Database, division_code: str) -> dict:
    """A published licensing power of the division (it has a promised limit) and its department."""
    async with database.session(Scope.bypass("test: pick a power")) as session:
        row = (
            await session.execute(
                select(Power.code, Department.code)
                .join(Department, Department.id == Power.department_id)
                .where(
                    Power.status == PowerStatus.PUBLISHED,
                    Power.division_code == division_code,
                    Power.category == "LICENSING",
                    Power.latest_version == 1,
                )
                .order_by(Power.id)
                .limit(1)
            )
        ).one()
    return {"power_code": row[0], "department_code": row[1], "division_code": division_code}


async def officer_of(database: Database, department_code: str) -> tuple[str, str]:
    """(staff number, phone) of an officer of the department (the demo gives each a phone)."""
    async with database.session(Scope.bypass("test: pick an officer")) as session:
        return (
            await session.execute(
                select(Officer.staff_number, Officer.phone)
                .join(Department, Department.id == Officer.department_id)
                .where(Department.code == department_code, Officer.phone.is_not(None))
                .order_by(Officer.id)
                .limit(1)
            )
        ).one()


async def report_late_case(
    database: Database, home: dict, *, officer: str | None, scope: Scope | None = None
) -> str:
    """Report a case decided two months after acceptance (OVERDUE); its number."""
    case = f"TN-{uuid.uuid4().hex[:12]}"
    accepted = datetime(2025, 9, 26, 10, tzinfo=TZ)
    reports = [
        EventReport(
            event_id=f"{case}-accept",
            case_number=case,
            action="ACCEPT",
            occurred_at=accepted,
            **home,
            **APPLICANT,
        ),
        EventReport(
            event_id=f"{case}-approve",
            case_number=case,
            action="APPROVE",
            occurred_at=accepted + timedelta(days=60),
            officer=officer,
            **home,
        ),
    ]
    scope = scope or Scope.of([CITY])
    async with database.session(scope) as session:
        results = await report_events(
            session=session, reports=reports, reporter="test-notify-system", scope=scope
        )
        await session.commit()
    assert [r.status for r in results] == ["ACCEPTED", "ACCEPTED"], results
    return case


async def notifications_about(database: Database, case: str) -> list[Notification]:
    """The notifications written about a case, oldest first."""
    async with database.session(ALL, read_only=True) as session:
        rows = await session.scalars(select(Notification).order_by(Notification.id))
        return [r for r in rows if (r.payload or {}).get("caseNumber") == case]


async def add_webhook(
    database: Database, division_code: str, url: str, topics=("warning.raised",)
) -> Webhook:
    async with database.session(ALL) as session:
        webhook = Webhook(
            division_code=division_code,
            url=url,
            secret=f"test-secret-{uuid.uuid4().hex}",
            topics=list(topics),
            active=True,
            created_by="test",
            created_at=datetime.now(UTC),
        )
        session.add(webhook)
        await session.commit()
        return webhook


async def deactivate(database: Database, *webhooks: Webhook) -> None:
    """Stop test webhooks, so later tests' warnings are not queued for them."""
    async with database.session(ALL) as session:
        for webhook in webhooks:
            (await session.get(Webhook, webhook.id)).active = False
        await session.commit()


def webhook_targets(rows: list[Notification]) -> set[int]:
    return {int(r.target) for r in rows if r.channel == Channel.WEBHOOK}


class Endpoint:
    """A fake receiver for httpx.MockTransport: answers `status`, keeps every request."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))

    def to(self, url: str) -> list[httpx.Request]:
        return [r for r in self.requests if str(r.url) == url]
