"""A rate limit on /graphql: per client address for anonymous callers, per subject for
authenticated ones, in fixed one-minute windows.

Counts live in Redis (one INCR and EXPIRE per request, in one transaction, so every API
process shares them) or in this process. Every answer says where the caller stands in
the IETF draft's headers (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`,
`RateLimit-Policy`); over the limit the answer is 429 with `Retry-After` and a
GraphQL-shaped error coded RATE_LIMITED. The client address is the socket's peer, or,
when that peer is a trusted proxy, the last address in X-Forwarded-For that is not one.
An IPv6 client is counted by its /64, which one subscriber usually holds whole.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

import orjson
from redis.exceptions import RedisError
from starlette.types import Message, Scope, Send

log = logging.getLogger(__name__)
WINDOW = 60  # seconds
MEMORY_BUCKETS = 100_000  # counters kept in this process before old windows are dropped


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window ends

    def headers(self) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset).encode()),
            (b"ratelimit-policy", f"{self.limit};w={WINDOW}".encode()),
        ]
        if not self.allowed:
            headers.append((b"retry-after", str(self.reset).encode()))
        return headers


class RateLimiter:
    """Counts requests per bucket and window; says whether one more is allowed."""

    def __init__(self, redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:ratelimit:"
        self._memory: dict[str, tuple[int, int]] = {}  # bucket -> (window, count)

    async def hit(self, bucket: str, limit: int) -> Decision | None:
        """Count one request; None when counting failed (then it is let through)."""
        now = time.time()
        window = int(now // WINDOW)
        reset = max(1, math.ceil((window + 1) * WINDOW - now))
        if self.redis is None:
            count = self._count_here(bucket, window)
        else:
            key = f"{self.prefix}{bucket}:{window}"
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.incr(key)
                    pipe.expire(key, WINDOW + 1)
                    count, _ = await pipe.execute()
            except RedisError:
                log.warning("rate limit counters unreachable: letting requests through")
                return None
        return Decision(count <= limit, limit, max(0, limit - count), reset)

    def _count_here(self, bucket: str, window: int) -> int:
        seen, count = self._memory.get(bucket, (window, 0))
        count = count + 1 if seen == window else 1
        self._memory[bucket] = (window, count)
        if len(self._memory) > MEMORY_BUCKETS:
            self._memory = {b: v for b, v in self._memory.items() if v[0] == window}
        return count


class ClientAddress:
    """Who is asking, by address, believing X-Forwarded-For only from trusted proxies."""

    def __init__(self, trusted_proxies: tuple[str, ...] = ()) -> None:
        self.trusted = tuple(ipaddress.ip_network(n, strict=False) for n in trusted_proxies)

    def of(self, scope: Scope) -> str:
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if self.trusted and self._is_trusted(peer):
            hops = [
                hop.strip()
                for name, value in scope.get("headers", ())
                if name == b"x-forwarded-for"
                for hop in value.decode("latin-1").split(",")
                if hop.strip()
            ]
            for hop in reversed(hops):
                if not self._is_trusted(hop):
                    return _bucket(hop) if _address(hop) else peer
        return _bucket(peer)

    def _is_trusted(self, text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in self.trusted)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _bucket(text: str) -> str:
    address = _address(text)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return text


def with_headers(send: Send, decision: Decision) -> Send:
    """`send`, adding the decision's headers to the response."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), *decision.headers()]}
        await send(message)

    return sending


async def refuse(send: Send, decision: Decision, who: str) -> None:
    """The 429 answer: a GraphQL-shaped error and the headers."""
    body = orjson.dumps(
        {
            "data": None,
            "errors": [
                {
                    "message": (
                        f"too many requests from {who}: {decision.limit} a minute are "
                        f"allowed; try again in {decision.reset} s"
                    ),
                    "extensions": {
                        "code": "RATE_LIMITED",
                        "limit": decision.limit,
                        "retryAfter": decision.reset,
                    },
                }
            ],
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *decision.headers(),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
