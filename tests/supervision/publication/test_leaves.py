"""A ledger entry's leaf: every field committed on its own, shown or hidden in a proof."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from supervision import credit_code
from supervision.cases.ledger import canonical
from supervision.cases.reports import AttachmentReport, EventReport
from supervision.publication import leaves
from supervision.publication.merkle import ProofError

KEY = b"\x05" * 32
CHAIN = "370202000000"


def body(**fields) -> str:
    report = EventReport(
        event_id="e-1",
        case_number="C-1",
        power_code="P-1",
        division_code="370202001000",
        department_code="D-1",
        action="APPROVE",
        occurred_at=datetime(2026, 5, 6, 2, 0, tzinfo=UTC),
        officer="王磊",
        opinion="准予许可",
        applicant_name="张三",
        applicant_id_number="370202199001011234",
        applicant_phone="13812345678",
        key_data={"面积": "120"},
        attachments=(AttachmentReport(name="决定书.pdf", sha256="a" * 64, size=10),),
        **fields,
    )
    return canonical(report.body())


def leaf(text: str, seq: int = 7, chain: str = CHAIN, key: bytes = KEY) -> bytes:
    return leaves.entry_leaf(blinding=key, chain=chain, seq=seq, body=text)


@pytest.mark.parametrize("shown", [None, set(), {"opinion", "applicant.phone", "keyData"}])
def test_the_leaf_is_recomputed_from_any_disclosure(shown):
    text = body()
    fields = leaves.disclose(blinding=KEY, chain=CHAIN, seq=7, body=text, shown=shown)
    assert leaves.leaf_from_disclosure(chain=CHAIN, seq=7, fields=fields) == leaf(text)


def test_every_field_hidden_or_shown_is_bound_by_the_leaf():
    text = body()
    for name, value in json.loads(text).items():
        if name == "applicant":
            for inner in value:
                changed = json.loads(text)
                changed["applicant"][inner] = "x"
                assert leaf(canonical(changed)) != leaf(text), inner
            continue
        changed = json.loads(text) | {name: "x"}
        assert leaf(canonical(changed)) != leaf(text), name


def test_the_leaf_depends_on_its_place_and_the_blinding_key():
    text = body()
    assert len({leaf(text), leaf(text, seq=8), leaf(text, chain="370203000000")}) == 3
    assert leaf(text, key=b"\x06" * 32) != leaf(text)


def test_the_public_sees_who_decided_what_and_when_never_a_person():
    fields = leaves.committed_fields(json.loads(body()))
    assert leaves.public_fields(fields) == {
        "caseNumber",
        "powerCode",
        "divisionCode",
        "departmentCode",
        "action",
        "occurredAt",
    }


def test_a_company_with_a_well_formed_credit_code_is_shown_by_name_and_code():
    code = credit_code.make(division6="370202", serial=1, kind="91")
    company = leaves.committed_fields(
        json.loads(body(applicant_credit_code=code))
        | {"applicant": {"name": "某公司", "creditCode": code}}
    )
    assert {"applicant.name", "applicant.creditCode"} <= leaves.public_fields(company)
    wrong = company | {"applicant.creditCode": "NOT-A-CREDIT-CODE"}
    assert "applicant.name" not in leaves.public_fields(wrong)


def test_hidden_fields_carry_no_value_and_no_salt():
    fields = leaves.disclose(blinding=KEY, chain=CHAIN, seq=7, body=body())
    hidden = [f for f in fields if f["salt"] is None]
    assert {f["name"] for f in hidden} >= {"applicant.name", "applicant.idNumber", "opinion"}
    assert all(f["value"] is None and len(f["digest"]) == 64 for f in hidden)
    assert "张三" not in json.dumps(fields, ensure_ascii=False)


@pytest.mark.parametrize(
    "alter",
    [
        lambda fs: fs.append(dict(fs[0])),  # a field twice
        lambda fs: fs[0].update(name=""),
        lambda fs: fs[0].update(salt="zz"),
        lambda fs: next(f for f in fs if f["digest"]).update(digest="12"),
        lambda fs: next(f for f in fs if f["digest"]).update(value="张三"),  # a value, no salt
    ],
)
def test_a_malformed_disclosure_is_refused(alter):
    fields = leaves.disclose(blinding=KEY, chain=CHAIN, seq=7, body=body())
    alter(fields)
    with pytest.raises(ProofError):
        leaves.leaf_from_disclosure(chain=CHAIN, seq=7, fields=fields)


def test_a_body_naming_a_split_field_twice_is_refused():
    with pytest.raises(ValueError):
        leaves.committed_fields({"applicant": {"name": "a"}, "applicant.name": "b"})
