"""review: application_industries, one row per 業種 of an application, for the 業種 filter

Revision ID: 0007_review_industries
Revises: 0006_review_open_queue
Create Date: 2026-11-26 07:50:00

applications.industries ("|a|b|") stays: the queue shows it and the open queue's covering index
filters on it. A LIKE over it cannot use an index, so a rare 業種 over all statuses read every row;
this table with its (industry, application_id) index finds those rows directly. Filled here from the
existing text; afterwards by the model (Application's validator on `industries`).
"""
from alembic import op
import sqlalchemy as sa

revision = '0007_review_industries'
down_revision = '0006_review_open_queue'
branch_labels = None
depends_on = None

BATCH = 5000
applications = sa.table("applications", sa.column("id", sa.Integer), sa.column("industries", sa.String))


def _backfill(links: sa.Table) -> None:
    conn = op.get_bind()
    last_id = 0
    while True:
        rows = conn.execute(sa.select(applications.c.id, applications.c.industries)
                            .where(applications.c.id > last_id).order_by(applications.c.id).limit(BATCH)).all()
        if not rows:
            return
        values = [{"application_id": r.id, "industry": industry}
                  for r in rows for industry in dict.fromkeys((r.industries or "").split("|")) if industry]
        if values:
            conn.execute(links.insert(), values)
        last_id = rows[-1].id


def upgrade() -> None:
    links = op.create_table(
        "application_industries",
        sa.Column("application_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("industry", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("application_id", "industry"),
    )
    _backfill(links)
    op.create_index("ix_application_industries_industry", "application_industries", ["industry", "application_id"])


def downgrade() -> None:
    op.drop_index("ix_application_industries_industry", "application_industries")
    op.drop_table("application_industries")
