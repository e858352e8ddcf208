"""What a business system reports about a case, and the checks one report must pass."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from supervision.cases.models import REPORTABLE_ACTIONS, Action
from tenancy.codes import InvalidDivisionCode, tier_of

MAX_BATCH = 500
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A clock a little ahead of ours is tolerated; a fact from the future is not.
FUTURE_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class AttachmentReport:
    name: str
    sha256: str
    size: int
    media_type: str = "application/octet-stream"


@dataclass(frozen=True)
class EventReport:
    """One fact about one case, as a business system reports it."""

    event_id: str
    case_number: str
    power_code: str
    division_code: str
    department_code: str
    action: str
    occurred_at: datetime
    node: str | None = None
    officer: str | None = None
    post: str | None = None
    opinion: str | None = None
    reason: str | None = None
    applicant_name: str | None = None
    applicant_id_number: str | None = None
    applicant_credit_code: str | None = None
    applicant_phone: str | None = None
    key_data: dict[str, str] = field(default_factory=dict)
    attachments: tuple[AttachmentReport, ...] = ()
    fee_charged: Decimal | None = None
    penalty_decided: Decimal | None = None

    def body(self) -> dict:
        """The fact as the ledger keeps and hashes it."""
        body = {
            "eventId": self.event_id,
            "caseNumber": self.case_number,
            "powerCode": self.power_code,
            "divisionCode": self.division_code,
            "departmentCode": self.department_code,
            "action": self.action,
            "occurredAt": self.occurred_at.astimezone(UTC).isoformat(),
            "node": self.node,
            "officer": self.officer,
            "post": self.post,
            "opinion": self.opinion,
            "reason": self.reason,
            "applicant": {
                "name": self.applicant_name,
                "idNumber": self.applicant_id_number,
                "creditCode": self.applicant_credit_code,
                "phone": self.applicant_phone,
            },
            "keyData": dict(sorted(self.key_data.items())),
            "attachments": [
                {"name": a.name, "sha256": a.sha256, "size": a.size, "mediaType": a.media_type}
                for a in self.attachments
            ],
            "feeCharged": None if self.fee_charged is None else str(self.fee_charged),
            "penaltyDecided": None if self.penalty_decided is None else str(self.penalty_decided),
        }
        return body


class Refusal(ValueError):
    """Why one report is refused; `code` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_report(report: EventReport, *, now: datetime) -> None:
    """Refuse a malformed report (MALFORMED); facts against the rules are not refused."""

    def malformed(message: str) -> Refusal:
        return Refusal("MALFORMED", message)

    if not 1 <= len(report.event_id.strip()) <= 100:
        raise malformed("eventId: 1 to 100 characters")
    if not 1 <= len(report.case_number.strip()) <= 64:
        raise malformed("caseNumber: 1 to 64 characters")
    if report.action not in REPORTABLE_ACTIONS:
        reportable = ", ".join(a for a in Action if a in REPORTABLE_ACTIONS)
        raise malformed(f"action: {report.action!r} is not one of {reportable}")
    try:
        tier_of(report.division_code)
    except InvalidDivisionCode as exc:
        raise malformed(f"divisionCode: {exc}") from None
    if report.occurred_at.tzinfo is None:
        raise malformed("occurredAt: give a time zone (e.g. +08:00)")
    if report.occurred_at > now + FUTURE_TOLERANCE:
        raise malformed("occurredAt: a fact cannot come from the future")
    if report.action == Action.SUSPEND and not (report.reason or "").strip():
        raise malformed("reason: a suspension needs its reason (听证, 检验, 专家评审, …)")
    if report.action == Action.ADVANCE and not (report.node or "").strip():
        raise malformed("node: ADVANCE names the node reached")
    if report.action == Action.CHARGE_FEE and report.fee_charged is None:
        raise malformed("feeCharged: CHARGE_FEE reports the amount")
    if report.action == Action.DECIDE_PENALTY and report.penalty_decided is None:
        raise malformed("penaltyDecided: DECIDE_PENALTY reports the amount")
    for amount in (report.fee_charged, report.penalty_decided):
        if amount is not None and (amount < 0 or amount > Decimal("1e12")):
            raise malformed("amounts are 0 or more yuan")
    for attachment in report.attachments:
        if not _SHA256.match(attachment.sha256):
            raise malformed(f"attachments: {attachment.name!r} needs a lowercase hex SHA-256")
        if attachment.size < 0 or not attachment.name.strip():
            raise malformed("attachments: a name and a size of 0 or more are required")
