"""cancellation: the date an approved 解約申込 takes effect, and retired 利用者コード

Revision ID: 0018_cancellation
Revises: 0017_change_applications
Create Date: 2026-12-01 20:30:00

applications.effective_date: the 解約日 of an approved 解約申込 (from 00:00 JST of that day the
office, or the one 利用者コード, is cancelled by the job services.jobs "contract_cancellation").
user_codes.retired_at: when a single-code 解約申込 retired the 利用者コード (it is never reused,
it stays readable as 解約 on 契約内容確認, and the ○/× table and the guidance leave it out).

Expression indexes on the 事業所・企業 screen's 法人番号 and addresses (application_sections.data),
written exactly as services.desk.duplicates._ScreenValue compiles them: the routing help (an
existing office with the same 法人番号 or address: a 変更申込 or 共同利用 may be what is wanted)
and the desk's duplicate flag look them up on every new temporary account and application.
"""
from alembic import op
import sqlalchemy as sa

import db.types

revision = '0018_cancellation'
down_revision = '0017_change_applications'
branch_labels = None
depends_on = None


SCREEN_VALUES = {"ix_sections_corporate_number": "corporate_number",
                 "ix_sections_head_office_address": "head_office_address",
                 "ix_sections_office_address": "office_address"}


def _expression(dialect: str, key: str) -> str:
    return f"(data ->> '{key}')" if dialect == "postgresql" else f"json_extract(data, '$.{key}')"


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("effective_date", sa.Date, nullable=True))
        batch.create_index("ix_app_kind_status_effective", ["kind", "status", "effective_date"])
    with op.batch_alter_table("user_codes") as batch:
        batch.add_column(sa.Column("retired_at", db.types.UTCDateTime(timezone=True), nullable=True))
    dialect = op.get_bind().dialect.name
    for name, key in SCREEN_VALUES.items():
        op.execute(f"CREATE INDEX {name} ON application_sections ({_expression(dialect, key)})")


def downgrade() -> None:
    for name in SCREEN_VALUES:
        op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table("user_codes") as batch:
        batch.drop_column("retired_at")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_app_kind_status_effective")
        batch.drop_column("effective_date")
