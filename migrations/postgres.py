"""PostgreSQL-only pieces shared by revisions: the app role and row-level security."""

from __future__ import annotations

from alembic import op

from tenancy.db import DEFAULT_APP_ROLE

# The app's role owns nothing, so FORCEd row-level security applies to it.
SCOPE_FUNCTION = """
CREATE OR REPLACE FUNCTION yangguang_in_scope(code text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('yangguang.scope', true), '') = '*'
      OR EXISTS (
        SELECT 1
        FROM unnest(string_to_array(
               nullif(current_setting('yangguang.scope', true), ''), ',')) AS p
        WHERE left(code, length(p)) = p
      )
$$
"""


def is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def app_role() -> str:
    return op.get_context().config.attributes.get("app_role") or DEFAULT_APP_ROLE


def create_app_role() -> None:
    role = app_role()
    op.execute(
        f"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
            CREATE ROLE "{role}" NOLOGIN;
          END IF;
        END $$
        """
    )
    op.execute(f'GRANT "{role}" TO CURRENT_USER')
    op.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')


def grant_tables(*tables: str, privileges: str = "SELECT, INSERT, UPDATE, DELETE") -> None:
    role = app_role()
    for table in tables:
        op.execute(f'GRANT {privileges} ON "{table}" TO "{role}"')
    op.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')


def enable_tenant_rls(table: str) -> None:
    op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
    op.execute(
        f'CREATE POLICY tenant_scope ON "{table}" '
        "USING (yangguang_in_scope(division_code)) "
        "WITH CHECK (yangguang_in_scope(division_code))"
    )


def disable_tenant_rls(table: str) -> None:
    op.execute(f'DROP POLICY IF EXISTS tenant_scope ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
