"""supervision engine: handling, cards, escalation, next checks, notifications

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 07:12:37.266838
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from migrations import postgres

TENANT_TABLES = ("warning_actions", "cards", "webhooks")
LIVE = sa.text("status IN ('OPEN', 'CONFIRMED', 'RECTIFYING', 'RECTIFIED')")
OPEN = sa.text("status = 'OPEN'")

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("SMS", "WEBHOOK", name="channel", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "status",
            sa.Enum("PENDING", "SENT", "DEAD", name="deliverystatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index("ix_notifications_due", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column(
            "topics", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_webhooks_division_code_divisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhooks_division_code"), ["division_code"], unique=False
        )

    op.create_table(
        "cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum("YELLOW", "RED", name="cardlevel", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("department_code", sa.String(length=18), nullable=False),
        sa.Column("officer", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_cards_division_code_divisions")
        ),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_cards_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
    )
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cards_department_code"), ["department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cards_division_code"), ["division_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_issued_at"), ["issued_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cards_warning_id"), ["warning_id"], unique=False)

    op.create_table(
        "warning_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["division_code"],
            ["divisions.code"],
            name=op.f("fk_warning_actions_division_code_divisions"),
        ),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warning_actions_warning_id_warnings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_actions")),
    )
    with op.batch_alter_table("warning_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_warning_actions_division_code"), ["division_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_warning_actions_warning_id"), ["warning_id"], unique=False
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_next_check_at"), ["next_check_at"], unique=False)

    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalate_after_hours", sa.Integer(), nullable=True))

    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_code", sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column("officer", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("handled_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rectify_by", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("escalate_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("escalations", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("attention_code", sa.String(length=12), nullable=True))
        batch_op.drop_index("uq_warnings_open_rule_case", sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index(
            batch_op.f("ix_warnings_attention_code"), ["attention_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_warnings_department_code"), ["department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_warnings_escalate_at"), ["escalate_at"], unique=False)
        batch_op.create_index(
            "uq_warnings_live_rule_case",
            ["rule_id", "case_number"],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
    op.execute(
        "UPDATE warnings SET department_code = (SELECT d.code FROM cases c "
        "JOIN departments d ON d.id = c.department_id WHERE c.number = warnings.case_number)"
    )
    # every existing case is looked at by the first worker pass, which then keeps its own
    # next check: without this, idle cases of an upgraded database would never fall due
    op.execute("UPDATE cases SET next_check_at = CURRENT_TIMESTAMP")

    if postgres.is_postgres():
        postgres.grant_tables("notifications", *TENANT_TABLES)
        for table in TENANT_TABLES:
            postgres.enable_tenant_rls(table)


def downgrade() -> None:
    if postgres.is_postgres():
        for table in TENANT_TABLES:
            postgres.disable_tenant_rls(table)
    # the old statuses know no rectification: it reads as confirmed
    op.execute(
        "UPDATE warnings SET status = 'CONFIRMED' WHERE status IN ('RECTIFYING', 'RECTIFIED')"
    )
    with op.batch_alter_table("warnings", schema=None) as batch_op:
        batch_op.drop_index("uq_warnings_live_rule_case", sqlite_where=LIVE, postgresql_where=LIVE)
        batch_op.drop_index(batch_op.f("ix_warnings_escalate_at"))
        batch_op.drop_index(batch_op.f("ix_warnings_department_code"))
        batch_op.drop_index(batch_op.f("ix_warnings_attention_code"))
        batch_op.create_index(
            "uq_warnings_open_rule_case",
            ["rule_id", "case_number"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )
        batch_op.drop_column("attention_code")
        batch_op.drop_column("escalations")
        batch_op.drop_column("escalate_at")
        batch_op.drop_column("rectify_by")
        batch_op.drop_column("reason")
        batch_op.drop_column("handled_at")
        batch_op.drop_column("handled_by")
        batch_op.drop_column("officer")
        batch_op.drop_column("department_code")

    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.drop_column("escalate_after_hours")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_next_check_at"))
        batch_op.drop_column("next_check_at")

    with op.batch_alter_table("warning_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_actions_warning_id"))
        batch_op.drop_index(batch_op.f("ix_warning_actions_division_code"))

    op.drop_table("warning_actions")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cards_warning_id"))
        batch_op.drop_index(batch_op.f("ix_cards_issued_at"))
        batch_op.drop_index(batch_op.f("ix_cards_division_code"))
        batch_op.drop_index(batch_op.f("ix_cards_department_code"))

    op.drop_table("cards")
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhooks_division_code"))

    op.drop_table("webhooks")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_due")
        batch_op.drop_index(batch_op.f("ix_notifications_division_code"))

    op.drop_table("notifications")
