"""catalogue: powers, their versions, procedure nodes and risk points

On PostgreSQL also the indexes for search: trigrams on the name, a pattern index
on the code for prefix search.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 05:21:50.710295
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import postgres

TABLES = ("powers", "power_versions", "power_nodes", "power_risk_points")

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "powers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=46), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "LICENSING",
                "PENALTY",
                "COERCION",
                "LEVY",
                "BENEFIT",
                "INSPECTION",
                "CONFIRMATION",
                "REWARD",
                "ADJUDICATION",
                "OTHER",
                name="category",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "PUBLISHED",
                "SUSPENDED",
                "CANCELLED",
                name="powerstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_powers_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_powers_division_code_divisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_powers")),
        sa.UniqueConstraint("code", name=op.f("uq_powers_code")),
    )
    with op.batch_alter_table("powers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_powers_category"), ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_powers_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_powers_division_code_category_status"),
            ["division_code", "category", "status"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_powers_status"), ["status"], unique=False)

    op.create_table(
        "power_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("power_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=46), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "PUBLISHED",
                "SUSPENDED",
                "CANCELLED",
                name="powerstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "change_kind",
            sa.Enum(
                "ADD",
                "CHANGE",
                "SPLIT",
                "MERGE",
                "SUSPEND",
                "CANCEL",
                name="changekind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("change_note", sa.Text(), nullable=False),
        sa.Column(
            "related_codes",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "LICENSING",
                "PENALTY",
                "COERCION",
                "LEVY",
                "BENEFIT",
                "INSPECTION",
                "CONFIRMATION",
                "REWARD",
                "ADJUDICATION",
                "OTHER",
                name="category",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "legal_basis", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "conditions", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "materials", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("fees", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column(
            "discretion", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("statutory_value", sa.Integer(), nullable=False),
        sa.Column(
            "statutory_unit",
            sa.Enum("WORKING_DAY", "CALENDAR_DAY", name="dayunit", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("promised_value", sa.Integer(), nullable=False),
        sa.Column(
            "promised_unit",
            sa.Enum("WORKING_DAY", "CALENDAR_DAY", name="dayunit", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("on_the_spot", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("effective_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("effective_to", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_power_versions_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_power_versions_division_code_divisions"),
        ),
        sa.ForeignKeyConstraint(
            ["power_id"], ["powers.id"], name=op.f("fk_power_versions_power_id_powers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_power_versions")),
        sa.UniqueConstraint("power_id", "version", name=op.f("uq_power_versions_power_id_version")),
    )
    with op.batch_alter_table("power_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_power_versions_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_power_versions_power_id"), ["power_id"], unique=False)

    op.create_table(
        "power_nodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("post", sa.String(length=100), nullable=False),
        sa.Column("limit_value", sa.Integer(), nullable=False),
        sa.Column(
            "key_data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["power_versions.id"],
            name=op.f("fk_power_nodes_version_id_power_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_power_nodes")),
    )
    with op.batch_alter_table("power_nodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_power_nodes_version_id"), ["version_id"], unique=False)

    op.create_table(
        "power_risk_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "TIME",
                "PROCEDURE",
                "AUTHORITY",
                "QUANTITY",
                "QUALITY",
                "KEY",
                "SPECIAL",
                name="risktype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "level",
            sa.Enum("HIGH", "MEDIUM", "LOW", name="risklevel", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("node", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["power_versions.id"],
            name=op.f("fk_power_risk_points_version_id_power_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_power_risk_points")),
    )
    with op.batch_alter_table("power_risk_points", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_power_risk_points_type"), ["type"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_power_risk_points_version_id"), ["version_id"], unique=False
        )

    if postgres.is_postgres():
        postgres.grant_tables(*TABLES)
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_powers_name_trgm ON powers USING gin (name gin_trgm_ops)")
        op.execute("CREATE INDEX ix_powers_code_pattern ON powers (code text_pattern_ops)")


def downgrade() -> None:
    if postgres.is_postgres():
        op.execute("DROP INDEX IF EXISTS ix_powers_code_pattern")
        op.execute("DROP INDEX IF EXISTS ix_powers_name_trgm")
    with op.batch_alter_table("power_risk_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_power_risk_points_version_id"))
        batch_op.drop_index(batch_op.f("ix_power_risk_points_type"))

    op.drop_table("power_risk_points")
    with op.batch_alter_table("power_nodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_power_nodes_version_id"))

    op.drop_table("power_nodes")
    with op.batch_alter_table("power_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_power_versions_power_id"))
        batch_op.drop_index(batch_op.f("ix_power_versions_code"))

    op.drop_table("power_versions")
    with op.batch_alter_table("powers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_powers_status"))
        batch_op.drop_index(batch_op.f("ix_powers_division_code_category_status"))
        batch_op.drop_index(batch_op.f("ix_powers_department_id"))
        batch_op.drop_index(batch_op.f("ix_powers_category"))

    op.drop_table("powers")
