"""transparency: published results, ledger checkpoints, complaints, ratings

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 07:23:17.098435
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import postgres

TENANT_TABLES = ("complaints", "complaint_actions", "ratings")

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=12), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_checkpoints")),
        sa.UniqueConstraint(
            "chain", "tree_size", name=op.f("uq_ledger_checkpoints_chain_tree_size")
        ),
    )
    with op.batch_alter_table("ledger_checkpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_checkpoints_chain"), ["chain"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tracking_code", sa.String(length=20), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column(
            "about",
            sa.Enum(
                "CASE", "DEPARTMENT", "OFFICER", name="complaintabout", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("case_number", sa.String(length=64), nullable=True),
        sa.Column("department_code", sa.String(length=18), nullable=True),
        sa.Column("officer", sa.String(length=100), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column(
            "complainant", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "status",
            sa.Enum(
                "RECEIVED",
                "ACCEPTED",
                "ASSIGNED",
                "REPLIED",
                "CLOSED",
                name="complaintstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("assigned_to", sa.String(length=200), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_complaints_division_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("tracking_code", name=op.f("uq_complaints_tracking_code")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaints_case_number"), ["case_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaints_department_code"), ["department_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaints_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complaints_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_submitted_at"), ["submitted_at"], unique=False
        )

    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("department_code", sa.String(length=18), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column(
            "dimensions", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rectification_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rectification_status", sa.String(length=16), nullable=True),
        sa.Column("callback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("callback_by", sa.String(length=200), nullable=True),
        sa.Column("callback_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_ratings_division_code_divisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("case_number", name=op.f("uq_ratings_case_number")),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ratings_department_code"), ["department_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ratings_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ratings_rated_at"), ["rated_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ratings_rectification_due_at"), ["rectification_due_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ratings_rectification_status"), ["rectification_status"], unique=False
        )

    op.create_table(
        "complaint_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_actions_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_complaint_actions_division_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_actions")),
    )
    with op.batch_alter_table("complaint_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_actions_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complaint_actions_division_code"), ["division_code"], unique=False
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_decided_at"), ["decided_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_published_at"), ["published_at"], unique=False)

    if postgres.is_postgres():
        postgres.grant_tables("ledger_checkpoints", privileges="SELECT, INSERT")
        postgres.grant_tables(*TENANT_TABLES)
        for table in TENANT_TABLES:
            postgres.enable_tenant_rls(table)


def downgrade() -> None:
    if postgres.is_postgres():
        for table in TENANT_TABLES:
            postgres.disable_tenant_rls(table)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_published_at"))
        batch_op.drop_index(batch_op.f("ix_cases_decided_at"))
        batch_op.drop_column("published_at")

    with op.batch_alter_table("complaint_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_actions_division_code"))
        batch_op.drop_index(batch_op.f("ix_complaint_actions_complaint_id"))

    op.drop_table("complaint_actions")
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ratings_rectification_status"))
        batch_op.drop_index(batch_op.f("ix_ratings_rectification_due_at"))
        batch_op.drop_index(batch_op.f("ix_ratings_rated_at"))
        batch_op.drop_index(batch_op.f("ix_ratings_division_code"))
        batch_op.drop_index(batch_op.f("ix_ratings_department_code"))

    op.drop_table("ratings")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_complaints_status"))
        batch_op.drop_index(batch_op.f("ix_complaints_due_at"))
        batch_op.drop_index(batch_op.f("ix_complaints_division_code"))
        batch_op.drop_index(batch_op.f("ix_complaints_department_code"))
        batch_op.drop_index(batch_op.f("ix_complaints_case_number"))

    op.drop_table("complaints")
    with op.batch_alter_table("ledger_checkpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_checkpoints_chain"))

    op.drop_table("ledger_checkpoints")
