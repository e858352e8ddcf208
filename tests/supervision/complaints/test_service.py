"""The handlers' steps on a complaint: the table, what each leaves, the wrong state."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from supervision.cases.models import OutboxMessage
from supervision.complaints import filing, service
from supervision.complaints.models import ComplaintAction as ActionRow
from supervision.complaints.models import ComplaintStatus
from supervision.complaints.service import Step
from tenancy.scope import Scope
from tests.supervision.complaints.support import (
    department_in,
    file,
    step,
)

LICANG = "370213000000"  # 李沧区
SHIBEI = "370203000000"  # 市北区
BYPASS = Scope.bypass("test: read complaints")


# --- the steps ---


def test_the_steps_are_a_table():
    assert service.allowed_steps(ComplaintStatus.RECEIVED) == [Step.ACCEPT, Step.CLOSE]
    assert service.allowed_steps(ComplaintStatus.ACCEPTED) == [Step.ASSIGN, Step.REPLY]
    assert service.allowed_steps(ComplaintStatus.ASSIGNED) == [Step.ASSIGN, Step.REPLY]
    assert service.allowed_steps(ComplaintStatus.REPLIED) == [Step.CLOSE]
    assert service.allowed_steps(ComplaintStatus.CLOSED) == []


async def test_accept_assign_reply_close_each_leave_a_step_and_a_live_update(database):
    department = await department_in(database, LICANG)
    handler = await department_in(database, LICANG, 1)
    receipt = await file(
        database,
        department_code=department.code,
        complainant=filing.Complainant("李四", "13912345678"),
    )
    cid = receipt.complaint_id

    await step(database, service.accept_complaint, cid, note="受理")
    stepped = await step(database, service.assign_complaint, cid, assignee=handler.code)
    assert stepped.complaint.assigned_to == handler.code
    stepped = await step(database, service.reply_complaint, cid, reply=" 经核查，已责令整改。 ")
    assert stepped.complaint.reply == "经核查，已责令整改。"
    stepped = await step(database, service.close_complaint, cid, note="回访满意")
    assert stepped.complaint.status is ComplaintStatus.CLOSED
    assert stepped.complaint.closed_at is not None

    async with database.session(BYPASS, read_only=True) as session:
        actions = list(
            await session.scalars(
                select(ActionRow.action).where(ActionRow.complaint_id == cid).order_by(ActionRow.id)
            )
        )
        messages = [
            m.payload
            for m in await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.topic == "complaint")
                .order_by(OutboxMessage.id)
            )
            if m.payload["complaintId"] == cid
        ]
    assert actions == ["SUBMIT", "ACCEPT", "ASSIGN", "REPLY", "CLOSE"]
    assert [m["step"] for m in messages] == actions
    assert [m["status"] for m in messages][-1] == "CLOSED"
    assert "李四" not in str(messages) and "13912345678" not in str(messages)


async def test_a_step_the_status_does_not_allow_is_the_wrong_state(database):
    department = await department_in(database, LICANG)
    receipt = await file(database, department_code=department.code)
    with pytest.raises(service.WrongState) as caught:
        await step(database, service.reply_complaint, receipt.complaint_id, reply="答复")
    assert caught.value.code == "WRONG_STATE"
    assert caught.value.status is ComplaintStatus.RECEIVED


async def test_refusing_to_accept_needs_a_reason_and_is_recorded_as_reject(database):
    department = await department_in(database, LICANG)
    receipt = await file(database, department_code=department.code)
    with pytest.raises(service.InvalidComplaint) as caught:
        await step(database, service.close_complaint, receipt.complaint_id, note="  ")
    assert caught.value.code == "REASON_REQUIRED"

    stepped = await step(
        database, service.close_complaint, receipt.complaint_id, note="不属于本机关受理范围"
    )
    assert (stepped.complaint.status, stepped.action.action) == (ComplaintStatus.CLOSED, "REJECT")


async def test_a_complaint_is_handed_only_to_a_department_in_the_handlers_part_of_the_tree(
    database,
):
    department = await department_in(database, LICANG)
    elsewhere = await department_in(database, SHIBEI)
    receipt = await file(database, department_code=department.code)
    await step(database, service.accept_complaint, receipt.complaint_id)
    licang = Scope.of([LICANG])
    async with database.session(licang) as session:
        with pytest.raises(service.UnknownDepartment) as caught:
            await service.assign_complaint(
                session=session,
                complaint_id=receipt.complaint_id,
                actor="licang-supervisor",
                scope=licang,
                assignee=elsewhere.code,
            )
    assert (caught.value.code, caught.value.field) == ("UNKNOWN_DEPARTMENT", "assignee")


async def test_outside_the_handlers_scope_a_complaint_is_not_found(database):
    department = await department_in(database, LICANG)
    receipt = await file(database, department_code=department.code)
    shibei = Scope.of([SHIBEI])
    async with database.session(shibei) as session:
        with pytest.raises(service.ComplaintNotFound):
            await service.accept_complaint(
                session=session, complaint_id=receipt.complaint_id, actor="x", scope=shibei
            )
