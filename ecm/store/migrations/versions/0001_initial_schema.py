"""Initial schema: geography, catalogue, observations, provenance, plans, audit and users.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("scope_level", sa.String(length=10), nullable=False),
        sa.Column("scope_code", sa.String(length=12), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_record", ["table_name", "record_id"], unique=False)

    op.create_table(
        "import_batch",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column(
            "imported_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("rows_loaded", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("licence", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_checksum"), ["checksum"], unique=False)

    op.create_table(
        "outcome",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "pupil_group",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("comparator_code", sa.String(length=30), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comparator_code"],
            ["pupil_group.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "region",
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("country_code", sa.String(length=9), nullable=False),
        sa.Column("fictional", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "aim",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("outcome_code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_code"],
            ["outcome.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "local_authority",
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("old_code", sa.String(length=3), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=9), nullable=True),
        sa.Column("deprivation_score", sa.Float(), nullable=True),
        sa.Column("fictional", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["region.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("old_code"),
    )
    with op.batch_alter_table("local_authority", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_local_authority_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "indicator",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("outcome_code", sa.String(length=30), nullable=False),
        sa.Column("aim_code", sa.String(length=30), nullable=False),
        sa.Column("ni_number", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("multiplier", sa.Float(), nullable=False),
        sa.Column("statistic", sa.String(length=12), nullable=False),
        sa.Column("polarity", sa.String(length=20), nullable=False),
        sa.Column("levels", sa.String(length=40), nullable=False),
        sa.Column("phases", sa.String(length=40), nullable=True),
        sa.Column("period_type", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "polarity IN ('higher_is_better', 'lower_is_better', 'neither')",
            name="ck_indicator_polarity",
        ),
        sa.CheckConstraint(
            "statistic IN ('proportion', 'rate', 'mean', 'count')", name="ck_indicator_statistic"
        ),
        sa.ForeignKeyConstraint(
            ["aim_code"],
            ["aim.code"],
        ),
        sa.ForeignKeyConstraint(
            ["outcome_code"],
            ["outcome.code"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_outcome_code"), ["outcome_code"], unique=False
        )

    op.create_table(
        "plan",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("la_code", sa.String(length=9), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_label", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["la_code"],
            ["local_authority.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("la_code", "period_label", name="uq_plan_la_period"),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_la_code"), ["la_code"], unique=False)

    op.create_table(
        "school",
        sa.Column("urn", sa.String(length=8), nullable=False),
        sa.Column("laestab", sa.String(length=7), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("la_code", sa.String(length=9), nullable=True),
        sa.Column("phase", sa.String(length=30), nullable=True),
        sa.Column("school_type", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=True),
        sa.Column("number_on_roll", sa.Integer(), nullable=True),
        sa.Column("percent_fsm", sa.Float(), nullable=True),
        sa.Column("fictional", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["la_code"],
            ["local_authority.code"],
        ),
        sa.PrimaryKeyConstraint("urn"),
    )
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_la_code"), ["la_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_school_laestab"), ["laestab"], unique=False)

    op.create_table(
        "statistical_neighbour",
        sa.Column("la_code", sa.String(length=9), nullable=False),
        sa.Column("neighbour_code", sa.String(length=9), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["la_code"],
            ["local_authority.code"],
        ),
        sa.ForeignKeyConstraint(
            ["neighbour_code"],
            ["local_authority.code"],
        ),
        sa.PrimaryKeyConstraint("la_code", "neighbour_code"),
    )
    op.create_table(
        "observation",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("area_code", sa.String(length=12), nullable=False),
        sa.Column("group_code", sa.String(length=30), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("lower_ci", sa.Float(), nullable=True),
        sa.Column("upper_ci", sa.Float(), nullable=True),
        sa.Column("marker", sa.String(length=12), nullable=True),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.CheckConstraint(
            "level IN ('school', 'la', 'region', 'england')", name="ck_observation_level"
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["group_code"],
            ["pupil_group.code"],
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicator.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "level", "area_code", "indicator_code", "group_code", "period", name="uq_observation"
        ),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_observation_indicator",
            ["indicator_code", "period", "level", "group_code"],
            unique=False,
        )

    op.create_table(
        "priority",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("outcome_code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_code"],
            ["outcome.code"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priority_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "action",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("plan_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "priority_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("outcome_code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("lead_partner", sa.String(length=100), nullable=False),
        sa.Column("contributing_partners", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("scope", sa.String(length=12), nullable=False),
        sa.Column("scope_detail", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "status IN ('not_started', 'on_track', 'at_risk', 'off_track', 'complete')",
            name="ck_action_status",
        ),
        sa.ForeignKeyConstraint(
            ["outcome_code"],
            ["outcome.code"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.ForeignKeyConstraint(
            ["priority_id"],
            ["priority.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "action_school",
        sa.Column(
            "action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("urn", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
        ),
        sa.ForeignKeyConstraint(
            ["urn"],
            ["school.urn"],
        ),
        sa.PrimaryKeyConstraint("action_id", "urn"),
    )
    op.create_table(
        "action_spend",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("partner", sa.String(length=100), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "partner", "financial_year", name="uq_action_spend"),
    )
    with op.batch_alter_table("action_spend", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_spend_action_id"), ["action_id"], unique=False)

    op.create_table(
        "action_target",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "action_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("group_code", sa.String(length=30), nullable=False),
        sa.Column("baseline_period", sa.String(length=20), nullable=True),
        sa.Column("baseline_gap", sa.Float(), nullable=True),
        sa.Column("target_gap", sa.Float(), nullable=True),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_period", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
        ),
        sa.ForeignKeyConstraint(
            ["group_code"],
            ["pupil_group.code"],
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicator.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_target_action_id"), ["action_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("action_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_target_action_id"))

    op.drop_table("action_target")
    with op.batch_alter_table("action_spend", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_spend_action_id"))

    op.drop_table("action_spend")
    op.drop_table("action_school")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plan_id"))

    op.drop_table("action")
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_plan_id"))

    op.drop_table("priority")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_indicator")
        batch_op.drop_index(batch_op.f("ix_observation_batch_id"))

    op.drop_table("observation")
    op.drop_table("statistical_neighbour")
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_laestab"))
        batch_op.drop_index(batch_op.f("ix_school_la_code"))

    op.drop_table("school")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_la_code"))

    op.drop_table("plan")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_outcome_code"))

    op.drop_table("indicator")
    with op.batch_alter_table("local_authority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_authority_region_code"))

    op.drop_table("local_authority")
    op.drop_table("aim")
    op.drop_table("region")
    op.drop_table("pupil_group")
    op.drop_table("outcome")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_checksum"))

    op.drop_table("import_batch")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_record")

    op.drop_table("audit_log")
    op.drop_table("app_user")
