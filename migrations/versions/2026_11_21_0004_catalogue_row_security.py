"""catalogue row-level security: writes only inside the writer's scope

The catalogue is not subtree-scoped in the ORM (a city's powers apply to its
districts, and published ones are public); who reads what is decided in
supervision/catalogue/queries.py. Reads are not repeated here: under a row-level
policy PostgreSQL may not use the trigram index for LIKE (the operator is not
leakproof), and name search on 10,000+ powers fell back to sequential scans.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 06:10:00
"""

from alembic import op

from migrations import postgres

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("powers", "power_versions")


def upgrade() -> None:
    if not postgres.is_postgres():
        return
    for table in TABLES:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY catalogue_read ON "{table}" FOR SELECT USING (true)')
        for command in ("INSERT", "UPDATE", "DELETE"):
            clause = "WITH CHECK" if command == "INSERT" else "USING"
            op.execute(
                f'CREATE POLICY catalogue_{command.lower()} ON "{table}" FOR {command} '
                f"{clause} (yangguang_in_scope(division_code))"
            )


def downgrade() -> None:
    if not postgres.is_postgres():
        return
    for table in TABLES:
        for name in ("read", "insert", "update", "delete"):
            op.execute(f'DROP POLICY IF EXISTS catalogue_{name} ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
