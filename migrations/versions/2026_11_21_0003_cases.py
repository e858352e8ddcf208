"""cases: the ledger and its chain heads, cases, attachments, the outbox, loaded calendars

On PostgreSQL the ledger refuses UPDATE, DELETE and TRUNCATE, and row-level security
covers the tenant-owned tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 05:45:23.565326
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import postgres

TABLES = ("ledger", "ledger_heads", "cases", "attachments", "outbox", "calendar_days")
TENANT_TABLES = ("ledger", "cases", "attachments")
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION yangguang_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.Column(
            "loaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "ledger_heads",
        sa.Column("chain", sa.String(length=12), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_ledger_heads")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_published_at"), ["published_at"], unique=False)

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_attachments_division_code_divisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint(
            "case_number", "name", "sha256", name=op.f("uq_attachments_case_number_name_sha256")
        ),
        sa.UniqueConstraint(
            "case_number", "name", "version", name=op.f("uq_attachments_case_number_name_version")
        ),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_case_number"), ["case_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_attachments_division_code"), ["division_code"], unique=False
        )

    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.String(length=12), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("case_number", sa.String(length=64), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "SUBMIT",
                "ACCEPT",
                "RETURN",
                "ADVANCE",
                "REQUEST_SUPPLEMENT",
                "RECEIVE_SUPPLEMENT",
                "SUSPEND",
                "RESUME",
                "APPROVE",
                "REJECT",
                "WITHDRAW",
                "CHARGE_FEE",
                "DECIDE_PENALTY",
                "ATTACH",
                name="action",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reporter", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_ledger_division_code_divisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger")),
        sa.UniqueConstraint("chain", "seq", name=op.f("uq_ledger_chain_seq")),
        sa.UniqueConstraint("reporter", "event_id", name=op.f("uq_ledger_reporter_event_id")),
    )
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_case_number_occurred_at"),
            ["case_number", "occurred_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_ledger_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ledger_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("power_code", sa.String(length=46), nullable=False),
        sa.Column("power_version_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "SUBMITTED",
                "ACCEPTED",
                "IN_PROGRESS",
                "SUPPLEMENT_REQUESTED",
                "SUSPENDED",
                "RETURNED",
                "APPROVED",
                "REJECTED",
                "WITHDRAWN",
                name="casestate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("node", sa.String(length=100), nullable=True),
        sa.Column(
            "applicant", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promised_value", sa.Integer(), nullable=True),
        sa.Column("promised_unit", sa.String(length=16), nullable=True),
        sa.Column("statutory_value", sa.Integer(), nullable=True),
        sa.Column("statutory_unit", sa.String(length=16), nullable=True),
        sa.Column("promised_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statutory_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_late", sa.Boolean(), nullable=False),
        sa.Column("clock_provisional", sa.Boolean(), nullable=False),
        sa.Column(
            "pauses", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "anomalies", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "amounts", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_cases_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_cases_division_code_divisions")
        ),
        sa.ForeignKeyConstraint(
            ["power_version_id"],
            ["power_versions.id"],
            name=op.f("fk_cases_power_version_id_power_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("number", name=op.f("uq_cases_number")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_accepted_at"), ["accepted_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_clock_provisional"), ["clock_provisional"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_division_code"), ["division_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_power_code"), ["power_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_promised_due_at"), ["promised_due_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_state"), ["state"], unique=False)

    if postgres.is_postgres():
        postgres.grant_tables(*TABLES)
        for table in TENANT_TABLES:
            postgres.enable_tenant_rls(table)
        op.execute(APPEND_ONLY)
        op.execute(
            "CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger "
            "FOR EACH ROW EXECUTE FUNCTION yangguang_append_only()"
        )
        op.execute(
            "CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger "
            "FOR EACH STATEMENT EXECUTE FUNCTION yangguang_append_only()"
        )


def downgrade() -> None:
    if postgres.is_postgres():
        op.execute("DROP TRIGGER IF EXISTS ledger_no_truncate ON ledger")
        op.execute("DROP TRIGGER IF EXISTS ledger_append_only ON ledger")
        op.execute("DROP FUNCTION IF EXISTS yangguang_append_only()")
        for table in TENANT_TABLES:
            postgres.disable_tenant_rls(table)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_state"))
        batch_op.drop_index(batch_op.f("ix_cases_promised_due_at"))
        batch_op.drop_index(batch_op.f("ix_cases_power_code"))
        batch_op.drop_index(batch_op.f("ix_cases_division_code"))
        batch_op.drop_index(batch_op.f("ix_cases_department_id"))
        batch_op.drop_index(batch_op.f("ix_cases_clock_provisional"))
        batch_op.drop_index(batch_op.f("ix_cases_accepted_at"))

    op.drop_table("cases")
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_ledger_division_code"))
        batch_op.drop_index(batch_op.f("ix_ledger_case_number_occurred_at"))

    op.drop_table("ledger")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_division_code"))
        batch_op.drop_index(batch_op.f("ix_attachments_case_number"))

    op.drop_table("attachments")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_published_at"))

    op.drop_table("outbox")
    op.drop_table("ledger_heads")
    op.drop_table("calendar_days")
