"""Alembic environment: async engines, one linear history for SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

import migrations.models  # noqa: F401 - registers every table on the metadata
from tenancy.db import async_url
from tenancy.models import Base

config = context.config
target_metadata = Base.metadata


# PostgreSQL-only search indexes, written by hand in the revisions, not in the models.
DATABASE_SPECIFIC_INDEXES = {"ix_powers_name_trgm", "ix_powers_code_pattern"}


def _include(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in DATABASE_SPECIFIC_INDEXES)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(async_url(config.get_main_option("sqlalchemy.url")))
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
