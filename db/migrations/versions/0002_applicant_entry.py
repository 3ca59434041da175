"""applicant entry: submission token of the temporary-account form (double-click guard)

Revision ID: 0002_applicant_entry
Revises: 0001
Create Date: 2026-11-26 06:22:21.742682
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_applicant_entry'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_token', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_applicants_submission_token', ['submission_token'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('applicants', schema=None) as batch_op:
        batch_op.drop_index('ix_applicants_submission_token')
        batch_op.drop_column('submission_token')
