"""Engines and sessions: SQLite by default, PostgreSQL in production.

On PostgreSQL the app connects as (or switches to) a role that owns nothing, so
row-level security applies to it, and each transaction starts by handing the
database the caller's scope with SET LOCAL semantics (`set_config(..., true)`).
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import Session

from tenancy.scope import Scope, scope_of, set_scope

DEFAULT_APP_ROLE = "yangguang_app"


def async_url(url: str) -> str:
    """The URL with an async driver: asyncpg for PostgreSQL, aiosqlite for SQLite."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    else:
        raise ValueError(f"unsupported database {backend!r}: use postgresql or sqlite")
    return parsed.render_as_string(hide_password=False)


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def create_engine(url: str, *, app_role: str | None = None) -> AsyncEngine:
    """An async engine; on PostgreSQL every connection takes on `app_role`."""
    url = async_url(url)
    if is_postgres(url):
        engine = _create_async_engine(url, pool_size=10, max_overflow=10)
        if app_role:
            role = app_role.replace('"', "")

            @event.listens_for(engine.sync_engine, "connect")
            def _take_role(dbapi_connection, _record) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute(f'SET ROLE "{role}"')
                cursor.close()

        return engine
    engine = _create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str, *, app_role: str | None = None) -> None:
        self.url = async_url(url)
        self.engine = create_engine(url, app_role=app_role)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return is_postgres(self.url)

    def session(self, scope: Scope) -> AsyncSession:
        """A session that sees only `scope`."""
        session = self.sessions()
        set_scope(session.sync_session, scope)
        return session

    async def ping(self) -> None:
        """Raise unless the database answers."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


@event.listens_for(Session, "after_begin")
def _hand_scope_to_postgres(session: Session, _transaction, connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    connection.execute(_SET_SCOPE, {"scope": scope_of(session).as_setting()})


_SET_SCOPE = text("SELECT set_config('yangguang.scope', :scope, true)")
