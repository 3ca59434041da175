"""review: the 企業名 of 事業所・企業 on the application, and the reviewer's own items by date

Revision ID: 0011_company_name
Revises: 0010_rate_limits
Create Date: 2026-12-01 13:40:00

The queue and the detail showed the 会社名 typed for the temporary account; the reviewer needs the
企業名 entered on 事業所・企業. It lives in the screen's JSON, so the queue would parse JSON per row:
applications.company_name holds it (the wizard's save keeps it current), backfilled here from the
stored screens. The "mine" view (assignee = me, oldest first) gets an index in its own order.
"""
from alembic import op
import sqlalchemy as sa

revision = '0011_company_name'
down_revision = '0010_rate_limits'
branch_labels = None
depends_on = None

# The office screen's key and field, as stored (services.application.sections.OFFICE): literal here,
# a migration must not change with the code.
_FROM_SCREEN = {
    "sqlite": "json_extract(s.data, '$.company_name')",
    "postgresql": "(s.data ->> 'company_name')",
}


def upgrade() -> None:
    op.add_column("applications", sa.Column("company_name", sa.String(100), nullable=True))
    bind = op.get_bind()
    typed = _FROM_SCREEN[bind.dialect.name]
    # Blank or spaces only counts as not entered (the queue then shows the temporary account's 会社名).
    op.execute(f"""
        UPDATE applications SET company_name = (
            SELECT NULLIF(TRIM(SUBSTR({typed}, 1, 100)), '')
            FROM application_sections s
            WHERE s.application_id = applications.id AND s.section_key = 'office')
        WHERE EXISTS (SELECT 1 FROM application_sections s
                      WHERE s.application_id = applications.id AND s.section_key = 'office')""")
    op.create_index("ix_app_assignee_submitted", "applications", ["assignee_id", "submitted_at", "id"])
    if bind.dialect.name == "postgresql":
        op.execute("ANALYZE applications")


def downgrade() -> None:
    op.drop_index("ix_app_assignee_submitted", "applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("company_name")
