"""Running Alembic from code, so `yangguang migrate` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import migrations


def alembic_config(database_url: str, *, app_role: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["app_role"] = app_role
    return config


def upgrade(database_url: str, *, app_role: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url, app_role=app_role), revision)


def downgrade(database_url: str, *, app_role: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url, app_role=app_role), revision)
