"""Filing complaints: tracking codes, the due date, what filing checks, and routing.

Real dates; complaints are filed about departments of 李沧区, where these tests report
their own cases.
"""

from __future__ import annotations

from datetime import UTC

import pytest

from supervision.complaints import filing, service
from supervision.complaints.models import Complaint, ComplaintAbout, ComplaintStatus
from tenancy.scope import Scope
from tests.supervision.complaints.support import (
    beijing,
    decided_case,
    department_in,
    file,
)

LICANG = "370213000000"  # 李沧区
SHIBEI = "370203000000"  # 市北区
BYPASS = Scope.bypass("test: read complaints")


async def complaint_row(database, complaint_id: int) -> Complaint:
    async with database.session(BYPASS, read_only=True) as session:
        return await session.get(Complaint, complaint_id)


async def refused(database, **given) -> service.ComplaintError:
    with pytest.raises(service.ComplaintError) as caught:
        await file(database, **given)
    return caught.value


# --- tracking codes ---


def test_a_tracking_code_is_16_unambiguous_characters_in_groups_of_four():
    code = filing.new_tracking_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert set("".join(groups)) <= set(filing.ALPHABET)
    assert not set("01ILO") & set(filing.ALPHABET)


def test_tracking_codes_do_not_repeat():
    assert len({filing.new_tracking_code() for _ in range(5000)}) == 5000


def test_a_tracking_code_is_read_as_typed_in_any_case_with_or_without_dashes():
    code = filing.new_tracking_code()
    assert filing.normal_tracking_code(code.lower().replace("-", " ")) == code
    assert filing.normal_tracking_code(code.replace("-", "")) == code
    assert filing.normal_tracking_code(code[:-1]) is None
    assert filing.normal_tracking_code(code[:-1] + "0") is None  # not in the alphabet
    assert filing.normal_tracking_code("") is None


# --- filing ---


async def test_a_complaint_falls_due_after_15_working_days_across_the_holiday(database):
    department = await department_in(database, LICANG)
    filed = beijing(2025, 9, 26, 16)  # a Friday before the National Day holiday
    receipt = await file(database, department_code=department.code, now=filed)
    # 9-28 (make-up Sunday), 9-29, 9-30, 10-9, 10-10, 10-11 (make-up Saturday), 10-13 … 10-17,
    # 10-20 … 10-23: the 15th working day is 10-23
    assert receipt.due_at.astimezone(beijing(2025, 1, 1).tzinfo).date().isoformat() == "2025-10-23"
    assert receipt.due_at == beijing(2025, 10, 23, 23, 59, 59, 999999).astimezone(UTC)


async def test_an_anonymous_complaint_about_a_department_goes_to_its_division(database):
    department = await department_in(database, LICANG)
    receipt = await file(database, department_code=f" {department.code} ")

    row = await complaint_row(database, receipt.complaint_id)
    assert (row.division_code, row.department_code, row.status) == (
        LICANG,
        department.code,
        ComplaintStatus.RECEIVED,
    )
    assert (row.named, row.complainant, row.tracking_code) == (False, {}, receipt.tracking_code)


async def test_a_named_complaint_keeps_the_contact_privately(database):
    department = await department_in(database, LICANG)
    receipt = await file(
        database,
        department_code=department.code,
        complainant=filing.Complainant(" 李四 ", "139 1234 5678"),
    )
    row = await complaint_row(database, receipt.complaint_id)
    assert (row.named, row.complainant) == (True, {"name": "李四", "phone": "13912345678"})


async def test_a_complaint_about_an_officer_names_the_department_and_the_officer(database):
    department = await department_in(database, LICANG)
    receipt = await file(
        database,
        about=ComplaintAbout.OFFICER,
        department_code=department.code,
        officer=" 工号 0371 ",
    )
    row = await complaint_row(database, receipt.complaint_id)
    assert (row.about, row.officer, row.division_code) == (
        ComplaintAbout.OFFICER,
        "工号 0371",
        LICANG,
    )


async def test_a_complaint_about_a_published_result_goes_to_its_case_and_department(database):
    case = await decided_case(database, LICANG, publish=True)
    receipt = await file(database, about=ComplaintAbout.CASE, case_number=case["number"])
    row = await complaint_row(database, receipt.complaint_id)
    assert (row.case_number, row.division_code, row.department_code) == (
        case["number"],
        case["division_code"],
        case["department_code"],
    )


async def test_naming_another_department_for_a_published_result_is_refused(database):
    case = await decided_case(database, LICANG, publish=True)
    other = await department_in(database, SHIBEI)
    error = await refused(
        database, about=ComplaintAbout.CASE, case_number=case["number"], department_code=other.code
    )
    assert (error.code, error.field) == ("DEPARTMENT_MISMATCH", "departmentCode")


async def test_whether_an_unpublished_case_exists_is_never_told(database):
    unpublished = await decided_case(database, LICANG, publish=False)
    department = await department_in(database, SHIBEI)
    answers = []
    for number in (unpublished["number"], "NO-SUCH-CASE-0001"):
        error = await refused(database, about=ComplaintAbout.CASE, case_number=number)
        answers.append((error.code, str(error)))
        # with a department named, both are filed alike, to that department
        receipt = await file(
            database, about=ComplaintAbout.CASE, case_number=number, department_code=department.code
        )
        row = await complaint_row(database, receipt.complaint_id)
        assert (row.division_code, row.department_code) == (SHIBEI, department.code)
    assert answers[0] == answers[1]
    assert answers[0][0] == "DEPARTMENT_REQUIRED"


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"content": "   "}, "CONTENT_REQUIRED", "content"),
        ({"content": "长" * 2001}, "TOO_LONG", "content"),
        ({"department_code": "12370200MB0000000X"}, "UNKNOWN_DEPARTMENT", "departmentCode"),
        ({"department_code": None}, "DEPARTMENT_REQUIRED", "departmentCode"),
        ({"about": ComplaintAbout.CASE}, "CASE_REQUIRED", "caseNumber"),
        ({"about": ComplaintAbout.OFFICER}, "OFFICER_REQUIRED", "officer"),
        (
            {"complainant": filing.Complainant("李四", "12345")},
            "INVALID_PHONE",
            "complainant.phone",
        ),
        (
            {"complainant": filing.Complainant("", "13912345678")},
            "NAME_REQUIRED",
            "complainant.name",
        ),
        ({"complainant": filing.Complainant("李四", " ")}, "PHONE_REQUIRED", "complainant.phone"),
    ],
)
async def test_bad_input_is_refused_with_a_code_and_the_field(database, given, code, field):
    department = await department_in(database, LICANG)
    error = await refused(database, **{"department_code": department.code, **given})
    assert (error.code, error.field) == (code, field)


async def test_a_landline_with_its_area_code_is_a_phone(database):
    department = await department_in(database, LICANG)
    receipt = await file(
        database,
        department_code=department.code,
        complainant=filing.Complainant("李四", "0532-88886666"),
    )
    assert (await complaint_row(database, receipt.complaint_id)).complainant["phone"] == (
        "0532-88886666"
    )
