"""Fresh databases for tests: a new PostgreSQL database per use, or a SQLite file."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from tenancy.db import is_postgres


def configured_url() -> str | None:
    return os.environ.get("YANGGUANG_DATABASE_URL") or None


def on_postgres() -> bool:
    url = configured_url()
    return bool(url) and is_postgres(url)


def backend_label() -> str:
    return "PostgreSQL" if on_postgres() else "SQLite"


def _asyncpg_dsn(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.asynccontextmanager
async def fresh_database(tmp_dir: Path) -> AsyncIterator[str]:
    """The URL of an empty database, dropped afterwards."""
    if not on_postgres():
        yield f"sqlite:///{tmp_dir / f'{uuid.uuid4().hex[:8]}.db'}"
        return
    base = make_url(configured_url())
    name = f"yg_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(_asyncpg_dsn(base))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(_asyncpg_dsn(base))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
