"""review: the open queue's covering partial index again, led by 接続形態

Revision ID: 0008_review_open_queue_conn
Revises: 0007_review_industries
Create Date: 2026-11-26 08:10:00

A queue filtered on netNACCS / 一般 NACCS read every open entry of ix_app_open_queue to find its
own; led by connection_type, the index hands over only that part, in queue order.
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_review_open_queue_conn'
down_revision = '0007_review_industries'
branch_labels = None
depends_on = None

PREDICATE = "status IN ('SUBMITTED', 'IN_REVIEW')"  # as in 0006 and db.models.OPEN_QUEUE_PREDICATE


def upgrade() -> None:
    op.create_index("ix_app_open_queue_conn", "applications",
                    ["connection_type", "submitted_at", "id", "status", "kind", "assignee_id", "industries"],
                    sqlite_where=sa.text(PREDICATE), postgresql_where=sa.text(PREDICATE))


def downgrade() -> None:
    op.drop_index("ix_app_open_queue_conn", "applications")
