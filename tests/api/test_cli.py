"""The `yangguang` command, run as a subprocess the way an operator runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from api.auth import Principal, TokenVerifier
from api.settings import load
from policies.models import Grant
from tenancy.db import Database
from tenancy.scope import Scope


def base_env(database_file: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env["YANGGUANG_DATABASE_URL"] = f"sqlite:///{database_file}"
    return env


def cli(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_one_line_refusal(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("yangguang:")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return lines[0]


@pytest.fixture
def workdir(tmp_path) -> Path:
    return tmp_path


@pytest.fixture
def env(workdir) -> dict[str, str]:
    return base_env(workdir / "yangguang.db")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A working directory whose SQLite database was migrated and seeded by the CLI."""
    workdir = tmp_path_factory.mktemp("cli-demo")
    env = base_env(workdir / "demo.db")
    migrated = cli("migrate", cwd=workdir, env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip().splitlines()[-1] == "migrations: done"
    seeded = cli("seed", "--demo", "--cases", "40", cwd=workdir, env=env)
    assert seeded.returncode == 0, seeded.stderr
    summary = seeded.stdout.strip().splitlines()[-2:]
    assert summary[0].startswith("demo city: ")
    assert summary[1].startswith("demo cases: 40;")  # then what the demo did with them
    return workdir, env


def test_schema_prints_the_sdl(workdir, env):
    result = cli("schema", cwd=workdir, env=env)
    assert result.returncode == 0, result.stderr
    assert "type Query" in result.stdout
    assert "divisions(" in result.stdout


def test_seed_without_demo_exits_2(workdir, env):
    assert_one_line_refusal(cli("seed", cwd=workdir, env=env))
    assert not (workdir / "yangguang.db").exists()


async def test_token_prints_a_jwt_the_server_accepts_and_grants_the_role(demo_dir, monkeypatch):
    workdir, env = demo_dir
    result = cli(
        "token",
        "--sub",
        "x",
        "--role",
        "inspector",
        "--division",
        "370202000000",
        cwd=workdir,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert len(token.split(".")) == 3 and "\n" not in token
    # The dev secret lives in the working directory; read it from there as `serve` would.
    monkeypatch.chdir(workdir)
    assert TokenVerifier(load(env)).verify(token) == Principal("x", "PERSON")

    database = Database(env["YANGGUANG_DATABASE_URL"])
    try:
        async with database.session(Scope.bypass("test: cli grant")) as session:
            grants = (await session.scalars(select(Grant).where(Grant.subject == "x"))).all()
    finally:
        await database.dispose()
    assert [(g.role, g.division_code) for g in grants] == [("inspector", "370202000000")]


def test_token_is_refused_in_prod(workdir, env):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    prod = {**env, "YANGGUANG_ENV": "prod", "YANGGUANG_JWT_PUBLIC_KEY": pem}
    line = assert_one_line_refusal(cli("token", "--sub", "x", cwd=workdir, env=prod))
    assert "prod" in line
    assert not (workdir / "yangguang.db").exists()


def test_token_with_an_unknown_role_exits_2_with_one_line(demo_dir):
    workdir, env = demo_dir
    result = cli(
        "token",
        "--sub",
        "y",
        "--role",
        "emperor",
        "--division",
        "370202000000",
        cwd=workdir,
        env=env,
    )
    line = assert_one_line_refusal(result)
    assert "emperor" in line


def test_worker_once_runs_a_pass_and_a_second_raises_nothing_new(demo_dir):
    workdir, env = demo_dir
    first = cli("worker", "--once", cwd=workdir, env=env)
    assert first.returncode == 0, first.stderr
    said = re.fullmatch(
        r"worker: \d+ warnings raised, \d+ escalated, \d+ notifications sent, (\d+) chains signed",
        first.stdout.strip(),
    )
    assert said and int(said[1]) > 0  # the demo's chains are signed on the first pass
    again = cli("worker", "--once", cwd=workdir, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == (
        "worker: 0 warnings raised, 0 escalated, 0 notifications sent, 0 chains signed"
    )


@pytest.mark.parametrize(
    ("flag", "value", "said"), [("--interval", "0", "interval"), ("--division", "37", "division")]
)
def test_worker_refuses_a_wrong_option_in_one_line(workdir, env, flag, value, said):
    line = assert_one_line_refusal(cli("worker", flag, value, cwd=workdir, env=env))
    assert said in line
