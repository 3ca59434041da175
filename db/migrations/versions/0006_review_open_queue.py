"""review: covering partial index of the open queue (申込受付/審査中)

Revision ID: 0006_review_open_queue
Revises: 0005_desk_search
Create Date: 2026-11-26 07:40:00

Open applications are the newest few percent of a table that keeps every decided one. Walking
ix_app_submitted oldest first met two years of decided rows before the first open one (0.6 s at
1,000,000 on PostgreSQL). This index holds the open rows only, in queue order, with the columns the
queue filters on, so the typical queue page and its capped count never read the table.
"""
from alembic import op
import sqlalchemy as sa

revision = '0006_review_open_queue'
down_revision = '0005_desk_search'
branch_labels = None
depends_on = None

# The same literal text as db.models.OPEN_QUEUE_PREDICATE (a migration must not change with the models).
PREDICATE = "status IN ('SUBMITTED', 'IN_REVIEW')"


def upgrade() -> None:
    op.create_index("ix_app_open_queue", "applications",
                    ["submitted_at", "id", "status", "connection_type", "kind", "assignee_id", "industries"],
                    sqlite_where=sa.text(PREDICATE), postgresql_where=sa.text(PREDICATE))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE applications")


def downgrade() -> None:
    op.drop_index("ix_app_open_queue", "applications")
