"""`yangguang verify` checks a proof offline; `yangguang proof` writes what resultProof
answers; `yangguang checkpoint` signs the chains that grew."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.cli import main
from supervision.cases.clock import TZ
from supervision.cases.ingest import report_events
from supervision.cases.reports import EventReport
from supervision.publication import checkpoints
from tenancy.scope import Scope
from tests.schema.cases.support import find_power
from tests.schema.publication.test_record import RESULT_PROOF

SHINAN = "370202000000"
ALL = Scope.bypass("test: the record's commands")
REPO = Path(__file__).resolve().parents[2]
# results decided long before those other tests publish, so they never crowd their pages
LONG_AGO = datetime(2024, 1, 17, 8, tzinfo=TZ)


def run(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def no_settings_env() -> dict[str, str]:
    """No YANGGUANG_ variable but a broken one: reading settings at all would fail."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env["YANGGUANG_ENV"] = "not-an-environment"
    env["PYTHONPATH"] = str(REPO)
    return env


async def published(database) -> str:
    home = await find_power(database, division_code=SHINAN)
    number = f"T-cli-{uuid.uuid4().hex[:12]}"
    reports = [
        EventReport(
            event_id=f"t-{uuid.uuid4().hex}",
            case_number=number,
            power_code=home["powerCode"],
            division_code=SHINAN,
            department_code=home["departmentCode"],
            action=action,
            occurred_at=LONG_AGO + timedelta(hours=10 * i),
            applicant_name="诸葛明",
            applicant_id_number="370202197001017777",
        )
        for i, action in enumerate(["ACCEPT", "APPROVE", "PUBLISH"])
    ]
    async with database.session(ALL) as session:
        results = await report_events(session=session, reports=reports, reporter="t", scope=ALL)
        assert {r.status for r in results} == {"ACCEPTED"}
        await session.commit()
    return number


@pytest.fixture
async def proof_file(database, services, tmp_path) -> tuple[Path, Path]:
    """A published result's proof and the server's public key, saved to files."""
    number = await published(database)
    keys = services.ledger_keys
    await checkpoints.checkpoint_all(database=database, keys=keys, now=datetime.now(UTC))
    async with database.session(ALL, read_only=True) as session:
        proof = await checkpoints.result_proof(session=session, keys=keys, case_number=number)
    path, key = tmp_path / "proof.json", tmp_path / "ledger.pem"
    path.write_text(checkpoints.proof_json(proof))
    key.write_text(keys.public_pem)
    return path, key


async def test_verify_answers_verified_in_one_line(proof_file, capsys):
    path, key = proof_file
    main(["verify", str(path), "--public-key", str(key)])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("verified: case T-cli-")
    assert "APPROVE at" in out[0] and "PUBLISH at" in out[0] and "(pinned key)" in out[0]


async def test_verify_says_what_failed_when_the_fact_was_altered(proof_file, capsys):
    path, key = proof_file
    proof = json.loads(path.read_text())
    for field in proof["entries"][0]["fields"]:
        if field["name"] == "occurredAt":
            field["value"] = "2020-01-01T00:00:00+00:00"
    path.write_text(json.dumps(proof))
    with pytest.raises(SystemExit) as exit_:
        main(["verify", str(path), "--public-key", str(key)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("NOT verified: entry ")
    assert "not the one the checkpoint signed" in err


async def test_verify_needs_no_settings_database_or_network(proof_file, tmp_path):
    path, key = proof_file
    env = no_settings_env()
    result = await asyncio.to_thread(
        run, "verify", str(path), "--public-key", str(key), env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("verified: ")
    assert not (tmp_path / ".yangguang").exists()  # not even a dev key was made

    proof = json.loads(path.read_text())
    proof["checkpoint"]["signature"] = "00" * 64
    path.write_text(json.dumps(proof))
    result = await asyncio.to_thread(
        run, "verify", str(path), "--trust-embedded-key", env=env, cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.startswith("NOT verified: the checkpoint's signature does not hold")


async def test_an_unreadable_proof_or_key_is_refused_in_one_line(proof_file, tmp_path, capsys):
    path, _ = proof_file
    not_json = tmp_path / "not.json"
    not_json.write_text("{")
    not_a_key = tmp_path / "not.pem"
    not_a_key.write_text("hello")
    for args in (
        ["verify", str(tmp_path / "missing.json")],
        ["verify", str(not_json)],
        ["verify", str(path), "--public-key", str(not_a_key)],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("yangguang: ")


async def test_proof_writes_what_result_proof_answers(database, database_url, services, gql):
    number = await published(database)
    await checkpoints.checkpoint_all(
        database=database, keys=services.ledger_keys, now=datetime.now(UTC)
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env["YANGGUANG_DATABASE_URL"] = database_url
    # the same working directory as this process: the same dev keys (.yangguang/)
    result = await asyncio.to_thread(run, "proof", number, env=env, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    answered = (await gql(RESULT_PROOF, {"caseNumber": number}))["data"]["resultProof"]
    assert json.loads(result.stdout) == answered

    result = await asyncio.to_thread(run, "proof", "T-cli-no-such", env=env, cwd=Path.cwd())
    assert result.returncode == 1
    assert result.stderr.strip() == "yangguang: no published result numbered 'T-cli-no-such'"


async def test_checkpoint_signs_each_chain_that_grew_once(database, database_url):
    await published(database)
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env["YANGGUANG_DATABASE_URL"] = database_url
    first = await asyncio.to_thread(run, "checkpoint", env=env, cwd=Path.cwd())
    assert first.returncode == 0, first.stderr
    assert f"checkpoint: chain {SHINAN}, " in first.stdout
    again = await asyncio.to_thread(run, "checkpoint", env=env, cwd=Path.cwd())
    assert again.stdout == "checkpoint: no chain grew since its last checkpoint\n"


@pytest.mark.parametrize("command", [["serve"], ["checkpoint"], ["proof", "X"]])
async def test_prod_without_the_records_keys_is_refused_in_one_line(command, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env |= {
        "YANGGUANG_ENV": "prod",
        "YANGGUANG_JWT_PUBLIC_KEY": pem,
        "YANGGUANG_DATABASE_URL": f"sqlite:///{tmp_path / 'y.db'}",
        "PYTHONPATH": str(REPO),
    }
    result = await asyncio.to_thread(run, *command, env=env, cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("yangguang: YANGGUANG_ENV=prod needs ")
    assert "YANGGUANG_LEDGER_SIGNING_KEY" in lines[0]


async def test_verify_wants_a_pinned_key_or_says_it_trusts_the_proofs_own(proof_file, tmp_path):
    path, _ = proof_file
    result = await asyncio.to_thread(run, "verify", str(path), env=no_settings_env(), cwd=tmp_path)
    assert result.returncode == 2
    assert "--public-key" in result.stderr and result.stdout == ""
    trusted = await asyncio.to_thread(
        run, "verify", str(path), "--trust-embedded-key", env=no_settings_env(), cwd=tmp_path
    )
    assert trusted.returncode == 0, trusted.stderr
