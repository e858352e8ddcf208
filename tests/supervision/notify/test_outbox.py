"""The outbox: a warning raised by a report queues a text to the officer in charge and a
post to each webhook covering it, in the reporting transaction."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from supervision.notify.models import Channel, DeliveryStatus, Webhook
from supervision.notify.outbox import kind_name, record_warnings, sms_text
from supervision.rules import handling
from supervision.rules.models import Warning
from supervision.rules.worker import escalate_due
from tenancy.scope import Scope, scope_of
from tests.supervision.notify.support import (
    ALL,
    APPLICANT,
    CITY,
    HUANGDAO,
    SHIBEI,
    SHINAN,
    add_webhook,
    deactivate,
    licensing_home,
    notifications_about,
    officer_of,
    report_late_case,
    webhook_targets,
)

NOW = datetime.now(UTC)


async def test_a_late_decision_texts_the_officer_in_charge(database):
    home = await licensing_home(database, SHINAN)
    staff_number, phone = await officer_of(database, home["department_code"])

    case = await report_late_case(database, home, officer=staff_number)

    texts = [n for n in await notifications_about(database, case) if n.channel == Channel.SMS]
    assert texts, "no text was queued"
    assert {n.target for n in texts} == {phone}
    assert all(n.status == DeliveryStatus.PENDING and n.attempts == 0 for n in texts)
    overdue = [n.payload["text"] for n in texts if "超期" in n.payload["text"]]
    assert overdue == [f"【阳光监察】您经办的办件{case}触发红色预警（超期），请及时核查处理。"]


async def test_the_text_carries_no_applicant_data(database):
    home = await licensing_home(database, SHINAN)
    staff_number, _ = await officer_of(database, home["department_code"])

    case = await report_late_case(database, home, officer=staff_number)

    for notification in await notifications_about(database, case):
        written = str(notification.payload)
        for value in APPLICANT.values():
            assert value not in written
        assert "欧阳" not in written


async def test_nobody_is_texted_when_the_officer_is_unknown(database):
    home = await licensing_home(database, SHINAN)

    named = await report_late_case(database, home, officer="王伟")  # a name, not a staff number
    anonymous = await report_late_case(database, home, officer=None)

    for case in (named, anonymous):
        rows = await notifications_about(database, case)
        assert [n for n in rows if n.channel == Channel.SMS] == []


async def test_a_webhook_receives_only_warnings_of_its_own_subtree(database):
    home = await licensing_home(database, SHINAN)
    city = await add_webhook(database, CITY, "https://city.example/hook")
    shinan = await add_webhook(database, SHINAN, "https://shinan.example/hook")
    shibei = await add_webhook(database, SHIBEI, "https://shibei.example/hook")
    town = await add_webhook(database, "370202001000", "https://town.example/hook")
    other_topic = await add_webhook(
        database, SHINAN, "https://escalations.example/hook", topics=["warning.escalated"]
    )
    try:
        case = await report_late_case(database, home, officer=None)
    finally:
        await deactivate(database, city, shinan, shibei, town, other_topic)

    rows = await notifications_about(database, case)
    assert webhook_targets(rows) == {city.id, shinan.id}
    posted = [n for n in rows if n.channel == Channel.WEBHOOK and n.payload["kind"] == "OVERDUE"]
    assert len(posted) == 2
    assert posted[0].payload["level"] == "RED"
    assert posted[0].payload["divisionCode"] == SHINAN
    assert posted[0].topic == "warning.raised"


async def test_a_district_system_reaches_the_city_webhook_above_it(database):
    # the reporter sees only its district; the city's webhook is still told
    home = await licensing_home(database, HUANGDAO)
    staff_number, phone = await officer_of(database, home["department_code"])
    city = await add_webhook(database, CITY, "https://city-above.example/hook")
    try:
        case = await report_late_case(
            database, home, officer=staff_number, scope=Scope.of([HUANGDAO])
        )
    finally:
        await deactivate(database, city)

    rows = await notifications_about(database, case)
    assert city.id in webhook_targets(rows)
    assert phone in {n.target for n in rows if n.channel == Channel.SMS}


async def test_a_deactivated_webhook_is_not_queued(database):
    home = await licensing_home(database, SHINAN)
    webhook = await add_webhook(database, SHINAN, "https://stopped.example/hook")
    await deactivate(database, webhook)

    case = await report_late_case(database, home, officer=None)

    assert webhook.id not in webhook_targets(await notifications_about(database, case))


def test_texts_for_later_topics():
    warning = {"case_number": "C-1", "kind": "OVERDUE", "level": "RED", "status": "DISMISSED"}
    assert sms_text("warning.escalated", warning) == (
        "【阳光监察】办件C-1的超期预警未及时处理，已升级为红色预警，请尽快处理。"
    )
    assert sms_text("warning.handled", warning) == "【阳光监察】办件C-1的超期预警已排除。"
    assert kind_name("A_CUSTOM_KIND") == "A_CUSTOM_KIND"


async def test_the_reporters_scope_is_whole_again_afterwards(database):
    city = await add_webhook(database, CITY, "https://city-scope.example/hook")
    district = Scope.of([HUANGDAO])
    try:
        async with database.session(district) as session:
            warning = {
                "id": 1,
                "case_number": "TN-scope",
                "division_code": HUANGDAO,
                "kind": "OVERDUE",
                "level": "RED",
                "officer": None,
                "raised_at": None,
            }
            assert await record_warnings(session=session, warnings=[warning], now=NOW) >= 1
            assert scope_of(session.sync_session) == district
            seen = await session.scalars(select(Webhook.division_code))
            assert all(code.startswith("370211") for code in seen)
            if database.is_postgres:
                setting = await session.scalar(text("SELECT current_setting('yangguang.scope')"))
                assert setting == district.as_setting()
            await session.rollback()
    finally:
        await deactivate(database, city)


async def test_an_officer_of_another_department_is_never_texted(database):
    # a business system of 市南区 names the staff number of an officer of 市北区
    home = await licensing_home(database, SHINAN)
    elsewhere = await licensing_home(database, SHIBEI)
    stranger, _ = await officer_of(database, elsewhere["department_code"])

    case = await report_late_case(database, home, officer=stranger)

    rows = await notifications_about(database, case)
    assert [n for n in rows if n.channel == Channel.SMS] == []


async def test_a_handling_step_and_an_escalation_reach_the_webhooks_that_asked(database):
    home = await licensing_home(database, SHINAN)
    hook = await add_webhook(
        database, SHINAN, "https://steps.example/hook", ("warning.handled", "warning.escalated")
    )
    try:
        case = await report_late_case(database, home, officer=None)
        async with database.session(ALL) as session:
            ids = list(await session.scalars(select(Warning.id).where(Warning.case_number == case)))
            await handling.confirm_warning(
                session=session, warning_id=ids[0], actor="inspector-1", scope=ALL
            )
            # the others are left open long enough to rise
            await session.execute(
                Warning.__table__.update()
                .where(Warning.id.in_(ids[1:]))
                .values(escalate_at=NOW - timedelta(minutes=1))
            )
            await session.commit()
        await escalate_due(database=database, now=NOW, division_code=SHINAN)
        rows = [n for n in await notifications_about(database, case) if n.target == str(hook.id)]
        assert {n.topic for n in rows} == {"warning.handled", "warning.escalated"}
        assert not any(n.topic == "warning.raised" for n in rows)  # it did not ask for those
    finally:
        await deactivate(database, hook)
