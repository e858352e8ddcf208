"""The verifiable record through the API: ledgerCheckpoint, ledgerPublicKey, resultProof and
ledgerConsistency, all anonymous; a proof answered here verifies offline as it is."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from supervision.cases.clock import TZ
from supervision.publication import checkpoints
from supervision.publication.merkle import ProofError, verify_consistency
from supervision.publication.signing import load_public_key
from supervision.publication.verify import verify_proof
from tests.schema.cases.support import (
    SHINAN,
    case_number,
    data,
    error_code,
    fact,
    find_power,
    report,
)

HONG_KONG_ROAD = "370202001000"  # a town of 市南区: its facts go to 市南区's chain
# results decided long before those other tests publish, so they never crowd their pages
LONG_AGO = datetime(2024, 1, 16, 18, tzinfo=TZ)

LEDGER_CHECKPOINT = """
query($divisionCode: String!, $treeSize: Int) {
  ledgerCheckpoint(divisionCode: $divisionCode, treeSize: $treeSize) {
    chain treeSize rootHash signedAt keyId signature publicKey
  }
}
"""

LEDGER_PUBLIC_KEY = """
query { ledgerPublicKey { keyId publicKey pem } }
"""

# the query the README gives: its answer, saved as-is, is what `yangguang verify` reads
RESULT_PROOF = """
query($caseNumber: String!) {
  resultProof(caseNumber: $caseNumber) {
    format caseNumber
    entries { chain seq leafIndex fields { name value salt digest } auditPath }
    checkpoint { chain treeSize rootHash signedAt keyId signature publicKey }
  }
}
"""

LEDGER_CONSISTENCY = """
query($divisionCode: String!, $fromSize: Int!, $toSize: Int!) {
  ledgerConsistency(divisionCode: $divisionCode, fromSize: $fromSize, toSize: $toSize) {
    chain fromSize toSize path
  }
}
"""

PERSON = {
    "applicant": {"name": "司马相如", "idNumber": "370202198807074321", "phone": "13698765432"}
}


@pytest.fixture(scope="module")
async def home(database) -> dict:
    return await find_power(database, division_code=SHINAN)


async def decide(gql, home: dict, *, publish: bool = True) -> str:
    """A case of 市南区 accepted, approved and (by default) published, through the API."""
    number = case_number("rec")
    events = [
        fact(home, number, "ACCEPT", LONG_AGO - timedelta(hours=30), **PERSON),
        fact(home, number, "APPROVE", LONG_AGO - timedelta(hours=20), **PERSON),
    ]
    if publish:
        events.append(fact(home, number, "PUBLISH", LONG_AGO - timedelta(hours=10)))
    await report(gql, events)
    return number


async def sign(services) -> list:
    return await checkpoints.checkpoint_all(
        database=services.database, keys=services.ledger_keys, now=datetime.now(UTC)
    )


async def test_anonymous_reads_the_latest_checkpoint_of_a_towns_chain(gql, home, services):
    await decide(gql, home)
    made = {c.chain: c for c in await sign(services)}
    body = await gql(LEDGER_CHECKPOINT, {"divisionCode": HONG_KONG_ROAD})
    checkpoint = data(body)["ledgerCheckpoint"]
    assert checkpoint["chain"] == SHINAN
    assert checkpoint["treeSize"] == made[SHINAN].tree_size
    assert checkpoint["rootHash"] == made[SHINAN].root_hash
    assert checkpoint["keyId"] == services.ledger_keys.key_id
    assert checkpoint["publicKey"] == services.ledger_keys.public_base64


async def test_a_checkpoint_of_an_earlier_size_is_found_by_its_size(gql, home, services):
    await decide(gql, home)
    [made] = [c for c in await sign(services) if c.chain == SHINAN]
    body = await gql(LEDGER_CHECKPOINT, {"divisionCode": SHINAN, "treeSize": made.tree_size})
    assert data(body)["ledgerCheckpoint"]["rootHash"] == made.root_hash
    body = await gql(LEDGER_CHECKPOINT, {"divisionCode": SHINAN, "treeSize": 10**9})
    assert data(body)["ledgerCheckpoint"] is None


async def test_the_public_key_is_the_one_checkpoints_are_signed_with(gql, services):
    key = data(await gql(LEDGER_PUBLIC_KEY))["ledgerPublicKey"]
    assert key["keyId"] == services.ledger_keys.key_id
    assert key["publicKey"] == services.ledger_keys.public_base64
    assert load_public_key(key["pem"]) == services.ledger_keys.public


async def test_a_published_results_proof_saved_as_answered_verifies_offline(
    gql, home, services, tmp_path
):
    number = await decide(gql, home)
    await sign(services)
    answer = await gql(RESULT_PROOF, {"caseNumber": number})
    proof = data(answer)["resultProof"]
    assert proof["caseNumber"] == number
    assert [e["chain"] for e in proof["entries"]] == [SHINAN, SHINAN]
    saved = tmp_path / "proof.json"
    saved.write_text(json.dumps(answer, ensure_ascii=False))
    pinned = load_public_key(data(await gql(LEDGER_PUBLIC_KEY))["ledgerPublicKey"]["pem"])
    verified = verify_proof(json.loads(saved.read_text()), public_key=pinned)
    assert [f.shown["action"] for f in verified.facts] == ["APPROVE", "PUBLISH"]
    text = saved.read_text()
    for secret in ("司马", "相如", "370202198807074321", "13698765432"):
        assert secret not in text


async def test_altering_the_recorded_fact_in_the_answer_makes_it_fail(gql, home, services):
    number = await decide(gql, home)
    await sign(services)
    answer = await gql(RESULT_PROOF, {"caseNumber": number})
    for field in answer["data"]["resultProof"]["entries"][0]["fields"]:
        if field["name"] == "action":
            field["value"] = "REJECT"
    with pytest.raises(ProofError):
        verify_proof(answer, public_key=services.ledger_keys.public)


async def test_an_unpublished_case_answers_exactly_as_an_unknown_one(gql, home, services):
    unpublished = await decide(gql, home, publish=False)
    await sign(services)
    hidden = await gql(RESULT_PROOF, {"caseNumber": unpublished})
    unknown = await gql(RESULT_PROOF, {"caseNumber": "T-no-such-case"})
    assert hidden == unknown
    assert hidden["data"] == {"resultProof": None} and "errors" not in hidden


async def test_a_result_newer_than_the_checkpoint_says_it_is_not_yet_checkpointed(
    gql, home, services
):
    number = await decide(gql, home)
    body = await gql(RESULT_PROOF, {"caseNumber": number})
    assert error_code(body) == "NOT_YET_CHECKPOINTED"


async def test_a_later_checkpoint_is_proved_to_extend_an_earlier_one(gql, home, services):
    await decide(gql, home)
    [first] = [c for c in await sign(services) if c.chain == SHINAN]
    await decide(gql, home)
    [second] = [c for c in await sign(services) if c.chain == SHINAN]
    variables = {
        "divisionCode": HONG_KONG_ROAD,
        "fromSize": first.tree_size,
        "toSize": second.tree_size,
    }
    proof = data(await gql(LEDGER_CONSISTENCY, variables))["ledgerConsistency"]
    assert (proof["chain"], proof["fromSize"], proof["toSize"]) == (
        SHINAN,
        first.tree_size,
        second.tree_size,
    )
    verify_consistency(
        first=first.tree_size,
        second=second.tree_size,
        first_root=bytes.fromhex(first.root_hash),
        second_root=bytes.fromhex(second.root_hash),
        path=[bytes.fromhex(h) for h in proof["path"]],
    )
    variables["fromSize"] = first.tree_size + 1  # not a checkpoint
    assert data(await gql(LEDGER_CONSISTENCY, variables))["ledgerConsistency"] is None


async def test_a_malformed_division_code_is_refused(gql):
    body = await gql(LEDGER_CHECKPOINT, {"divisionCode": "3702"})
    assert error_code(body) == "INVALID_DIVISION_CODE"
