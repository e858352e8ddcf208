"""Settings come from the environment; a wrong value fails in one line naming it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from api.settings import DEV_SECRET_FILE, SettingsError, load

SECRET = "s" * 40


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path, monkeypatch):
    """The dev secret file (.yangguang/dev-jwt-secret) is written here, not in the repo."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_are_dev_sqlite_and_no_redis():
    settings = load({})
    assert settings.env == "dev"
    assert not settings.is_prod
    assert settings.database_url == "sqlite:///yangguang.db"
    assert settings.redis_url is None
    assert settings.redis_prefix == "yangguang"
    assert settings.database_role == "yangguang_app"
    assert settings.jwt_audience == "yangguang"
    assert settings.jwt_issuer is None
    assert settings.jwt_public_key is None
    assert settings.jwks_url is None
    assert settings.policy_poll_seconds == 5.0


def test_dev_secret_is_generated_once_and_stable_across_loads(in_tmp_dir):
    first = load({}).jwt_secret
    second = load({}).jwt_secret
    assert first is not None and len(first.encode()) >= 32
    assert first == second
    secret_file = in_tmp_dir / DEV_SECRET_FILE
    assert secret_file.read_text().strip() == first
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_explicit_secret_wins_and_no_dev_secret_file_is_written(in_tmp_dir):
    assert load({"YANGGUANG_JWT_SECRET": SECRET}).jwt_secret == SECRET
    assert not (in_tmp_dir / DEV_SECRET_FILE).exists()


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        pytest.param({"YANGGUANG_ENV": "staging"}, "YANGGUANG_ENV", id="env-staging"),
        pytest.param(
            {"YANGGUANG_DATABASE_URL": "mysql://x/y"}, "YANGGUANG_DATABASE_URL", id="db-mysql"
        ),
        pytest.param(
            {"YANGGUANG_DATABASE_URL": "not a url"}, "YANGGUANG_DATABASE_URL", id="db-not-a-url"
        ),
        pytest.param({"YANGGUANG_REDIS_URL": "http://x"}, "YANGGUANG_REDIS_URL", id="redis-http"),
        pytest.param(
            {"YANGGUANG_JWT_SECRET": "too-short"}, "YANGGUANG_JWT_SECRET", id="secret-short"
        ),
        pytest.param(
            {"YANGGUANG_ENV": "prod"}, "YANGGUANG_JWT_PUBLIC_KEY", id="prod-without-public-key"
        ),
        pytest.param(
            {"YANGGUANG_JWT_PUBLIC_KEY": "garbage"},
            "YANGGUANG_JWT_PUBLIC_KEY",
            id="public-key-garbage",
        ),
        pytest.param(
            {"YANGGUANG_JWT_PUBLIC_KEY": "-----BEGIN PUBLIC KEY-----\ngarbage\n"},
            "YANGGUANG_JWT_PUBLIC_KEY",
            id="public-key-bad-pem",
        ),
        pytest.param(
            {"YANGGUANG_POLICY_POLL_SECONDS": "abc"},
            "YANGGUANG_POLICY_POLL_SECONDS",
            id="poll-not-a-number",
        ),
        pytest.param(
            {"YANGGUANG_POLICY_POLL_SECONDS": "0"}, "YANGGUANG_POLICY_POLL_SECONDS", id="poll-zero"
        ),
        pytest.param(
            {"YANGGUANG_POLICY_POLL_SECONDS": "nan"}, "YANGGUANG_POLICY_POLL_SECONDS", id="poll-nan"
        ),
        pytest.param(
            {"YANGGUANG_RATE_LIMIT_PER_MINUTE": "lots"},
            "YANGGUANG_RATE_LIMIT_PER_MINUTE",
            id="rate-limit-not-a-number",
        ),
        pytest.param(
            {"YANGGUANG_MAX_QUERY_COST": "-1"}, "YANGGUANG_MAX_QUERY_COST", id="cost-negative"
        ),
        pytest.param(
            {"YANGGUANG_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"},
            "YANGGUANG_TRUSTED_PROXIES",
            id="trusted-proxy-not-an-address",
        ),
    ],
)
def test_wrong_value_raises_one_line_settings_error_naming_the_variable(environ, variable):
    with pytest.raises(SettingsError) as error:
        load({"YANGGUANG_JWT_SECRET": SECRET, **environ})
    message = str(error.value)
    assert "\n" not in message
    assert variable in message


def test_prod_without_key_error_names_both_remedies():
    with pytest.raises(SettingsError) as error:
        load({"YANGGUANG_ENV": "prod", "YANGGUANG_JWT_SECRET": SECRET})
    message = str(error.value)
    assert "YANGGUANG_ENV" in message
    assert "YANGGUANG_JWT_PUBLIC_KEY" in message
    assert "YANGGUANG_JWKS_URL" in message


def test_cli_with_a_wrong_setting_exits_2_with_one_line_and_no_traceback(in_tmp_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("YANGGUANG_")}
    env["YANGGUANG_ENV"] = "staging"
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "migrate"],
        cwd=in_tmp_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("yangguang:")
    assert "YANGGUANG_ENV" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_portal_protection_defaults_and_values():
    defaults = load({"YANGGUANG_JWT_SECRET": SECRET})
    assert defaults.rate_limit_per_minute == 600
    assert defaults.rate_limit_authenticated_per_minute == 6000
    assert defaults.trusted_proxies == ()
    assert defaults.response_cache_seconds == 30
    assert defaults.public_max_age == 0
    assert defaults.max_query_cost == 10_000
    given = load(
        {
            "YANGGUANG_JWT_SECRET": SECRET,
            "YANGGUANG_RATE_LIMIT_PER_MINUTE": "0",
            "YANGGUANG_TRUSTED_PROXIES": "10.1.2.3, 172.16.0.0/12",
            "YANGGUANG_RESPONSE_CACHE_SECONDS": "5",
            "YANGGUANG_MAX_QUERY_COST": "500",
        }
    )
    assert given.rate_limit_per_minute == 0
    assert given.trusted_proxies == ("10.1.2.3/32", "172.16.0.0/12")
    assert given.response_cache_seconds == 5
    assert given.max_query_cost == 500
