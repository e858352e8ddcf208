"""Engines and sessions: SQLite by default, PostgreSQL in production.

On PostgreSQL each transaction starts by switching to a role that owns nothing,
so row-level security applies, and by handing the database the caller's scope;
both with SET LOCAL semantics (`set_config(..., true)`), in one statement.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import Session

from tenancy.scope import Scope, scope_of, set_scope

DEFAULT_APP_ROLE = "yangguang_app"
READ_ONLY = "yangguang_read_only"


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


def create_engine(url: str) -> AsyncEngine:
    """An async engine for the URL, with SQLite set up for concurrent use."""
    url = async_url(url)
    if is_postgres(url):
        return _create_async_engine(url, pool_size=10, max_overflow=10)
    engine = _create_async_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        # The driver's own transaction handling breaks SAVEPOINTs (a RELEASE would
        # commit); SQLAlchemy issues BEGIN itself instead (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _sqlite_begin(connection) -> None:
        # IMMEDIATE: a transaction that reads and then writes cannot fail to upgrade
        # its lock (SQLITE_BUSY at once, whatever busy_timeout); writers queue instead.
        # Read-only sessions begin deferred, so they never hold up a writer.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str, *, app_role: str | None = None) -> None:
        self.url = async_url(url)
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._reader = self.engine.execution_options(**{READ_ONLY: True})
        # Sessions act as this role on PostgreSQL, so row-level security applies.
        self.app_role = app_role if self.is_postgres else None

    @property
    def is_postgres(self) -> bool:
        return is_postgres(self.url)

    def session(self, scope: Scope, *, read_only: bool = False) -> AsyncSession:
        """A session that sees only `scope`; `read_only` for sessions that never write."""
        session = self.sessions(bind=self._reader) if read_only else self.sessions()
        set_scope(session.sync_session, scope)
        session.sync_session.info[ROLE_KEY] = self.app_role
        return session

    async def ping(self) -> None:
        """Raise unless the database answers."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


ROLE_KEY = "database_role"
_SET_SCOPE = text("SELECT set_config('yangguang.scope', :scope, true)")
_SET_ROLE_AND_SCOPE = text(
    "SELECT set_config('role', :role, true), set_config('yangguang.scope', :scope, true)"
)


@event.listens_for(Session, "after_begin")
def _hand_scope_to_postgres(session: Session, _transaction, connection) -> None:
    # Both settings are transaction-local (SET LOCAL): nothing leaks through the pool.
    if connection.dialect.name != "postgresql":
        return
    scope = scope_of(session).as_setting()
    role = session.info.get(ROLE_KEY)
    if role:
        connection.execute(_SET_ROLE_AND_SCOPE, {"role": role, "scope": scope})
    else:
        connection.execute(_SET_SCOPE, {"scope": scope})
