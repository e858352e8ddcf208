"""The rating secret (好差评 codes): given in prod, made once per working directory in dev."""

from __future__ import annotations

import stat

import pytest

from api.settings import DEV_RATING_SECRET_FILE, SettingsError, load, rating_secret

JWT = "s" * 40
GIVEN = "r" * 40


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path, monkeypatch):
    """The dev secret files are written here, not in the repo."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_dev_makes_one_private_secret_and_keeps_it(in_tmp_dir):
    first = rating_secret(load({"YANGGUANG_JWT_SECRET": JWT}))
    second = rating_secret(load({"YANGGUANG_JWT_SECRET": JWT}))
    assert first == second and len(first) >= 32
    path = in_tmp_dir / DEV_RATING_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_given_secret_wins_and_no_file_is_written(in_tmp_dir):
    settings = load({"YANGGUANG_JWT_SECRET": JWT, "YANGGUANG_RATING_SECRET": GIVEN})
    assert rating_secret(settings) == GIVEN.encode()
    assert not (in_tmp_dir / DEV_RATING_SECRET_FILE).exists()


def test_a_short_secret_is_refused_naming_the_variable():
    with pytest.raises(SettingsError, match="YANGGUANG_RATING_SECRET"):
        load({"YANGGUANG_JWT_SECRET": JWT, "YANGGUANG_RATING_SECRET": "short"})


def test_prod_needs_the_secret(in_tmp_dir):
    prod = {"YANGGUANG_ENV": "prod", "YANGGUANG_JWKS_URL": "https://id.example/jwks"}
    prod["YANGGUANG_JWT_ISSUER"] = "https://id.example"
    with pytest.raises(SettingsError) as refused:
        rating_secret(load(prod))
    assert "YANGGUANG_ENV=prod needs YANGGUANG_RATING_SECRET" in str(refused.value)
    assert not (in_tmp_dir / DEV_RATING_SECRET_FILE).exists()
    assert rating_secret(load({**prod, "YANGGUANG_RATING_SECRET": GIVEN})) == GIVEN.encode()
