"""Bearer tokens: who is calling. What they may do is Casbin's business."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from api.settings import Settings

ANONYMOUS_KIND = "ANONYMOUS"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a subject from a verified token, or anonymous (subject None)."""

    subject: str | None
    kind: str = ANONYMOUS_KIND

    @property
    def is_anonymous(self) -> bool:
        return self.subject is None


ANONYMOUS = Principal(None)


class Unauthenticated(Exception):
    """A token was sent and is not acceptable; `reason` is a stable word."""

    code = "UNAUTHENTICATED"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


_FAILURES: list[tuple[type[Exception], str, str]] = [
    (jwt.ExpiredSignatureError, "expired", "the token has expired"),
    (jwt.InvalidAudienceError, "wrong_audience", "the token is for another audience"),
    (jwt.InvalidIssuerError, "wrong_issuer", "the token is from another issuer"),
    (jwt.ImmatureSignatureError, "not_yet_valid", "the token is not valid yet"),
    (
        jwt.MissingRequiredClaimError,
        "missing_claim",
        "the token lacks a required claim",
    ),
    (
        jwt.InvalidSignatureError,
        "bad_signature",
        "the token's signature does not verify",
    ),
    (
        jwt.InvalidAlgorithmError,
        "bad_algorithm",
        "the token's algorithm is not accepted",
    ),
    (jwt.PyJWKClientError, "unknown_key", "the token's signing key is unknown"),
    (jwt.DecodeError, "malformed", "the token is malformed"),
    (jwt.InvalidTokenError, "invalid", "the token is not valid"),
]


class TokenVerifier:
    """Checks bearer tokens against the configured keys."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None
        self._keys: list[tuple[object, list[str]]] = []
        if settings.jwt_public_key:
            self._keys.append((settings.jwt_public_key, ["RS256", "ES256"]))
        if settings.jwt_secret and not settings.is_prod:
            self._keys.append((settings.jwt_secret, ["HS256"]))

    def _key_for(self, token: str) -> tuple[object, list[str]]:
        header = jwt.get_unverified_header(token)
        algorithm = header.get("alg")
        if self._jwks is not None and algorithm in {"RS256", "ES256"} and "kid" in header:
            return self._jwks.get_signing_key_from_jwt(token).key, ["RS256", "ES256"]
        for key, algorithms in self._keys:
            if algorithm in algorithms:
                return key, algorithms
        raise jwt.InvalidAlgorithmError(f"algorithm {algorithm!r} is not accepted")

    def verify(self, token: str) -> Principal:
        """The principal a token names; raises Unauthenticated with the reason."""
        try:
            key, algorithms = self._key_for(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["exp", "sub", "aud"]},
            )
        except Exception as exc:
            for kind, reason, message in _FAILURES:
                if isinstance(exc, kind):
                    raise Unauthenticated(reason, message) from None
            raise Unauthenticated("invalid", "the token is not valid") from None
        kind = claims.get("kind", "PERSON")
        if kind not in {"PERSON", "SERVICE"} or not isinstance(claims["sub"], str):
            raise Unauthenticated("invalid", "the token's subject or kind is not valid")
        return Principal(claims["sub"], kind)

    @property
    def fetches_keys(self) -> bool:
        """Whether verifying may fetch keys over the network (JWKS)."""
        return self._jwks is not None

    def from_header(self, authorization: str | None) -> Principal:
        """The principal of an Authorization header; none at all is anonymous."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("malformed", "use 'Authorization: Bearer <token>'")
        return self.verify(token.strip())


def issue_dev_token(
    settings: Settings, *, subject: str, kind: str = "PERSON", ttl_seconds: int = 86400
) -> str:
    """A token signed with the dev secret; refused in production."""
    if settings.is_prod:
        raise PermissionError("dev tokens are not issued when YANGGUANG_ENV=prod")
    now = int(time.time())
    claims = {
        "sub": subject,
        "kind": kind,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if settings.jwt_issuer:
        claims["iss"] = settings.jwt_issuer
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
