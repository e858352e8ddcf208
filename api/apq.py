"""Automatic persisted queries, Apollo's protocol.

A client sends `extensions.persistedQuery = {version: 1, sha256Hash}` without the query;
an unknown hash answers PERSISTED_QUERY_NOT_FOUND and the client sends the text with the
hash once more; the text is kept (in Redis, shared by every API process, else in this
process) once it parsed and validated, and from then on the hash alone is enough — also
over GET, so a CDN can keep the answer. Mutations are never run over GET.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass

from redis.exceptions import RedisError

from api.cache import digest

log = logging.getLogger(__name__)
KEEP_SECONDS = 7 * 24 * 3600  # in Redis, from the last use
MAX_KEPT_CHARS = 16_384  # a portal or app query is a few KB; longer ones are not kept
MEMORY_ENTRIES = 10_000  # in this process, least recently used dropped first
HASH = re.compile(r"[0-9a-fA-F]{64}")


class PersistedQueryError(Exception):
    """The persisted query cannot be used; `code` says why, `status` is the HTTP status."""

    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


@dataclass(frozen=True, slots=True)
class Resolved:
    query: str | None
    hash: str | None  # the query's SHA-256, when it came with one (verified)
    register: bool  # the text came with its hash: keep it once it proves valid


class PersistedQueries:
    """Query texts by their SHA-256."""

    def __init__(self, redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:apq:"
        self._memory: OrderedDict[str, str] = OrderedDict()

    async def resolve(self, query: str | None, extensions: dict | None) -> Resolved:
        """The text to run, from the request or the store."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return Resolved(query, None, False)
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryError(
                "only persisted queries of version 1 are supported",
                "PERSISTED_QUERY_NOT_SUPPORTED",
                400,
            )
        sha = persisted.get("sha256Hash")
        if not isinstance(sha, str) or not HASH.fullmatch(sha):
            raise PersistedQueryError(
                "sha256Hash must be 64 hexadecimal digits", "PERSISTED_QUERY_HASH_MISMATCH", 400
            )
        sha = sha.lower()
        if query is not None:
            if digest(query) != sha:
                raise PersistedQueryError(
                    "provided sha256Hash does not match the query",
                    "PERSISTED_QUERY_HASH_MISMATCH",
                    400,
                )
            return Resolved(query, sha, True)
        text = await self.get(sha)
        if text is None:
            # Apollo clients look for this message or this code, then send the text
            raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200)
        return Resolved(text, sha, False)

    async def get(self, sha: str) -> str | None:
        if self.redis is None:
            text = self._memory.get(sha)
            if text is not None:
                self._memory.move_to_end(sha)
            return text
        try:
            return await self.redis.getex(self.prefix + sha, ex=KEEP_SECONDS)
        except RedisError:
            log.warning("persisted queries unreadable: clients will send texts")
            return None

    async def put(self, sha: str, query: str) -> None:
        if len(query) > MAX_KEPT_CHARS:
            return  # answered, never kept: nobody fills the store with huge texts
        if self.redis is None:
            self._memory[sha] = query
            self._memory.move_to_end(sha)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
            return
        try:
            await self.redis.set(self.prefix + sha, query, ex=KEEP_SECONDS)
        except RedisError:
            log.warning("persisted queries unwritable: clients will send texts")
