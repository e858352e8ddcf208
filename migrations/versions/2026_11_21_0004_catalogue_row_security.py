"""catalogue row-level security: published powers for all, the rest inside the scope

The catalogue is not subtree-scoped in the ORM (a city's powers apply to its
districts, and published ones are public), so its rule is written in
supervision/catalogue/queries.py. On PostgreSQL the database repeats it.

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

POLICIES = {
    "powers": "status = 'PUBLISHED' OR yangguang_in_scope(division_code)",
    "power_versions": (
        "(status = 'PUBLISHED' AND effective_from IS NOT NULL) OR yangguang_in_scope(division_code)"
    ),
}


def upgrade() -> None:
    if not postgres.is_postgres():
        return
    for table, visible in POLICIES.items():
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY catalogue_read ON "{table}" FOR SELECT USING ({visible})')
        for command in ("INSERT", "UPDATE", "DELETE"):
            clause = "WITH CHECK" if command == "INSERT" else "USING"
            op.execute(
                f'CREATE POLICY catalogue_{command.lower()} ON "{table}" FOR {command} '
                f"{clause} (yangguang_in_scope(division_code))"
            )


def downgrade() -> None:
    if not postgres.is_postgres():
        return
    for table in POLICIES:
        for name in ("read", "insert", "update", "delete"):
            op.execute(f'DROP POLICY IF EXISTS catalogue_{name} ON "{table}"')
        op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
