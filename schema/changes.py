"""Telling the caches that data changed: after every mutation that ran, on any transport."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

Hook = Callable[[], Awaitable[None]]


class DataChanged(SchemaExtension):
    """Calls `hook` once a mutation has executed (its transaction committed or rolled
    back by then), before the answer goes out: a client that reads next sees the change."""

    def __init__(self, *, hook: Hook) -> None:
        self.hook = hook

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        if self.execution_context.operation_type is OperationType.MUTATION:
            await self.hook()
