"""Production tokens checked against an identity provider's JWKS (served locally)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from api.auth import TokenVerifier, Unauthenticated
from api.settings import SettingsError
from tests.conftest import make_settings

ISSUER = "https://idp.qingdao.example/"


@pytest.fixture(scope="module")
def keys():
    return {
        "rsa-1": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "ec-1": ec.generate_private_key(ec.SECP256R1()),
    }


@pytest.fixture(scope="module")
def jwks_url(keys):
    entries = []
    for kid, key in keys.items():
        algorithm = RSAAlgorithm if kid.startswith("rsa") else ECAlgorithm
        jwk = json.loads(algorithm.to_jwk(key.public_key()))
        entries.append({**jwk, "kid": kid, "use": "sig"})
    body = json.dumps({"keys": entries}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


@pytest.fixture
def verifier(jwks_url, database_url):
    return TokenVerifier(
        make_settings(
            database_url,
            YANGGUANG_ENV="prod",
            YANGGUANG_JWKS_URL=jwks_url,
            YANGGUANG_JWT_ISSUER=ISSUER,
        )
    )


def _token(key, kid: str, algorithm: str, **claims) -> str:
    payload = {
        "sub": "inspector-7",
        "aud": "yangguang",
        "iss": ISSUER,
        "exp": int(time.time()) + 60,
    } | claims
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


@pytest.mark.parametrize(("kid", "algorithm"), [("rsa-1", "RS256"), ("ec-1", "ES256")])
def test_a_token_signed_by_a_published_key_is_accepted(verifier, keys, kid, algorithm):
    principal = verifier.verify(_token(keys[kid], kid, algorithm))
    assert principal.subject == "inspector-7"


def test_a_token_naming_an_unknown_key_is_refused(verifier):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthenticated) as refused:
        verifier.verify(_token(stranger, "rsa-9", "RS256"))
    assert refused.value.reason == "unknown_key"


def test_a_token_signed_by_another_key_under_a_known_kid_is_refused(verifier):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(Unauthenticated) as refused:
        verifier.verify(_token(stranger, "rsa-1", "RS256"))
    assert refused.value.reason == "bad_signature"


def test_hs256_is_not_accepted_in_production(verifier, settings):
    token = jwt.encode(
        {"sub": "x", "aud": "yangguang", "exp": int(time.time()) + 60},
        settings.jwt_secret,
        algorithm="HS256",
    )
    with pytest.raises(Unauthenticated) as refused:
        verifier.verify(token)
    assert refused.value.reason == "bad_algorithm"


def test_a_token_from_another_issuer_is_refused(verifier, keys):
    with pytest.raises(Unauthenticated) as refused:
        verifier.verify(_token(keys["rsa-1"], "rsa-1", "RS256", iss="https://elsewhere.example/"))
    assert refused.value.reason == "wrong_issuer"


def test_production_with_a_jwks_url_needs_an_issuer(jwks_url, database_url):
    with pytest.raises(SettingsError, match="YANGGUANG_JWT_ISSUER"):
        make_settings(database_url, YANGGUANG_ENV="prod", YANGGUANG_JWKS_URL=jwks_url)
