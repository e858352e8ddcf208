"""Catalogue mutations: create, revise, publish, suspend, cancel, split and merge powers.

Every test makes its own powers, with codes whose main item (9000 and up) no demo
power uses, so the tests never depend on what else the catalogue holds.
"""

import itertools
from typing import NamedTuple
from unittest.mock import ANY
from uuid import uuid4

import pytest
from sqlalchemy import select

from supervision import credit_code
from supervision.catalogue import codes
from supervision.catalogue.spec import Category
from supervision.organisation import Department
from tenancy.scope import Scope

POWER_FIELDS = """
fragment PowerFields on Power {
  id code version name category status changeKind changeNote relatedCodes divisionCode
  conditions
  materials { name required }
  legalBasis { law article }
  fees { name minAmount maxAmount basis }
  discretionStandards { circumstance minAmount maxAmount basis }
  statutoryLimit { value unit }
  promisedLimit { value unit }
  onTheSpot createdBy effectiveFrom effectiveTo
  department { code }
  division { code }
}
"""

# The procedure and the risk points, read through their own DataLoaders.
PROCEDURE_FIELDS = """
fragment ProcedureFields on Power {
  nodes { position name post limit keyData }
  riskPoints { type level description measure node }
}
"""

CREATE_POWER = (
    """
mutation($code: String!, $input: PowerInput!) {
  createPower(code: $code, input: $input) {
    __typename
    ... on PowerPayload { power { ...PowerFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
)

REVISE_POWER = (
    """
mutation($code: String!, $input: PowerInput!, $note: String! = "") {
  revisePower(code: $code, input: $input, note: $note) {
    __typename
    ... on PowerPayload { power { ...PowerFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
)

PUBLISH_POWER = (
    """
mutation($code: String!) {
  publishPower(code: $code) {
    __typename
    ... on PowerPayload { power { ...PowerFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
)

SUSPEND_POWER = (
    """
mutation($code: String!, $reason: String!) {
  suspendPower(code: $code, reason: $reason) {
    __typename
    ... on PowerPayload { power { ...PowerFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
)

CANCEL_POWER = (
    """
mutation($code: String!, $reason: String!) {
  cancelPower(code: $code, reason: $reason) {
    __typename
    ... on PowerPayload { power { ...PowerFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
)

SPLIT_POWER = (
    """
mutation($code: String!, $into: [NewPowerInput!]!, $note: String! = "") {
  splitPower(code: $code, into: $into, note: $note) {
    __typename
    ... on PowersPayload { powers { ...PowerFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
)

MERGE_POWERS = (
    """
mutation($codes: [String!]!, $into: NewPowerInput!, $note: String! = "") {
  mergePowers(codes: $codes, into: $into, note: $note) {
    __typename
    ... on PowerPayload { power { ...PowerFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
)

CREATE_POWER_IN_FULL = (
    """
mutation($code: String!, $input: PowerInput!) {
  createPower(code: $code, input: $input) {
    __typename
    ... on PowerPayload { power { ...PowerFields ...ProcedureFields } }
    ... on UserError { code message field }
  }
}
"""
    + POWER_FIELDS
    + PROCEDURE_FIELDS
)

POWER_IN_FULL = (
    """
query($code: String!) {
  power(code: $code) { ...PowerFields ...ProcedureFields }
}
"""
    + POWER_FIELDS
    + PROCEDURE_FIELDS
)

POWER = (
    """
query($code: String!, $version: Int) {
  power(code: $code, version: $version) { ...PowerFields }
}
"""
    + POWER_FIELDS
)

POWER_HISTORY = (
    """
query($code: String!) {
  powerHistory(code: $code) { ...PowerFields }
}
"""
    + POWER_FIELDS
)

GRANT_ROLE = """
mutation($input: GrantRoleInput!) {
  grantRole(input: $input) {
    __typename
    ... on UserError { code message }
  }
}
"""

ADMIN = "demo-admin"  # admin at the city 370200000000
CATALOGUE = "demo-catalogue"  # catalogue_admin at the city 370200000000
INSPECTOR = "demo-inspector"  # inspector at 市南区 370202000000

CITY = "370200000000"
SHINAN = "370202000000"  # 市南区
SHIBEI = "370203000000"  # 市北区
XIANGGANG_ROAD = "370202001000"  # 香港中路街道, in 市南区

# Main item numbers no demo power uses (the demo numbers its items from 1);
# 9000-9499 here, 9500 and up in test_power_queries.
_mains = itertools.count(9000)


class Dept(NamedTuple):
    code: str  # the credit code
    division_code: str


@pytest.fixture(scope="module")
async def departments(database) -> dict[str, Dept]:
    """Departments of the demo city this module makes its powers for."""
    wanted = {
        "city": ("market_regulation", CITY),
        "shinan": ("market_regulation", SHINAN),
        "shinan_health": ("health", SHINAN),
        "shibei": ("market_regulation", SHIBEI),
        "town": ("town_enforcement", XIANGGANG_ROAD),
    }
    found = {}
    async with database.session(Scope.bypass("test")) as session:
        for key, (kind, division_code) in wanted.items():
            code = await session.scalar(
                select(Department.code).where(
                    Department.kind == kind, Department.division_code == division_code
                )
            )
            assert code is not None, (kind, division_code)
            found[key] = Dept(code, division_code)
    return found


def new_code(dept: Dept, category: Category = Category.LICENSING) -> str:
    """A well-formed code no other power has."""
    return codes.make(
        category=category,
        main=next(_mains),
        sub=1,
        division_code=dept.division_code,
        department_code=dept.code,
    )


def new_name(what: str = "测试许可事项") -> str:
    return f"{what}{uuid4().hex[:8]}"


def power_input(dept: Dept, **overrides) -> dict:
    """A small, valid PowerInput for the department."""
    values = {
        "name": new_name(),
        "category": "LICENSING",
        "departmentCode": dept.code,
        "legalBasis": [{"law": "《中华人民共和国行政许可法》", "article": "第二十九条"}],
        "statutoryLimit": {"value": 20, "unit": "WORKING_DAY"},
        "promisedLimit": {"value": 10, "unit": "WORKING_DAY"},
    }
    values.update(overrides)
    return values


FULL_INPUT = {
    "conditions": ["申请人具有完全民事行为能力", "有与经营相适应的场所"],
    "materials": [
        {"name": "申请书", "required": True},
        {"name": "场所使用证明", "required": False},
    ],
    "legalBasis": [
        {"law": "《中华人民共和国食品安全法》", "article": "第三十五条"},
        {"law": "《食品经营许可和备案管理办法》", "article": "第十条"},
    ],
    "statutoryLimit": {"value": 20, "unit": "WORKING_DAY"},
    "promisedLimit": {"value": 10, "unit": "WORKING_DAY"},
    "nodes": [
        {"name": "受理", "post": "窗口受理岗", "limit": 1, "keyData": ["受理时间", "受理人"]},
        {"name": "审查", "post": "审核岗", "limit": 6, "keyData": []},
        {"name": "决定", "post": "分管领导", "limit": 3, "keyData": ["决定文书号"]},
    ],
    "fees": [
        {
            "name": "工本费",
            "minAmount": "10.50",
            "maxAmount": "10.50",
            "basis": "鲁价费发〔2020〕1号",
        },
        {"name": "检测费", "minAmount": "0", "maxAmount": "200", "basis": ""},
    ],
    "onTheSpot": False,
    "riskPoints": [
        {
            "type": "TIME",
            "level": "HIGH",
            "description": "超期办理",
            "measure": "系统自动预警",
            "node": "审查",
        },
        {
            "type": "AUTHORITY",
            "level": "MEDIUM",
            "description": "越权审批",
            "measure": "分级审批",
            "node": None,
        },
    ],
}


async def create(gql, code: str, input: dict, as_: str | None = CATALOGUE) -> dict:
    body = await gql(CREATE_POWER, {"code": code, "input": input}, as_=as_)
    assert "errors" not in body, body["errors"]
    return body["data"]["createPower"]


async def created(gql, dept: Dept, category: Category = Category.LICENSING, **overrides) -> str:
    """The code of a new draft power of the department."""
    code = new_code(dept, category)
    result = await create(gql, code, power_input(dept, category=category.value, **overrides))
    assert result["__typename"] == "PowerPayload", result
    return code


async def change(gql, mutation: str, variables: dict, as_: str | None = CATALOGUE) -> dict:
    body = await gql(mutation, variables, as_=as_)
    assert "errors" not in body, body["errors"]
    (result,) = body["data"].values()
    return result


async def publish(gql, code: str) -> dict:
    return await change(gql, PUBLISH_POWER, {"code": code})


async def published(gql, dept: Dept, **overrides) -> str:
    """The code of a new power of the department, published (version 1)."""
    code = await created(gql, dept, **overrides)
    result = await publish(gql, code)
    assert result["__typename"] == "PowerPayload", result
    return code


async def power(gql, code: str, as_: str | None = None, version: int | None = None):
    body = await gql(POWER, {"code": code, "version": version}, as_=as_)
    assert "errors" not in body, body["errors"]
    return body["data"]["power"]


async def history(gql, code: str, as_: str | None = CATALOGUE) -> list[dict]:
    body = await gql(POWER_HISTORY, {"code": code}, as_=as_)
    assert "errors" not in body, body["errors"]
    return body["data"]["powerHistory"]


async def grant_catalogue_admin(gql, division_code: str) -> str:
    subject = f"t-{uuid4().hex[:8]}"
    body = await gql(
        GRANT_ROLE,
        {"input": {"subject": subject, "role": "CATALOGUE_ADMIN", "divisionCode": division_code}},
        as_=ADMIN,
    )
    assert body["data"]["grantRole"]["__typename"] == "GrantRolePayload", body
    return subject


def assert_refused(result: dict, typename: str, code: str, field: str | None = None) -> None:
    assert result["__typename"] == typename, result
    assert result["code"] == code, result
    assert result["message"]
    if field is not None:
        assert result["field"] == field, result


# --- createPower ---------------------------------------------------------------------------


async def test_creating_a_power_gives_a_draft_version_1_saying_what_was_sent(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)
    name = new_name("食品经营许可")

    body = await gql(
        CREATE_POWER_IN_FULL,
        {"code": code, "input": power_input(dept, name=name, **FULL_INPUT)},
        as_=CATALOGUE,
    )

    assert "errors" not in body, body["errors"]
    result = body["data"]["createPower"]
    assert result["__typename"] == "PowerPayload", result
    got = result["power"]
    assert got["code"] == code
    assert got["version"] == 1
    assert got["status"] == "DRAFT"
    assert got["changeKind"] == "ADD"
    assert got["relatedCodes"] == []
    assert got["name"] == name
    assert got["category"] == "LICENSING"
    assert got["divisionCode"] == SHINAN
    assert got["department"] == {"code": dept.code}
    assert got["division"] == {"code": SHINAN}
    assert got["createdBy"] == CATALOGUE
    assert got["effectiveFrom"] is None and got["effectiveTo"] is None
    assert got["conditions"] == FULL_INPUT["conditions"]
    assert got["materials"] == FULL_INPUT["materials"]
    assert got["legalBasis"] == FULL_INPUT["legalBasis"]
    assert got["statutoryLimit"] == FULL_INPUT["statutoryLimit"]
    assert got["promisedLimit"] == FULL_INPUT["promisedLimit"]
    assert got["onTheSpot"] is False
    assert got["fees"] == FULL_INPUT["fees"]
    assert got["discretionStandards"] == []
    assert got["nodes"] == [{"position": i, **node} for i, node in enumerate(FULL_INPUT["nodes"])]
    assert got["riskPoints"] == FULL_INPUT["riskPoints"]
    # What was stored reads back the same.
    stored = await gql(POWER_IN_FULL, {"code": code}, as_=CATALOGUE)
    assert stored == {"data": {"power": got}, "extensions": {"cost": ANY}}


async def test_a_penalty_power_keeps_its_discretion_standards(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept, Category.PENALTY)
    standards = [
        {
            "circumstance": "初次违法且危害后果轻微",
            "minAmount": "0",
            "maxAmount": "5000",
            "basis": "首违不罚",
        },
        {"circumstance": "多次违法", "minAmount": "5000.00", "maxAmount": "50000", "basis": ""},
    ]

    result = await create(
        gql,
        code,
        power_input(
            dept,
            category="PENALTY",
            legalBasis=[{"law": "《中华人民共和国食品安全法》", "article": "第一百二十二条"}],
            discretionStandards=standards,
        ),
    )

    assert result["__typename"] == "PowerPayload", result
    assert result["power"]["category"] == "PENALTY"
    assert result["power"]["discretionStandards"] == standards


async def test_creating_a_power_with_a_code_in_use_answers_duplicate_code(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)
    first = await create(gql, code, power_input(dept))
    assert first["__typename"] == "PowerPayload"

    again = await create(gql, code, power_input(dept, name=new_name()))

    assert_refused(again, "DuplicateCode", "DUPLICATE_CODE", "code")
    assert (await power(gql, code, as_=CATALOGUE))["name"] == first["power"]["name"]


async def test_a_malformed_code_answers_invalid_code(gql, departments):
    dept = departments["shinan"]

    result = await create(gql, "01-not-a-power-code", power_input(dept))

    assert_refused(result, "InvalidCode", "INVALID_CODE", "code")


async def test_a_code_naming_another_department_answers_invalid_code(gql, departments):
    # The code's implementing body is 市南区's 卫生健康局, the input's the 市场监督管理局.
    code = new_code(departments["shinan_health"])

    result = await create(gql, code, power_input(departments["shinan"]))

    assert_refused(result, "InvalidCode", "INVALID_CODE", "code")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_a_code_whose_category_digits_disagree_answers_invalid_code(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept, Category.PENALTY)  # basic code starts 02

    result = await create(gql, code, power_input(dept, category="LICENSING"))

    assert_refused(result, "InvalidCode", "INVALID_CODE", "code")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_a_code_whose_credit_code_checksum_is_wrong_answers_invalid_code(gql, departments):
    dept = departments["shinan"]
    good = new_code(dept)
    wrong_check = next(c for c in "0123456789" if c != good[41])
    code = good[:41] + wrong_check
    assert not credit_code.is_valid(code[24:42])

    result = await create(gql, code, power_input(dept))

    assert_refused(result, "InvalidCode", "INVALID_CODE", "code")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_a_code_whose_division_is_not_the_departments_answers_invalid_code(gql, departments):
    dept = departments["shinan"]
    code = new_code(Dept(dept.code, XIANGGANG_ROAD))

    result = await create(gql, code, power_input(dept))

    assert_refused(result, "InvalidCode", "INVALID_CODE", "code")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_a_promised_limit_above_the_statutory_one_answers_invalid_limit(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)

    result = await create(
        gql,
        code,
        power_input(
            dept,
            statutoryLimit={"value": 10, "unit": "WORKING_DAY"},
            promisedLimit={"value": 15, "unit": "WORKING_DAY"},
        ),
    )

    assert_refused(result, "InvalidLimit", "INVALID_LIMIT", "promisedLimit")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_node_limits_adding_up_to_more_than_the_promise_answer_invalid_limit(
    gql, departments
):
    dept = departments["shinan"]
    code = new_code(dept)
    nodes = [
        {"name": "受理", "post": "窗口受理岗", "limit": 4},
        {"name": "审查", "post": "审核岗", "limit": 4},
        {"name": "决定", "post": "分管领导", "limit": 3},
    ]  # 11 days against a promise of 10

    result = await create(gql, code, power_input(dept, nodes=nodes))

    assert_refused(result, "InvalidLimit", "INVALID_LIMIT", "nodes")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_an_on_the_spot_item_promising_days_answers_invalid_limit(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)

    result = await create(
        gql,
        code,
        power_input(
            dept,
            onTheSpot=True,
            statutoryLimit={"value": 5, "unit": "WORKING_DAY"},
            promisedLimit={"value": 1, "unit": "WORKING_DAY"},
        ),
    )

    assert_refused(result, "InvalidLimit", "INVALID_LIMIT", "promisedLimit")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_an_on_the_spot_item_promising_0_days_is_created(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)

    result = await create(
        gql,
        code,
        power_input(
            dept,
            onTheSpot=True,
            statutoryLimit={"value": 0, "unit": "WORKING_DAY"},
            promisedLimit={"value": 0, "unit": "WORKING_DAY"},
        ),
    )

    assert result["__typename"] == "PowerPayload", result
    assert result["power"]["onTheSpot"] is True


async def test_a_valid_but_unknown_credit_code_answers_unknown_department(gql, departments):
    # Well-formed, checksum right, in 市南区; no demo department has so high a serial.
    unknown = Dept(credit_code.make(division6=SHINAN[:6], serial=99_990_001), SHINAN)
    code = new_code(unknown)

    result = await create(gql, code, power_input(unknown))

    assert_refused(result, "UnknownDepartment", "UNKNOWN_DEPARTMENT", "departmentCode")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_discretion_standards_on_a_non_penalty_item_answer_invalid_input(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)
    standards = [{"circumstance": "情节轻微", "minAmount": "0", "maxAmount": "100"}]

    result = await create(gql, code, power_input(dept, discretionStandards=standards))

    # The field is named as the schema names it (PowerInput.discretionStandards).
    assert_refused(result, "InvalidInput", "INVALID_DISCRETION", "discretionStandards")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_an_inspector_may_not_create_a_power(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)

    result = await create(gql, code, power_input(dept), as_=INSPECTOR)

    assert_refused(result, "NotPermitted", "NOT_PERMITTED")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_an_anonymous_caller_may_not_create_a_power(gql, departments):
    dept = departments["shinan"]
    code = new_code(dept)

    result = await create(gql, code, power_input(dept), as_=None)

    assert_refused(result, "NotPermitted", "NOT_PERMITTED")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_a_catalogue_admin_of_another_district_may_not_create_a_power(gql, departments):
    shibei_admin = await grant_catalogue_admin(gql, SHIBEI)
    dept = departments["shinan"]
    code = new_code(dept)

    result = await create(gql, code, power_input(dept), as_=shibei_admin)

    assert_refused(result, "NotPermitted", "NOT_PERMITTED")
    assert await power(gql, code, as_=CATALOGUE) is None


async def test_a_district_catalogue_admin_creates_powers_of_its_towns(gql, departments):
    shinan_admin = await grant_catalogue_admin(gql, SHINAN)
    dept = departments["town"]
    code = new_code(dept)

    result = await create(gql, code, power_input(dept), as_=shinan_admin)

    assert result["__typename"] == "PowerPayload", result
    assert result["power"]["divisionCode"] == XIANGGANG_ROAD
    assert result["power"]["createdBy"] == shinan_admin


async def test_a_district_catalogue_admin_may_not_create_a_city_power(gql, departments):
    shinan_admin = await grant_catalogue_admin(gql, SHINAN)
    dept = departments["city"]
    code = new_code(dept)

    result = await create(gql, code, power_input(dept), as_=shinan_admin)

    assert_refused(result, "NotPermitted", "NOT_PERMITTED")
    assert await power(gql, code, as_=CATALOGUE) is None


# --- revisePower and publishPower ----------------------------------------------------------


async def test_revising_a_draft_writes_draft_version_2(gql, departments):
    dept = departments["shinan"]
    code = await created(gql, dept)
    name = new_name("变更后的事项")

    result = await change(
        gql, REVISE_POWER, {"code": code, "input": power_input(dept, name=name), "note": "改名"}
    )

    assert result["__typename"] == "PowerPayload", result
    assert result["power"]["version"] == 2
    assert result["power"]["status"] == "DRAFT"
    assert result["power"]["changeKind"] == "CHANGE"
    assert result["power"]["changeNote"] == "改名"
    assert result["power"]["name"] == name
    # An unpublished power shows its latest draft to those who see drafts.
    assert (await power(gql, code, as_=CATALOGUE))["version"] == 2
    assert [v["version"] for v in await history(gql, code)] == [1, 2]


async def test_revising_a_published_power_keeps_version_1_in_force_until_published(
    gql, departments
):
    dept = departments["shinan"]
    code = await published(gql, dept)
    old = await power(gql, code)
    name = new_name("变更后的事项")

    revised = await change(gql, REVISE_POWER, {"code": code, "input": power_input(dept, name=name)})

    assert revised["__typename"] == "PowerPayload", revised
    assert (revised["power"]["version"], revised["power"]["status"]) == (2, "DRAFT")
    # The public still sees version 1, and cannot read the draft.
    assert await power(gql, code) == old
    assert old["version"] == 1 and old["status"] == "PUBLISHED"
    assert await power(gql, code, version=2) is None
    assert [v["version"] for v in await history(gql, code, as_=None)] == [1]
    # So do those who may read drafts, unless they ask for version 2.
    assert (await power(gql, code, as_=CATALOGUE))["version"] == 1
    assert (await power(gql, code, as_=CATALOGUE, version=2))["name"] == name


async def test_publishing_a_revision_closes_the_period_of_the_version_it_replaces(gql, departments):
    dept = departments["shinan"]
    code = await published(gql, dept)
    name = new_name("变更后的事项")
    await change(gql, REVISE_POWER, {"code": code, "input": power_input(dept, name=name)})

    result = await publish(gql, code)

    assert result["__typename"] == "PowerPayload", result
    assert (result["power"]["version"], result["power"]["status"]) == (2, "PUBLISHED")
    current = await power(gql, code)
    assert (current["version"], current["name"]) == (2, name)
    v1, v2 = await history(gql, code, as_=None)
    assert (v1["version"], v1["status"]) == (1, "PUBLISHED")
    assert (v2["version"], v2["status"]) == (2, "PUBLISHED")
    assert v1["effectiveFrom"] is not None
    assert v1["effectiveTo"] == v2["effectiveFrom"] is not None
    assert v1["effectiveFrom"] <= v2["effectiveFrom"]
    assert v2["effectiveTo"] is None


async def test_publishing_a_power_with_nothing_to_publish_answers_wrong_state(gql, departments):
    code = await published(gql, departments["shinan"])

    result = await publish(gql, code)

    assert_refused(result, "WrongState", "WRONG_STATE")
    assert [v["version"] for v in await history(gql, code)] == [1]


async def test_a_revision_is_checked_like_a_new_power(gql, departments):
    dept = departments["shinan"]
    code = await created(gql, dept)

    result = await change(
        gql,
        REVISE_POWER,
        {
            "code": code,
            "input": power_input(dept, promisedLimit={"value": 30, "unit": "WORKING_DAY"}),
        },
    )

    assert_refused(result, "InvalidLimit", "INVALID_LIMIT", "promisedLimit")
    assert [v["version"] for v in await history(gql, code)] == [1]


# --- suspendPower --------------------------------------------------------------------------


async def test_suspending_a_published_power_hides_it_from_the_public(gql, departments):
    code = await published(gql, departments["shinan"])

    result = await change(gql, SUSPEND_POWER, {"code": code, "reason": "上位法修订"})

    assert result["__typename"] == "PowerPayload", result
    got = result["power"]
    assert (got["version"], got["status"], got["changeKind"]) == (2, "SUSPENDED", "SUSPEND")
    assert got["changeNote"] == "上位法修订"
    assert await power(gql, code) is None
    assert (await power(gql, code, as_=CATALOGUE))["status"] == "SUSPENDED"


async def test_suspending_a_draft_answers_wrong_state(gql, departments):
    code = await created(gql, departments["shinan"])

    result = await change(gql, SUSPEND_POWER, {"code": code, "reason": "暂停"})

    assert_refused(result, "WrongState", "WRONG_STATE")
    assert [v["status"] for v in await history(gql, code)] == ["DRAFT"]


async def test_suspending_a_suspended_power_answers_wrong_state(gql, departments):
    code = await published(gql, departments["shinan"])
    await change(gql, SUSPEND_POWER, {"code": code, "reason": "暂停"})

    result = await change(gql, SUSPEND_POWER, {"code": code, "reason": "再次暂停"})

    assert_refused(result, "WrongState", "WRONG_STATE")


async def test_publishing_a_suspended_power_resumes_it_as_a_new_version(gql, departments):
    code = await published(gql, departments["shinan"])
    await change(gql, SUSPEND_POWER, {"code": code, "reason": "暂停"})

    result = await publish(gql, code)

    assert result["__typename"] == "PowerPayload", result
    got = result["power"]
    assert (got["version"], got["status"], got["changeKind"]) == (3, "PUBLISHED", "CHANGE")
    current = await power(gql, code)
    assert (current["version"], current["status"]) == (3, "PUBLISHED")
    statuses = [(v["version"], v["status"]) for v in await history(gql, code)]
    assert statuses == [(1, "PUBLISHED"), (2, "SUSPENDED"), (3, "PUBLISHED")]


# --- cancelPower ---------------------------------------------------------------------------


async def test_cancelling_a_published_power_writes_a_cancelled_version(gql, departments):
    code = await published(gql, departments["shinan"])

    result = await change(gql, CANCEL_POWER, {"code": code, "reason": "机构改革"})

    assert result["__typename"] == "PowerPayload", result
    got = result["power"]
    assert (got["version"], got["status"], got["changeKind"]) == (2, "CANCELLED", "CANCEL")
    assert got["changeNote"] == "机构改革"
    assert await power(gql, code) is None


async def test_cancelling_a_draft_is_allowed(gql, departments):
    code = await created(gql, departments["shinan"])

    result = await change(gql, CANCEL_POWER, {"code": code, "reason": "不再实施"})

    assert result["__typename"] == "PowerPayload", result
    assert result["power"]["status"] == "CANCELLED"


async def test_a_cancelled_power_can_be_neither_revised_nor_published(gql, departments):
    dept = departments["shinan"]
    code = await published(gql, dept)
    await change(gql, CANCEL_POWER, {"code": code, "reason": "机构改革"})

    revised = await change(gql, REVISE_POWER, {"code": code, "input": power_input(dept)})
    republished = await publish(gql, code)
    suspended = await change(gql, SUSPEND_POWER, {"code": code, "reason": "暂停"})
    cancelled = await change(gql, CANCEL_POWER, {"code": code, "reason": "再次取消"})

    for result in (revised, republished, suspended, cancelled):
        assert_refused(result, "WrongState", "WRONG_STATE")
    assert [v["status"] for v in await history(gql, code)] == ["PUBLISHED", "CANCELLED"]


# --- splitPower and mergePowers ------------------------------------------------------------


def new_power(dept: Dept, **overrides) -> dict:
    return {"code": new_code(dept), "power": power_input(dept, **overrides)}


async def test_splitting_a_power_cancels_it_and_adds_drafts_related_to_it(gql, departments):
    dept = departments["shinan"]
    source = await published(gql, dept)
    into = [new_power(dept), new_power(departments["shinan_health"])]
    new_codes = [item["code"] for item in into]

    result = await change(gql, SPLIT_POWER, {"code": source, "into": into, "note": "一分为二"})

    assert result["__typename"] == "PowersPayload", result
    made = result["powers"]
    assert [p["code"] for p in made] == new_codes
    for got, item in zip(made, into, strict=True):
        assert (got["version"], got["status"], got["changeKind"]) == (1, "DRAFT", "SPLIT")
        assert got["relatedCodes"] == [source]
        assert got["name"] == item["power"]["name"]
    *_, last = await history(gql, source)
    assert (last["status"], last["changeKind"]) == ("CANCELLED", "SPLIT")
    assert last["relatedCodes"] == new_codes
    assert await power(gql, source) is None
    for code in new_codes:
        assert (await power(gql, code, as_=CATALOGUE))["status"] == "DRAFT"


async def test_splitting_into_one_power_answers_invalid_input(gql, departments):
    dept = departments["shinan"]
    source = await published(gql, dept)
    into = [new_power(dept)]

    result = await change(gql, SPLIT_POWER, {"code": source, "into": into})

    assert_refused(result, "InvalidInput", "INVALID_INPUT", "into")
    assert (await power(gql, source))["status"] == "PUBLISHED"
    assert await power(gql, into[0]["code"], as_=CATALOGUE) is None


async def test_a_refused_split_changes_nothing(gql, departments):
    dept = departments["shinan"]
    source = await published(gql, dept)
    into = [new_power(dept), new_power(dept, promisedLimit={"value": 99, "unit": "WORKING_DAY"})]

    result = await change(gql, SPLIT_POWER, {"code": source, "into": into})

    assert_refused(result, "InvalidLimit", "INVALID_LIMIT", "promisedLimit")
    assert [v["status"] for v in await history(gql, source)] == ["PUBLISHED"]
    assert await power(gql, into[0]["code"], as_=CATALOGUE) is None


async def test_merging_powers_cancels_them_and_adds_a_draft_related_to_them(gql, departments):
    dept = departments["shinan"]
    sources = [await published(gql, dept), await created(gql, dept)]
    into = new_power(dept, name=new_name("合并后的事项"))

    result = await change(gql, MERGE_POWERS, {"codes": sources, "into": into, "note": "合二为一"})

    assert result["__typename"] == "PowerPayload", result
    got = result["power"]
    assert got["code"] == into["code"]
    assert (got["version"], got["status"], got["changeKind"]) == (1, "DRAFT", "MERGE")
    assert got["relatedCodes"] == sources
    assert got["name"] == into["power"]["name"]
    for source in sources:
        *_, last = await history(gql, source)
        assert (last["status"], last["changeKind"]) == ("CANCELLED", "MERGE")
        assert last["relatedCodes"] == [into["code"]]
    assert await power(gql, sources[0]) is None


async def test_merging_a_single_power_answers_invalid_input(gql, departments):
    dept = departments["shinan"]
    source = await published(gql, dept)
    into = new_power(dept)

    result = await change(gql, MERGE_POWERS, {"codes": [source, source], "into": into})

    assert_refused(result, "InvalidInput", "INVALID_INPUT")
    assert (await power(gql, source))["status"] == "PUBLISHED"


async def test_merging_a_cancelled_power_answers_wrong_state(gql, departments):
    dept = departments["shinan"]
    cancelled = await created(gql, dept)
    await change(gql, CANCEL_POWER, {"code": cancelled, "reason": "取消"})
    other = await published(gql, dept)
    into = new_power(dept)

    result = await change(gql, MERGE_POWERS, {"codes": [other, cancelled], "into": into})

    assert_refused(result, "WrongState", "WRONG_STATE")
    assert (await power(gql, other))["status"] == "PUBLISHED"
    assert await power(gql, into["code"], as_=CATALOGUE) is None


# --- unknown codes -------------------------------------------------------------------------


@pytest.mark.parametrize("mutation", ["revise", "publish", "suspend", "cancel", "split", "merge"])
async def test_changing_an_unknown_power_answers_not_found(gql, departments, mutation):
    dept = departments["shinan"]
    unknown = new_code(dept)  # well-formed, never created
    existing = await created(gql, dept)
    operations = {
        "revise": (REVISE_POWER, {"code": unknown, "input": power_input(dept)}),
        "publish": (PUBLISH_POWER, {"code": unknown}),
        "suspend": (SUSPEND_POWER, {"code": unknown, "reason": "暂停"}),
        "cancel": (CANCEL_POWER, {"code": unknown, "reason": "取消"}),
        "split": (SPLIT_POWER, {"code": unknown, "into": [new_power(dept), new_power(dept)]}),
        "merge": (MERGE_POWERS, {"codes": [existing, unknown], "into": new_power(dept)}),
    }
    operation, variables = operations[mutation]

    result = await change(gql, operation, variables)

    assert_refused(result, "NotFound", "POWER_NOT_FOUND", "code")
    assert await power(gql, unknown, as_=CATALOGUE) is None
    assert [v["status"] for v in await history(gql, existing)] == ["DRAFT"]
