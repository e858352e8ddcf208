"""Signed webhooks: what a subscriber receives and how it checks that it came from us.

Every POST carries two headers:

- `X-Yangguang-Timestamp`: the moment of sending, in whole seconds since the epoch;
- `X-Yangguang-Signature`: `v1=<hex HMAC-SHA256 of "{timestamp}.{body}">`, keyed with the
  webhook's secret (shown once, when the webhook is registered).

A receiver recomputes the HMAC over the raw body it received, compares in constant time
and refuses a timestamp more than five minutes away from its own clock (`verify` below
does all three), so a captured request cannot be replayed later. The body's `id` is the
same on every retry of one message: receivers can drop what they have already seen.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
import orjson

TIMESTAMP_HEADER = "X-Yangguang-Timestamp"
SIGNATURE_HEADER = "X-Yangguang-Signature"
DELIVERY_HEADER = "X-Yangguang-Delivery"
VERSION = "v1"
TOLERANCE = 300  # seconds a signature stays acceptable
TIMEOUT = httpx.Timeout(5.0, connect=3.0)
MAX_URL = 500


class InvalidWebhookUrl(ValueError):
    """The URL cannot be delivered to (or not safely)."""

    code = "INVALID_URL"


class WebhookError(RuntimeError):
    """A delivery failed: an answer other than 2xx, or no answer."""


def new_secret() -> str:
    """A fresh signing secret for a webhook."""
    return "ygwh_" + secrets.token_urlsafe(32)


def _seconds(now: datetime | float | int) -> int:
    return int(now.timestamp() if isinstance(now, datetime) else now)


def _bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else body


def sign(secret: str, body: bytes | str, timestamp: int | str) -> str:
    """The signature header's value for this body at this timestamp."""
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + _bytes(body), hashlib.sha256
    ).hexdigest()
    return f"{VERSION}={digest}"


def signed_headers(secret: str, body: bytes | str, *, now: datetime) -> dict[str, str]:
    """The timestamp and signature headers of a POST sent `now`."""
    timestamp = str(_seconds(now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, body, timestamp)}


def verify(
    secret: str,
    body: bytes | str,
    timestamp: str | int,
    signature: str,
    *,
    now: datetime | float,
    tolerance: int = TOLERANCE,
) -> bool:
    """For receivers: whether a request is ours, unaltered and fresh (within `tolerance` s).

    `body` is the raw body as received (not re-encoded JSON); `signature` the header's
    value, which may list several comma-separated signatures (any `v1` one may match).
    """
    try:
        sent = int(str(timestamp).strip())
    except ValueError:
        return False
    if abs(_seconds(now) - sent) > tolerance:
        return False
    expected = sign(secret, body, sent)
    return any(
        hmac.compare_digest(candidate.strip().encode(), expected.encode())
        for candidate in str(signature).split(",")
    )


def check_url(url: str, *, https_only: bool) -> str:
    """The URL, trimmed, if notifications may be POSTed to it; else InvalidWebhookUrl.

    With `https_only` (production) plain http is refused, and so are addresses that name
    this machine or its cloud metadata service (localhost, loopback, link-local).
    """
    url = url.strip()
    if not url or len(url) > MAX_URL:
        raise InvalidWebhookUrl(f"url: 1 to {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        raise InvalidWebhookUrl(f"not a URL: {exc}") from None
    allowed = ("https",) if https_only else ("https", "http")
    if parts.scheme not in allowed:
        raise InvalidWebhookUrl(
            "only https URLs are accepted" if https_only else "the URL must be http(s)"
        )
    if not host:
        raise InvalidWebhookUrl("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise InvalidWebhookUrl("credentials do not belong in the URL: the signature proves us")
    if parts.fragment:
        raise InvalidWebhookUrl("the URL may not have a #fragment")
    if https_only and _internal(host):
        raise InvalidWebhookUrl(f"{host} is this machine or its metadata service")
    return url


def _internal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_link_local or address.is_unspecified


def body_of(*, delivery_id: int, topic: str, created_at: datetime, data: dict) -> bytes:
    """The JSON body of one delivery; the same bytes on every retry."""
    return orjson.dumps(
        {
            "id": delivery_id,
            "topic": topic,
            "createdAt": created_at.astimezone(UTC).isoformat(),
            "data": data,
        }
    )


async def post(
    client: httpx.AsyncClient,
    *,
    url: str,
    secret: str,
    body: bytes,
    delivery_id: int,
    now: datetime,
) -> None:
    """POST a signed body; WebhookError unless the answer is 2xx."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "yangguang-webhooks/1",
        DELIVERY_HEADER: str(delivery_id),
        **signed_headers(secret, body, now=now),
    }
    try:
        response = await client.post(
            url, content=body, headers=headers, timeout=TIMEOUT, follow_redirects=False
        )
    except httpx.HTTPError as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}"[:500]) from None
    if not response.is_success:
        raise WebhookError(f"HTTP {response.status_code} {response.reason_phrase}"[:500])
