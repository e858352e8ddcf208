"""The keys of the verifiable record: given in prod (PEM, base64 or a file), made once in dev."""

from __future__ import annotations

import base64
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.settings import (
    DEV_BLINDING_KEY_FILE,
    DEV_SIGNING_KEY_FILE,
    SettingsError,
    ledger_keys,
    load,
)

SECRET = "s" * 40
BLINDING = base64.b64encode(b"\x01" * 32).decode()


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path, monkeypatch):
    """Dev keys (.yangguang/) are written here, not in the repo."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def raw_key() -> tuple[Ed25519PrivateKey, str]:
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return key, base64.b64encode(raw).decode()


def test_dev_keys_are_made_once_and_kept_private(in_tmp_dir):
    first = ledger_keys(load({"YANGGUANG_JWT_SECRET": SECRET}))
    second = ledger_keys(load({"YANGGUANG_JWT_SECRET": SECRET}))
    assert first.key_id == second.key_id and first.blinding == second.blinding
    for name in (DEV_SIGNING_KEY_FILE, DEV_BLINDING_KEY_FILE):
        assert stat.S_IMODE((in_tmp_dir / name).stat().st_mode) == 0o600


def test_no_dev_key_is_made_until_one_is_needed(in_tmp_dir):
    load({"YANGGUANG_JWT_SECRET": SECRET})
    assert not (in_tmp_dir / DEV_SIGNING_KEY_FILE).exists()


def test_a_base64_raw_key_a_pem_and_a_file_give_the_same_key(in_tmp_dir):
    key, raw = raw_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    (in_tmp_dir / "signing.pem").write_text(pem)
    ids = {
        ledger_keys(
            load({"YANGGUANG_LEDGER_SIGNING_KEY": value, "YANGGUANG_LEDGER_BLINDING_KEY": BLINDING})
        ).key_id
        for value in (raw, pem, str(in_tmp_dir / "signing.pem"))
    }
    assert len(ids) == 1
    assert not (in_tmp_dir / DEV_SIGNING_KEY_FILE).exists()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("YANGGUANG_LEDGER_SIGNING_KEY", "not a key"),
        ("YANGGUANG_LEDGER_SIGNING_KEY", base64.b64encode(b"short").decode()),
        (
            "YANGGUANG_LEDGER_SIGNING_KEY",
            "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----",
        ),
        ("YANGGUANG_LEDGER_BLINDING_KEY", base64.b64encode(b"\x01" * 16).decode()),
        ("YANGGUANG_LEDGER_BLINDING_KEY", "%%%"),
    ],
)
def test_a_malformed_key_fails_at_load_naming_it(variable, value):
    with pytest.raises(SettingsError, match=variable):
        load({variable: value})


def test_prod_needs_both_keys_where_they_are_used():
    prod = {
        "YANGGUANG_ENV": "prod",
        "YANGGUANG_JWKS_URL": "https://id.example/jwks",
        "YANGGUANG_JWT_ISSUER": "https://id.example",
    }
    settings = load(prod)  # commands that sign nothing still start
    with pytest.raises(SettingsError, match="YANGGUANG_LEDGER_SIGNING_KEY"):
        ledger_keys(settings)
    _, raw = raw_key()
    given = load(
        prod | {"YANGGUANG_LEDGER_SIGNING_KEY": raw, "YANGGUANG_LEDGER_BLINDING_KEY": BLINDING}
    )
    assert ledger_keys(given).blinding == b"\x01" * 32
