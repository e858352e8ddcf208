"""foundation: divisions, accounts and grants, departments, posts and officers

On PostgreSQL also the app role and row-level security on tenant-owned tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 05:10:12.914661
"""

import sqlalchemy as sa
from alembic import op

from migrations import postgres

TENANT_TABLES = ("grants", "posts", "officers")
APP_TABLES = ("accounts", "policy_version", "grants", "officers", "posts", "officer_posts")
# The tree and the departments are maintained by operators (seed, migrations), not the app.
READ_ONLY_TABLES = ("divisions", "departments")


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("PERSON", "SERVICE", name="accountkind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("subject", name=op.f("pk_accounts")),
    )
    op.create_table(
        "divisions",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "tier",
            sa.Enum(
                "CITY",
                "DISTRICT",
                "TOWN",
                "VILLAGE",
                name="tier",
                native_enum=False,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["divisions.code"],
            name=op.f("fk_divisions_parent_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_divisions")),
    )
    with op.batch_alter_table("divisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_divisions_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "policy_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_version")),
    )
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_departments_division_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
        sa.UniqueConstraint("code", name=op.f("uq_departments_code")),
    )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_departments_division_code"), ["division_code"], unique=False
        )

    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_grants_division_code_divisions"),
        ),
        sa.ForeignKeyConstraint(
            ["subject"], ["accounts.subject"], name=op.f("fk_grants_subject_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
        sa.UniqueConstraint(
            "subject",
            "role",
            "division_code",
            name=op.f("uq_grants_subject_role_division_code"),
        ),
    )
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grants_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_grants_subject"), ["subject"], unique=False)

    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_officers_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_officers_division_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officers")),
        sa.UniqueConstraint("staff_number", name=op.f("uq_officers_staff_number")),
    )
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_officers_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_officers_division_code"), ["division_code"], unique=False
        )

    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_posts_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_posts_division_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posts_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_posts_division_code"), ["division_code"], unique=False)

    op.create_table(
        "officer_posts",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_officer_posts_officer_id_officers"),
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_officer_posts_post_id_posts")
        ),
        sa.PrimaryKeyConstraint("officer_id", "post_id", name=op.f("pk_officer_posts")),
    )
    with op.batch_alter_table("officer_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_officer_posts_post_id"), ["post_id"], unique=False)

    if postgres.is_postgres():
        postgres.create_app_role()
        postgres.grant_tables(*APP_TABLES)
        postgres.grant_tables(*READ_ONLY_TABLES, privileges="SELECT")
        op.execute(postgres.SCOPE_FUNCTION)
        for table in TENANT_TABLES:
            postgres.enable_tenant_rls(table)


def downgrade() -> None:
    if postgres.is_postgres():
        for table in TENANT_TABLES:
            postgres.disable_tenant_rls(table)
        op.execute("DROP FUNCTION IF EXISTS yangguang_in_scope(text)")
    with op.batch_alter_table("officer_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officer_posts_post_id"))

    op.drop_table("officer_posts")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_division_code"))
        batch_op.drop_index(batch_op.f("ix_posts_department_id"))

    op.drop_table("posts")
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officers_division_code"))
        batch_op.drop_index(batch_op.f("ix_officers_department_id"))

    op.drop_table("officers")
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_subject"))
        batch_op.drop_index(batch_op.f("ix_grants_division_code"))

    op.drop_table("grants")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departments_division_code"))

    op.drop_table("departments")
    op.drop_table("policy_version")
    with op.batch_alter_table("divisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_divisions_parent_code"))

    op.drop_table("divisions")
    op.drop_table("accounts")
