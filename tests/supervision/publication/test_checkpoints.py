"""Signed checkpoints of the ledger and proofs of published results, checked offline.

Facts go through report_events and are committed (a checkpoint signs what is in the
database); the keys are the app's own (`services.ledger_keys`), so every checkpoint of
the shared test database extends the one before, whichever test made it.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from supervision import credit_code
from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.models import LedgerEntry
from supervision.cases.reports import EventReport
from supervision.catalogue.models import Power, PowerStatus
from supervision.organisation import Department
from supervision.publication import checkpoints, signing
from supervision.publication.merkle import ProofError, verify_consistency
from supervision.publication.verify import verify_proof
from tenancy.scope import Scope
from tests import databases

SHINAN = "370202000000"  # 市南区
HONG_KONG_ROAD = "370202001000"  # 香港中路街道, a town of 市南区: the same chain
REPORTER = "test-record-system"
# results decided long before those other tests publish, so they never crowd their pages
LONG_AGO = datetime(2024, 1, 15, 18, tzinfo=TZ)
ALL = Scope.bypass("test: the verifiable record")
PERSON = {
    "applicant_name": "欧阳娜娜",
    "applicant_id_number": "370202199001011234",
    "applicant_phone": "13812345678",
}
COMPANY = {
    "applicant_name": "青岛海鸥贸易有限公司",
    "applicant_credit_code": credit_code.make(division6="370202", serial=7, kind="91"),
    "applicant_phone": "13900001111",
}


@pytest.fixture(scope="module")
async def home(database) -> dict:
    async with database.session(Scope.bypass("test: pick a power")) as session:
        row = (
            await session.execute(
                select(Power.code, Department.code)
                .join(Department, Department.id == Power.department_id)
                .where(Power.status == PowerStatus.PUBLISHED, Power.division_code == SHINAN)
                .order_by(Power.id)
                .limit(1)
            )
        ).one()
    return {"power_code": row[0], "department_code": row[1], "division_code": SHINAN}


@pytest.fixture
def keys(services) -> signing.LedgerKeys:
    return services.ledger_keys


@pytest.fixture
def fresh_process():
    """The leaf hashes cached in this process are forgotten, before and after."""
    checkpoints._trees.clear()
    yield
    checkpoints._trees.clear()


def _fact(home: dict, case: str, action: str, hours_before: float, **fields) -> EventReport:
    return EventReport(
        event_id=f"t-{uuid.uuid4().hex}",
        case_number=case,
        action=action,
        occurred_at=LONG_AGO - timedelta(hours=hours_before),
        **home,
        **fields,
    )


async def record(database, reports: list[EventReport]) -> None:
    async with database.session(ALL) as session:
        results = await report_events(
            session=session, reports=reports, reporter=REPORTER, scope=ALL
        )
        assert {r.status for r in results} == {"ACCEPTED"}, results
        await session.commit()


async def decided(database, home: dict, *, publish: bool = True, applicant=PERSON) -> str:
    """A case accepted, approved with an opinion and (by default) published; its number."""
    number = f"T-record-{uuid.uuid4().hex[:12]}"
    reports = [
        _fact(home, number, "ACCEPT", 30, officer="王磊", **applicant),
        _fact(
            home, number, "APPROVE", 20, officer="王磊", opinion="材料齐全，准予许可", **applicant
        ),
    ]
    if publish:
        reports.append(_fact(home, number, "PUBLISH", 10))
    await record(database, reports)
    return number


async def sign_all(database, keys) -> list:
    return await checkpoints.checkpoint_all(database=database, keys=keys, now=datetime.now(UTC))


async def proof_of(database, keys, number: str) -> dict | None:
    async with database.session(ALL, read_only=True) as session:
        proof = await checkpoints.result_proof(session=session, keys=keys, case_number=number)
    return json.loads(checkpoints.proof_json(proof)) if proof is not None else None


async def published_proof(database, home, keys, **kwargs) -> tuple[str, dict]:
    number = await decided(database, home, **kwargs)
    await sign_all(database, keys)
    return number, await proof_of(database, keys, number)


def flipped(hex_text: str) -> str:
    """The hex text with its first digit changed."""
    return ("1" if hex_text[0] == "0" else "0") + hex_text[1:]


def fields_of(entry: dict) -> dict[str, dict]:
    return {f["name"]: f for f in entry["fields"]}


async def test_a_published_results_proof_verifies_offline(database, home, keys):
    number, proof = await published_proof(database, home, keys)
    verified = verify_proof(proof, public_key=keys.public)
    assert verified.pinned
    assert verified.case_number == number
    assert verified.chain == SHINAN
    assert [f.shown["action"] for f in verified.facts] == ["APPROVE", "PUBLISH"]
    assert all(f.shown["caseNumber"] == number for f in verified.facts)
    assert verified.summary().startswith(f"verified: case {number}: APPROVE at ")
    # the public key the proof carries checks too (unpinned)
    assert not verify_proof(proof).pinned


async def test_the_proof_shows_no_personal_data_nor_the_opinion(database, home, keys):
    _, proof = await published_proof(database, home, keys)
    text_of_proof = json.dumps(proof, ensure_ascii=False)
    for secret in ("欧阳", "娜娜", "370202199001011234", "13812345678", "王磊", "准予许可"):
        assert secret not in text_of_proof
    approve = fields_of(proof["entries"][0])
    hidden = {name for name, f in approve.items() if f["salt"] is None}
    assert {"applicant.name", "applicant.idNumber", "applicant.phone", "officer", "opinion"} <= (
        hidden
    )
    assert all(approve[name]["value"] is None and approve[name]["digest"] for name in hidden)
    shown = {name for name, f in approve.items() if f["salt"] is not None}
    assert shown == {
        "action",
        "caseNumber",
        "departmentCode",
        "divisionCode",
        "occurredAt",
        "powerCode",
    }


async def test_a_companys_name_and_credit_code_are_shown(database, home, keys):
    _, proof = await published_proof(database, home, keys, applicant=COMPANY)
    approve = fields_of(proof["entries"][0])
    assert approve["applicant.name"]["value"] == "青岛海鸥贸易有限公司"
    assert approve["applicant.creditCode"]["value"] == COMPANY["applicant_credit_code"]
    assert approve["applicant.phone"]["salt"] is None
    verify_proof(proof, public_key=keys.public)


async def test_altering_any_shown_field_of_the_fact_makes_it_fail(database, home, keys):
    _, proof = await published_proof(database, home, keys)
    for e, entry in enumerate(proof["entries"]):
        for f, field in enumerate(entry["fields"]):
            if field["salt"] is None:
                continue
            altered = copy.deepcopy(proof)
            value = field["value"]
            altered["entries"][e]["fields"][f]["value"] = (
                "REJECT" if value == "APPROVE" else f"{value}x"
            )
            with pytest.raises(ProofError):
                verify_proof(altered, public_key=keys.public)


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda p: p["entries"][0]["fields"].pop(), id="field-dropped"),
        pytest.param(
            lambda p: p["entries"][0]["fields"][0].update(salt="00" * 32), id="salt-changed"
        ),
        pytest.param(
            lambda p: next(f for f in p["entries"][0]["fields"] if f["digest"]).update(
                digest="11" * 32
            ),
            id="hidden-digest-changed",
        ),
        pytest.param(
            lambda p: next(f for f in p["entries"][0]["fields"] if f["digest"]).update(
                value="张三", digest=None, salt="22" * 32
            ),
            id="hidden-field-forged",
        ),
        pytest.param(
            lambda p: p["entries"][0]["auditPath"].__setitem__(
                0, flipped(p["entries"][0]["auditPath"][0])
            ),
            id="path-hash-changed",
        ),
        pytest.param(lambda p: p["entries"][0]["auditPath"].pop(), id="path-shortened"),
        pytest.param(lambda p: p["entries"][0].update(seq=1, leafIndex=0), id="leaf-moved"),
        pytest.param(lambda p: p["checkpoint"].update(rootHash="00" * 32), id="root-changed"),
        pytest.param(
            lambda p: p["checkpoint"].update(treeSize=p["checkpoint"]["treeSize"] + 1),
            id="size-changed",
        ),
        pytest.param(
            lambda p: p["checkpoint"].update(signature=flipped(p["checkpoint"]["signature"])),
            id="signature-changed",
        ),
        pytest.param(
            lambda p: p["checkpoint"].update(signedAt="2020-01-01T00:00:00+00:00"),
            id="signed-at-changed",
        ),
        pytest.param(lambda p: p.update(caseNumber="T-someone-else"), id="case-changed"),
        pytest.param(lambda p: p.update(entries=[]), id="no-fact"),
    ],
)
async def test_altering_the_proof_makes_it_fail(database, home, keys, alter):
    _, proof = await published_proof(database, home, keys)
    alter(proof)
    with pytest.raises(ProofError):
        verify_proof(proof, public_key=keys.public)


async def test_a_checkpoint_re_signed_with_another_key_fails_against_the_pinned_one(
    database, home, keys
):
    _, proof = await published_proof(database, home, keys)
    other = signing.LedgerKeys(
        signing=signing.load_signing_key(signing.new_signing_key_pem()), blinding=keys.blinding
    )
    c = proof["checkpoint"]
    message = signing.checkpoint_message(
        chain=c["chain"],
        tree_size=c["treeSize"],
        root_hash=c["rootHash"],
        signed_at=datetime.fromisoformat(c["signedAt"]),
    )
    c.update(signature=signing.sign(other, message), keyId=other.key_id)
    c.update(publicKey=other.public_base64)
    verify_proof(proof)  # consistent on its own: only pinning the key catches it
    with pytest.raises(ProofError, match="another key"):
        verify_proof(proof, public_key=keys.public)


async def test_a_later_checkpoint_still_proves_earlier_facts_and_extends_the_first(
    database, home, keys
):
    first_number, first_proof = await published_proof(database, home, keys)
    first = first_proof["checkpoint"]
    await decided(database, home)  # more facts on the chain
    made = await sign_all(database, keys)
    assert SHINAN in {c.chain for c in made}
    again = await proof_of(database, keys, first_number)
    second = again["checkpoint"]
    assert second["treeSize"] > first["treeSize"]
    assert [e["seq"] for e in again["entries"]] == [e["seq"] for e in first_proof["entries"]]
    verify_proof(again, public_key=keys.public)
    verify_proof(first_proof, public_key=keys.public)  # the older proof holds still
    async with database.session(ALL, read_only=True) as session:
        path = await checkpoints.consistency_proof(
            session=session,
            keys=keys,
            division_code=HONG_KONG_ROAD,
            first=first["treeSize"],
            second=second["treeSize"],
        )
    verify_consistency(
        first=first["treeSize"],
        second=second["treeSize"],
        first_root=bytes.fromhex(first["rootHash"]),
        second_root=bytes.fromhex(second["rootHash"]),
        path=[bytes.fromhex(h) for h in path],
    )


async def test_nothing_is_signed_again_while_a_chain_does_not_grow(database, home, keys):
    await decided(database, home)
    await sign_all(database, keys)
    assert await sign_all(database, keys) == []


async def test_a_checkpoint_is_signed_as_its_text_says(database, home, keys):
    await decided(database, home)
    [made] = [c for c in await sign_all(database, keys) if c.chain == SHINAN]
    assert made.key_id == keys.key_id
    assert made.signed_at.microsecond == 0
    message = signing.checkpoint_message(
        chain=SHINAN, tree_size=made.tree_size, root_hash=made.root_hash, signed_at=made.signed_at
    )
    assert message.decode().splitlines() == [
        "yangguang-checkpoint/1",
        f"chain {SHINAN}",
        f"tree-size {made.tree_size}",
        f"root-hash {made.root_hash}",
        f"signed-at {made.signed_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
    ]
    assert signing.signature_holds(keys.public, message, made.signature)


async def test_unpublished_or_unknown_cases_have_no_proof(database, home, keys):
    unpublished = await decided(database, home, publish=False)
    await sign_all(database, keys)
    assert await proof_of(database, keys, unpublished) is None
    assert await proof_of(database, keys, "T-record-no-such-case") is None


async def test_a_result_newer_than_the_latest_checkpoint_is_not_yet_checkpointed(
    database, home, keys
):
    number = await decided(database, home)
    with pytest.raises(checkpoints.NotYetCheckpointed):
        await proof_of(database, keys, number)


async def test_a_publication_newer_than_the_checkpoint_waits_for_the_next_one(database, home, keys):
    number = await decided(database, home, publish=False)
    await sign_all(database, keys)
    await record(database, [_fact(home, number, "PUBLISH", 5)])
    with pytest.raises(checkpoints.NotYetCheckpointed):
        await proof_of(database, keys, number)
    await sign_all(database, keys)
    proof = await proof_of(database, keys, number)
    assert [fields_of(e)["action"]["value"] for e in proof["entries"]] == ["APPROVE", "PUBLISH"]


async def test_a_chain_whose_leaves_no_longer_give_the_signed_root_is_not_signed(
    database, home, keys, fresh_process
):
    await decided(database, home)
    await sign_all(database, keys)
    await decided(database, home)
    # the same signing key, another blinding key: as if the facts had been rewritten
    other = signing.LedgerKeys(signing=keys.signing, blinding=b"\x07" * 32)
    async with database.session(ALL) as session:
        with pytest.raises(checkpoints.LedgerRewritten):
            await checkpoints.create_checkpoint(
                session=session, chain=SHINAN, keys=other, now=datetime.now(UTC)
            )
        await session.rollback()


@pytest.mark.skipif(
    databases.on_postgres(), reason="SQLite only: PostgreSQL refuses UPDATE on the ledger"
)
async def test_a_fact_rewritten_in_the_database_fails_offline_and_is_never_signed(
    database, home, keys, fresh_process
):
    number, proof = await published_proof(database, home, keys)
    seq = proof["entries"][0]["seq"]
    async with database.session(ALL) as session:
        entry = await session.scalar(
            select(LedgerEntry).where(LedgerEntry.chain == SHINAN, LedgerEntry.seq == seq)
        )
        forged = json.loads(entry.body) | {"action": "REJECT"}
        await session.execute(
            text("UPDATE ledger SET body = :body WHERE id = :id"),
            {"body": json.dumps(forged, ensure_ascii=False), "id": entry.id},
        )
        # this process still holds the leaves as signed: the proof shows the forged fact
        # and fails offline
        served = await checkpoints.result_proof(session=session, keys=keys, case_number=number)
        served = json.loads(checkpoints.proof_json(served))
        assert fields_of(served["entries"][0])["action"]["value"] == "REJECT"
        with pytest.raises(ProofError):
            verify_proof(served, public_key=keys.public)
        # a process reading the chain afresh finds it no longer gives the signed root
        checkpoints._trees.clear()
        with pytest.raises(checkpoints.LedgerRewritten):
            await checkpoints.result_proof(session=session, keys=keys, case_number=number)
        await session.rollback()
