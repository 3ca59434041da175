"""system settings: the 利用者コード a システム設定申込 is for, and the items it registered (○/×)

Revision ID: 0012_system_settings
Revises: 0011_company_name
Create Date: 2026-12-01 16:45:00

A システム設定申込 registers the settings of one 利用者コード: its 名称 and one tab per 業種. When
it is approved, each registered item becomes a ○ in 契約内容確認's table; a 利用者コード is
complete (user_codes.settings_completed_at) when it has no × left.
"""
from alembic import op
import sqlalchemy as sa

import db.types

revision = '0012_system_settings'
down_revision = '0011_company_name'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite accepts a REFERENCES clause on a nullable column): rebuilding
    # applications in batch mode would trip the foreign keys that point at it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE applications ADD COLUMN user_code_id INTEGER REFERENCES user_codes (id)")
    else:
        op.add_column("applications", sa.Column("user_code_id", _ID, nullable=True))
        op.create_foreign_key("fk_applications_user_code", "applications", "user_codes", ["user_code_id"], ["id"])
    op.create_index("ix_applications_user_code_id", "applications", ["user_code_id"])
    op.create_table(
        "system_settings_registrations",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("user_code_id", _ID, sa.ForeignKey("user_codes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item", sa.String(40), nullable=False),
        sa.Column("application_id", _ID, sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("registered_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_code_id", "item"),
    )
    op.create_index("ix_system_settings_registrations_user_code_id", "system_settings_registrations",
                    ["user_code_id"])


def downgrade() -> None:
    op.drop_index("ix_system_settings_registrations_user_code_id", "system_settings_registrations")
    op.drop_table("system_settings_registrations")
    op.drop_index("ix_applications_user_code_id", "applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("user_code_id")
