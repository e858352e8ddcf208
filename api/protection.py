"""What guards /graphql for the portal: the rate limit, persisted queries and the cache of
anonymous answers (api/ratelimit.py, api/apq.py, api/cache.py), put together for the
endpoint in api/graphql.py. The cost limit is part of the schema (schema/cost.py).
"""

from __future__ import annotations

from collections import OrderedDict

from graphql import GraphQLError, get_operation_ast, parse
from starlette.types import Scope
from strawberry.types import ExecutionResult

from api.apq import PersistedQueries, PersistedQueryError
from api.cache import DataVersion, ResponseCache, digest
from api.ratelimit import ClientAddress, Decision, RateLimiter
from schema.limits import MAX_TOKENS

KINDS_KEPT = 4096  # operation kinds remembered by query hash and operation name


class Encoded:
    """An answer already encoded as JSON: sent as it is."""

    __slots__ = ("body",)
    errors = None  # read by strawberry's view; a kept answer never has errors

    def __init__(self, body: bytes) -> None:
        self.body = body


class Protection:
    """The portal's guards, sharing the services' Redis (or this process without it)."""

    def __init__(self, services) -> None:
        settings = services.settings
        redis, prefix = services.redis, settings.redis_prefix
        version = getattr(services, "data_version", None) or DataVersion(redis, prefix)
        self.persisted = PersistedQueries(redis, prefix)
        self.cache = ResponseCache(
            redis,
            prefix,
            seconds=settings.response_cache_seconds,
            version=version,
            salt=digest(services.schema.as_str())[:16],
        )
        self.limiter = RateLimiter(redis, prefix)
        self.addresses = ClientAddress(settings.trusted_proxies)
        self.anonymous_limit = settings.rate_limit_per_minute
        self.authenticated_limit = settings.rate_limit_authenticated_per_minute
        self.public_max_age = settings.public_max_age
        self._kinds: OrderedDict[tuple[str, str | None], str | None] = OrderedDict()

    async def admit(self, scope: Scope, subject: str | None) -> tuple[Decision | None, str]:
        """Count this request: anonymous ones by address, others by subject."""
        if subject is None:
            address = self.addresses.of(scope)
            bucket, limit, who = f"address:{address}", self.anonymous_limit, address
        else:
            bucket, limit, who = f"subject:{subject}", self.authenticated_limit, subject
        if limit == 0:
            return None, who
        return await self.limiter.hit(bucket, limit), who

    def kind(self, query_hash: str, query: str, operation_name: str | None) -> str | None:
        """ "query", "mutation" or "subscription"; None when the text does not parse."""
        key = (query_hash, operation_name)
        if key in self._kinds:
            self._kinds.move_to_end(key)
            return self._kinds[key]
        try:
            operation = get_operation_ast(
                parse(query, no_location=True, max_tokens=MAX_TOKENS), operation_name
            )
        except GraphQLError:
            operation = None
        kind = operation.operation.value if operation is not None else None
        self._kinds[key] = kind
        if len(self._kinds) > KINDS_KEPT:
            self._kinds.popitem(last=False)
        return kind


def persisted_query_error(error: PersistedQueryError) -> ExecutionResult:
    return ExecutionResult(
        data=None, errors=[GraphQLError(str(error), extensions={"code": error.code})]
    )


def validated(result: ExecutionResult) -> bool:
    """The document parsed and validated: every error, if any, is a field's."""
    return all(error.path for error in result.errors or ())
