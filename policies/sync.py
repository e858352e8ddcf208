"""Keeping every process's policies current.

Redis pub/sub is the fast path: a change is announced after commit and every
process reloads at once. Pub/sub drops messages when a subscriber is away, so a
periodic check of the policy version is the backstop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from policies.enforcer import Authorizer
from policies.grants import get_version, list_grant_entries
from tenancy.db import Database
from tenancy.scope import Scope

log = logging.getLogger(__name__)


class PolicySync:
    """Holds the process's current Authorizer and keeps it in step with the database."""

    def __init__(
        self,
        *,
        database: Database,
        redis=None,
        channel: str = "yangguang:policy",
        poll_seconds: float = 5.0,
    ) -> None:
        self.database = database
        self.redis = redis
        self.channel = channel
        self.poll_seconds = poll_seconds
        self.authorizer = Authorizer()
        self._tasks: list[asyncio.Task] = []
        self._reloading = asyncio.Lock()

    async def reload(self, *, force: bool = False) -> bool:
        """Load the grants if the version moved; True when something was reloaded."""
        async with self._reloading:  # the poll, the channel and announce never interleave
            async with self.database.session(
                Scope.bypass("policy load"), read_only=True
            ) as session:
                version = await get_version(session=session)
                if version == self.authorizer.version and not force:
                    return False
                if version < self.authorizer.version:
                    return False  # never go back to older policies
                grants = await list_grant_entries(session=session)
            # building the enforcer is CPU work: keep the event loop answering
            self.authorizer = await asyncio.to_thread(Authorizer, grants, version)
        log.info("policies loaded: version %s, %s grants", version, len(grants))
        return True

    async def announce(self) -> None:
        """After a committed change: reload here and tell the other processes.

        The change is committed already; a failure here is logged, and the
        periodic version check brings it everywhere anyway.
        """
        try:
            await self.reload()
            if self.redis is not None:
                await self.redis.publish(self.channel, str(self.authorizer.version))
        except Exception:
            log.exception("announcing a policy change failed; the version check will catch up")

    async def start(self) -> None:
        await self.reload(force=True)
        self._tasks.append(asyncio.create_task(self._poll()))
        if self.redis is not None:
            self._tasks.append(asyncio.create_task(self._listen()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                await self.reload()
            except Exception:  # the next round tries again
                log.exception("policy version check failed")

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub()
                await pubsub.subscribe(self.channel)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        await self.reload()
            except asyncio.CancelledError:
                raise
            except Exception:  # reconnect; the poll covers the gap
                log.warning("policy channel lost; resubscribing", exc_info=True)
                await asyncio.sleep(1)
