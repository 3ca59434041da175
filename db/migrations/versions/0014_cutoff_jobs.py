"""cut-off: when an approval was cancelled, and the background jobs' lock rows

Revision ID: 0014_cutoff_jobs
Revises: 0013_bulletin_board
Create Date: 2026-12-01 16:30:00

applicants.cancelled_at records when the system-settings cut-off (services/cutoff.py, SPEC §2.5a)
cancelled an office's approval. job_locks holds one row per background job (services/jobs.py):
a server runs a job only after claiming its row with an UPDATE, so several servers never run it
at once.
"""
from alembic import op
import sqlalchemy as sa
import db.types

revision = '0014_cutoff_jobs'
down_revision = '0013_bulletin_board'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_locks',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=32), nullable=True),
    sa.Column('locked_until', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_started_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_finished_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_result', sa.Text(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_applicants_cancelled_at'), ['cancelled_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applicants_cancelled_at'))
        batch_op.drop_column('cancelled_at')
    op.drop_table('job_locks')
