"""rules: monitoring points, their rules, and warnings (one open per rule and case)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 06:45:44.809878
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import postgres

TABLES = ("monitoring_points", "rules", "warnings")

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("power_code", sa.String(length=46), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("department_code", sa.String(length=18), nullable=True),
        sa.Column("node", sa.String(length=100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_monitoring_points_division_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_points")),
    )
    with op.batch_alter_table("monitoring_points", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_points_division_code"), ["division_code"], unique=False
        )

    op.create_table(
        "rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column(
            "params", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "level",
            sa.Enum("BLUE", "YELLOW", "RED", name="warninglevel", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["point_id"], ["monitoring_points.id"], name=op.f("fk_rules_point_id_monitoring_points")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rules")),
    )
    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rules_point_id"), ["point_id"], unique=False)

    op.create_table(
        "warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column(
            "level",
            sa.Enum("BLUE", "YELLOW", "RED", name="warninglevel", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "CONFIRMED",
                "DISMISSED",
                "RESOLVED",
                name="warningstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column(
            "event_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("node", sa.String(length=100), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_warnings_division_code_divisions")
        ),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["monitoring_points.id"],
            name=op.f("fk_warnings_point_id_monitoring_points"),
        ),
        sa.ForeignKeyConstraint(["rule_id"], ["rules.id"], name=op.f("fk_warnings_rule_id_rules")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warnings")),
    )
    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warnings_case_number"), ["case_number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_warnings_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_warnings_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_warnings_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_warnings_raised_at"), ["raised_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_warnings_rule_id"), ["rule_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_warnings_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_warnings_open_rule_case",
            ["rule_id", "case_number"],
            unique=True,
            sqlite_where=sa.text("status = 'OPEN'"),
            postgresql_where=sa.text("status = 'OPEN'"),
        )

    if postgres.is_postgres():
        postgres.grant_tables(*TABLES)
        postgres.enable_tenant_rls("warnings")


def downgrade() -> None:
    if postgres.is_postgres():
        postgres.disable_tenant_rls("warnings")
    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_warnings_open_rule_case",
            sqlite_where=sa.text("status = 'OPEN'"),
            postgresql_where=sa.text("status = 'OPEN'"),
        )
        batch_op.drop_index(batch_op.f("ix_warnings_status"))
        batch_op.drop_index(batch_op.f("ix_warnings_rule_id"))
        batch_op.drop_index(batch_op.f("ix_warnings_raised_at"))
        batch_op.drop_index(batch_op.f("ix_warnings_level"))
        batch_op.drop_index(batch_op.f("ix_warnings_kind"))
        batch_op.drop_index(batch_op.f("ix_warnings_division_code"))
        batch_op.drop_index(batch_op.f("ix_warnings_case_number"))

    op.drop_table("warnings")
    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rules_point_id"))

    op.drop_table("rules")
    with op.batch_alter_table("monitoring_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_points_division_code"))

    op.drop_table("monitoring_points")
