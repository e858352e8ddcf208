"""Bearer tokens over HTTP (POST /graphql) and the token verifier with RS256 keys."""

from __future__ import annotations

import time
from unittest.mock import ANY

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from api.auth import Principal, TokenVerifier, Unauthenticated, issue_dev_token
from tests.conftest import make_settings

ME = "{ me { subject kind } }"
OTHER_SECRET = "another-secret-" + "y" * 40


def claims(settings, **overrides) -> dict:
    now = int(time.time())
    base = {
        "sub": "alice",
        "kind": "PERSON",
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs256(settings, key: str | None = None, **overrides) -> str:
    return jwt.encode(claims(settings, **overrides), key or settings.jwt_secret, algorithm="HS256")


async def me(client, authorization: str | None):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return await client.post("/graphql", json={"query": ME}, headers=headers)


def assert_refused(response, reason: str) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["data"] is None
    assert len(body["errors"]) == 1
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}


async def test_no_token_is_anonymous(client):
    response = await me(client, None)
    assert response.status_code == 200
    assert response.json() == {
        "data": {"me": {"subject": None, "kind": "ANONYMOUS"}},
        "extensions": {"cost": ANY},
    }


async def test_valid_token_names_its_subject(client, token):
    response = await me(client, f"Bearer {token('alice')}")
    assert response.status_code == 200
    assert response.json() == {
        "data": {"me": {"subject": "alice", "kind": "PERSON"}},
        "extensions": {"cost": ANY},
    }


async def test_service_token_has_kind_service(client, token):
    response = await me(client, f"Bearer {token('billing-system', kind='SERVICE')}")
    assert response.status_code == 200
    assert response.json() == {
        "data": {"me": {"subject": "billing-system", "kind": "SERVICE"}},
        "extensions": {"cost": ANY},
    }


async def test_expired_token_is_refused_as_expired(client, settings):
    past = int(time.time()) - 3600
    response = await me(client, f"Bearer {hs256(settings, iat=past - 60, exp=past)}")
    assert_refused(response, "expired")


async def test_token_signed_with_another_secret_is_refused_as_bad_signature(client, settings):
    response = await me(client, f"Bearer {hs256(settings, key=OTHER_SECRET)}")
    assert_refused(response, "bad_signature")


async def test_token_for_another_audience_is_refused_as_wrong_audience(client, settings):
    response = await me(client, f"Bearer {hs256(settings, aud='someone-else')}")
    assert_refused(response, "wrong_audience")


@pytest.mark.parametrize("garbage", ["abc.def.ghi", "not-a-jwt"])
async def test_garbage_token_is_refused_as_malformed(client, garbage):
    response = await me(client, f"Bearer {garbage}")
    assert_refused(response, "malformed")


@pytest.mark.parametrize("claim", ["exp", "sub"])
async def test_token_without_a_required_claim_is_refused_as_missing_claim(client, settings, claim):
    response = await me(client, f"Bearer {hs256(settings, **{claim: None})}")
    assert_refused(response, "missing_claim")


async def test_unsigned_alg_none_token_is_refused(client, settings):
    unsigned = jwt.encode(claims(settings), None, algorithm="none")
    assert jwt.get_unverified_header(unsigned)["alg"] == "none"
    response = await me(client, f"Bearer {unsigned}")
    assert_refused(response, "bad_algorithm")


async def test_basic_scheme_is_refused_as_malformed(client):
    response = await me(client, "Basic xyz")
    assert_refused(response, "malformed")


async def test_refusal_carries_www_authenticate_bearer_challenge(client, settings):
    response = await me(client, f"Bearer {hs256(settings, key=OTHER_SECRET)}")
    assert response.status_code == 401
    challenge = response.headers.get("www-authenticate")
    assert challenge is not None
    assert challenge.startswith("Bearer ")
    assert 'error="invalid_token"' in challenge


# --- RS256 in production ----------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture
def prod_settings(database_url, rsa_key):
    return make_settings(
        database_url, YANGGUANG_ENV="prod", YANGGUANG_JWT_PUBLIC_KEY=public_pem(rsa_key)
    )


def test_prod_verifier_accepts_rs256_token_signed_with_the_configured_key(prod_settings, rsa_key):
    signed = jwt.encode(claims(prod_settings, sub="rs-user"), rsa_key, algorithm="RS256")
    assert TokenVerifier(prod_settings).verify(signed) == Principal("rs-user", "PERSON")


def test_prod_verifier_refuses_rs256_token_signed_with_another_key(prod_settings):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signed = jwt.encode(claims(prod_settings), other, algorithm="RS256")
    with pytest.raises(Unauthenticated) as refused:
        TokenVerifier(prod_settings).verify(signed)
    assert refused.value.reason == "bad_signature"


def test_prod_verifier_refuses_hs256_token_signed_with_the_dev_secret(prod_settings):
    assert prod_settings.jwt_secret  # the secret is set, yet must not be trusted in prod
    signed = hs256(prod_settings)
    with pytest.raises(Unauthenticated) as refused:
        TokenVerifier(prod_settings).verify(signed)
    assert refused.value.reason == "bad_algorithm"


def test_issue_dev_token_raises_permission_error_in_prod(prod_settings):
    with pytest.raises(PermissionError):
        issue_dev_token(prod_settings, subject="x")
