"""The outbox relay says when it published a batch (the API drops cached answers then)."""

from __future__ import annotations

from supervision.cases.models import OutboxMessage
from supervision.live import MemoryStream, Relay
from tenancy.db import Database
from tenancy.scope import Scope


async def test_the_relay_calls_its_hook_after_each_batch_it_published(tmp_path):
    # a database of its own: no other relay of the test session may take the row
    database = Database(f"sqlite:///{tmp_path / 'outbox.db'}")
    async with database.engine.begin() as connection:
        await connection.run_sync(OutboxMessage.__table__.create)
    calls: list[str] = []

    async def published() -> None:
        calls.append("published")

    relay = Relay(database=database, stream=MemoryStream(), published=published)
    try:
        assert await relay.relay_once() == 0
        assert calls == []
        async with database.session(Scope.bypass("test: an outbox row")) as session:
            session.add(OutboxMessage(topic="test", division_code="370200000000", payload={}))
            await session.commit()
        assert await relay.relay_once() == 1
        assert calls == ["published"]
    finally:
        await database.dispose()
