"""Settings, read from the environment only. A wrong value fails at start in one line."""

from __future__ import annotations

import ipaddress
import math
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from supervision.notify.providers import is_provider_name
from supervision.publication import signing as ledger_signing
from tenancy.db import DEFAULT_APP_ROLE

DEV_SECRET_FILE = Path(".yangguang") / "dev-jwt-secret"
DEV_RATING_SECRET_FILE = Path(".yangguang") / "dev-rating-secret"
DEV_SIGNING_KEY_FILE = Path(".yangguang") / "dev-ledger-signing-key"
DEV_BLINDING_KEY_FILE = Path(".yangguang") / "dev-ledger-blinding-key"


class SettingsError(ValueError):
    """One setting is wrong; the message names it and says why."""


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    database_role: str | None
    redis_url: str | None
    redis_prefix: str
    jwt_secret: str | None
    jwt_public_key: str | None
    jwks_url: str | None
    jwt_audience: str
    jwt_issuer: str | None
    policy_poll_seconds: float
    # the verifiable record (supervision/publication): texts checked at load; see ledger_keys
    ledger_signing_key: str | None = field(default=None, repr=False)  # secret
    ledger_blinding_key: str | None = field(default=None, repr=False)  # secret
    sms_provider: str = "log"
    # the key of 好差评 rating codes (supervision/ratings/codes.py): see rating_secret
    rating_secret: str | None = field(default=None, repr=False)  # secret
    # protecting the portal (api/ratelimit.py, api/cache.py, api/apq.py, schema/cost.py)
    rate_limit_per_minute: int = 600  # anonymous requests per client address; 0: none
    rate_limit_authenticated_per_minute: int = 6000  # per token subject; 0: none
    trusted_proxies: tuple[str, ...] = ()  # networks whose X-Forwarded-For is believed
    response_cache_seconds: int = 30  # anonymous query responses kept; 0: no cache
    public_max_age: int = 0  # Cache-Control max-age on anonymous GET answers; 0: none
    max_query_cost: int = 10_000

    @property
    def is_prod(self) -> bool:
        return self.env == "prod"


def _database_url(value: str) -> str:
    try:
        backend = make_url(value).get_backend_name()
    except ArgumentError as exc:
        raise SettingsError(f"YANGGUANG_DATABASE_URL is not a database URL: {exc}") from None
    if backend not in {"postgresql", "sqlite"}:
        raise SettingsError(
            f"YANGGUANG_DATABASE_URL: {backend!r} is not supported; use postgresql:// or sqlite://"
        )
    return value


def _redis_url(value: str | None) -> str | None:
    if not value:
        return None
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("YANGGUANG_REDIS_URL must start with redis://, rediss:// or unix://")
    return value


def _public_key(value: str | None) -> str | None:
    if not value:
        return None
    if not value.lstrip().startswith("-----BEGIN"):
        path = Path(value)
        if not path.is_file():
            raise SettingsError(
                "YANGGUANG_JWT_PUBLIC_KEY must be a PEM public key or the path of one"
            )
        value = path.read_text()
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        load_pem_public_key(value.encode())
    except ValueError:
        raise SettingsError("YANGGUANG_JWT_PUBLIC_KEY is not a PEM public key") from None
    return value


def _dev_secret() -> str:
    # In dev only: one generated secret per working directory, shared by
    # `yangguang token` and `yangguang serve`. Production secrets come from the environment.
    if DEV_SECRET_FILE.is_file():
        return DEV_SECRET_FILE.read_text().strip()
    DEV_SECRET_FILE.parent.mkdir(exist_ok=True)
    secret = secrets.token_urlsafe(48)
    try:  # created private, and only once even when two processes start together
        fd = os.open(DEV_SECRET_FILE, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return DEV_SECRET_FILE.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secret)
    return secret


def _count(get, name: str, default: int) -> int:
    value = get(name, str(default))
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise SettingsError(f"{name} may not be negative")
    return number


def _networks(value: str | None) -> tuple[str, ...]:
    networks = []
    for item in (value or "").split(","):
        if not item.strip():
            continue
        try:
            networks.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise SettingsError(
                f"YANGGUANG_TRUSTED_PROXIES: {item.strip()!r} is not an address or network"
            ) from None
    return tuple(networks)


def _ledger_key(get, name: str, read) -> str | None:
    """A key setting: the key itself (PEM or base64) or the path of a file holding it."""
    value = get(name) or None
    if value is None:
        return None
    if not value.lstrip().startswith("-----BEGIN") and Path(value).is_file():
        value = Path(value).read_text()
    try:
        read(value)
    except ledger_signing.KeyFormatError as exc:
        raise SettingsError(f"{name}: {exc}") from None
    return value


def _dev_key(path: Path, make) -> str:
    # in dev only, like the JWT secret: made once per working directory, kept private
    if path.is_file():
        return path.read_text()
    path.parent.mkdir(exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return path.read_text()
    with os.fdopen(fd, "w") as file:
        file.write(make())
    return path.read_text()


def ledger_keys(settings: Settings) -> ledger_signing.LedgerKeys:
    """The keys of signed checkpoints: given in prod, made once in dev."""
    signing_key, blinding_key = settings.ledger_signing_key, settings.ledger_blinding_key
    if settings.is_prod and not (signing_key and blinding_key):
        raise SettingsError(
            "YANGGUANG_ENV=prod needs YANGGUANG_LEDGER_SIGNING_KEY and "
            "YANGGUANG_LEDGER_BLINDING_KEY (see README, Verifying the record)"
        )
    return ledger_signing.LedgerKeys.from_text(
        signing=signing_key or _dev_key(DEV_SIGNING_KEY_FILE, ledger_signing.new_signing_key_pem),
        blinding=blinding_key or _dev_key(DEV_BLINDING_KEY_FILE, ledger_signing.new_blinding_key),
    )


def _rating_secret_setting(get) -> str | None:
    secret = get("YANGGUANG_RATING_SECRET") or None
    if secret is not None and len(secret.encode()) < 32:
        raise SettingsError("YANGGUANG_RATING_SECRET must be at least 32 bytes long")
    return secret


def _dev_rating_secret() -> str:
    # in dev only, like the JWT secret: made once per working directory, kept private
    path = DEV_RATING_SECRET_FILE
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def rating_secret(settings: Settings) -> bytes:
    """The key rating codes are made with: given in prod, made once in dev. Changing it
    changes every case's code (codes already handed out stop working)."""
    if settings.rating_secret:
        return settings.rating_secret.encode()
    if settings.is_prod:
        raise SettingsError(
            "YANGGUANG_ENV=prod needs YANGGUANG_RATING_SECRET, at least 32 bytes "
            "(see README, Ratings)"
        )
    return _dev_rating_secret().encode()


def load(environ: dict[str, str] | None = None) -> Settings:
    """Settings from `environ` (default: os.environ)."""
    env_vars = os.environ if environ is None else environ
    get = env_vars.get
    env = get("YANGGUANG_ENV", "dev")
    if env not in {"dev", "prod"}:
        raise SettingsError(f"YANGGUANG_ENV must be 'dev' or 'prod', not {env!r}")
    secret = get("YANGGUANG_JWT_SECRET") or None
    if secret is not None and len(secret.encode()) < 32:
        raise SettingsError("YANGGUANG_JWT_SECRET must be at least 32 bytes long")
    public_key = _public_key(get("YANGGUANG_JWT_PUBLIC_KEY"))
    jwks_url = get("YANGGUANG_JWKS_URL") or None
    if jwks_url is not None and not jwks_url.startswith(("https://", "http://")):
        raise SettingsError("YANGGUANG_JWKS_URL must be an http(s) URL")
    if env == "prod" and not (public_key or jwks_url):
        raise SettingsError(
            "YANGGUANG_ENV=prod needs YANGGUANG_JWT_PUBLIC_KEY or YANGGUANG_JWKS_URL"
        )
    if env == "prod" and jwks_url and not get("YANGGUANG_JWT_ISSUER"):
        raise SettingsError("YANGGUANG_JWKS_URL needs YANGGUANG_JWT_ISSUER: whose tokens to trust")
    if (
        env == "prod"
        and "YANGGUANG_DATABASE_ROLE" in env_vars
        and not get("YANGGUANG_DATABASE_ROLE")
    ):
        raise SettingsError(
            "YANGGUANG_DATABASE_ROLE may not be empty in prod: row-level security needs it"
        )
    if env == "dev" and secret is None:
        secret = _dev_secret()
    try:
        poll = float(get("YANGGUANG_POLICY_POLL_SECONDS", "5"))
    except ValueError:
        raise SettingsError("YANGGUANG_POLICY_POLL_SECONDS must be a number") from None
    if not math.isfinite(poll) or poll <= 0:
        raise SettingsError("YANGGUANG_POLICY_POLL_SECONDS must be above zero")
    # "log" (texts written to the log) or "package.module:Name", a provider of your own
    # that reads its vendor's credentials from the environment: see supervision/notify
    sms_provider = get("YANGGUANG_SMS_PROVIDER", "log")
    if not is_provider_name(sms_provider):
        raise SettingsError("YANGGUANG_SMS_PROVIDER must be 'log' or 'package.module:Name'")
    return Settings(
        env=env,
        database_url=_database_url(get("YANGGUANG_DATABASE_URL", "sqlite:///yangguang.db")),
        database_role=get("YANGGUANG_DATABASE_ROLE", DEFAULT_APP_ROLE) or None,
        redis_url=_redis_url(get("YANGGUANG_REDIS_URL")),
        redis_prefix=get("YANGGUANG_REDIS_PREFIX", "yangguang"),
        jwt_secret=secret,
        jwt_public_key=public_key,
        jwks_url=jwks_url,
        jwt_audience=get("YANGGUANG_JWT_AUDIENCE", "yangguang"),
        jwt_issuer=get("YANGGUANG_JWT_ISSUER") or None,
        policy_poll_seconds=poll,
        ledger_signing_key=_ledger_key(
            get, "YANGGUANG_LEDGER_SIGNING_KEY", ledger_signing.load_signing_key
        ),
        ledger_blinding_key=_ledger_key(
            get, "YANGGUANG_LEDGER_BLINDING_KEY", ledger_signing.load_blinding_key
        ),
        sms_provider=sms_provider,
        rating_secret=_rating_secret_setting(get),
        rate_limit_per_minute=_count(get, "YANGGUANG_RATE_LIMIT_PER_MINUTE", 600),
        rate_limit_authenticated_per_minute=_count(
            get, "YANGGUANG_RATE_LIMIT_AUTHENTICATED_PER_MINUTE", 6000
        ),
        trusted_proxies=_networks(get("YANGGUANG_TRUSTED_PROXIES")),
        response_cache_seconds=_count(get, "YANGGUANG_RESPONSE_CACHE_SECONDS", 30),
        public_max_age=_count(get, "YANGGUANG_PUBLIC_MAX_AGE", 0),
        max_query_cost=_count(get, "YANGGUANG_MAX_QUERY_COST", 10_000),
    )
