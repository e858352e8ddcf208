"""Reading complaints: the public view by code, the handlers' view with the contact."""

from __future__ import annotations

from supervision.complaints import filing, queries, service
from supervision.complaints.models import ComplaintAbout, ComplaintStatus
from tenancy.scope import Scope
from tests.supervision.complaints.support import (
    HANDLERS,
    department_in,
    file,
    step,
)

LICANG = "370213000000"  # 李沧区
SHIBEI = "370203000000"  # 市北区
BYPASS = Scope.bypass("test: read complaints")


async def follow(database, code: str) -> queries.PublicComplaint | None:
    async with database.session(queries.FOLLOW_SCOPE, read_only=True) as session:
        return await queries.follow_complaint(session=session, tracking_code=code)


# --- the public view ---


async def test_the_public_view_shows_the_progress_and_the_reply_never_the_complainant(database):
    department = await department_in(database, LICANG)
    receipt = await file(
        database,
        about=ComplaintAbout.OFFICER,
        department_code=department.code,
        officer="王伟",
        content="王伟索要好处费，我的电话 13912345678",
        complainant=filing.Complainant("李四", "13912345678"),
    )
    await step(database, service.accept_complaint, receipt.complaint_id, note="内部：约谈王伟")
    await step(
        database,
        service.reply_complaint,
        receipt.complaint_id,
        reply="已联系您（13912345678，身份证 370213198001011234），经查属实，已处理。",
    )

    view = await follow(database, receipt.tracking_code.lower())

    assert view.status is ComplaintStatus.REPLIED
    assert view.department_name == department.name
    assert [(s.step, s.note is None) for s in view.steps] == [
        ("SUBMIT", True),
        ("ACCEPT", True),
        ("REPLY", False),
    ]
    assert view.reply == "已联系您（139****5678，身份证 3702**********1234），经查属实，已处理。"
    shown = repr(view)
    for secret in ("李四", "13912345678", "370213198001011234", "王伟", "好处费", "内部"):
        assert secret not in shown


async def test_a_wrong_code_shows_nothing(database):
    assert await follow(database, filing.new_tracking_code()) is None
    assert await follow(database, "' OR 1=1 --") is None


async def test_handlers_see_the_contact_only_where_they_may_handle(database):
    department = await department_in(database, LICANG)
    receipt = await file(
        database,
        department_code=department.code,
        complainant=filing.Complainant("欧阳娜娜", "13912345678"),
    )
    for reveal, name, phone in (
        (HANDLERS, "欧阳娜娜", "13912345678"),
        (Scope.of([SHIBEI]), "欧阳**", "139****5678"),
    ):
        async with database.session(BYPASS, read_only=True) as session:
            record = await queries.get_complaint(
                session=session, complaint_id=receipt.complaint_id, scope=BYPASS, reveal=reveal
            )
        assert (record.complainant_name, record.complainant_phone) == (name, phone)
