"""terms versions with an effective date

Revision ID: 0019_terms_versions
Revises: 0018_cancellation
Create Date: 2026-12-01 20:20:00

terms_versions gains effective_from (the moment a version comes into force: 00:00 JST of the day an
administrator chose) and created_by_user_id. Until now the newest row was the one in force, so each
existing row takes effect when it was created: backfilled with created_at, which keeps the same
version in force.
"""
from alembic import op
import sqlalchemy as sa

import db.types

revision = '0019_terms_versions'
down_revision = '0018_cancellation'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    with op.batch_alter_table('terms_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_from', db.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('created_by_user_id', _ID, nullable=True))
    op.execute("UPDATE terms_versions SET effective_from = created_at")
    with op.batch_alter_table('terms_versions', schema=None) as batch_op:
        batch_op.alter_column('effective_from', existing_type=db.types.UTCDateTime(timezone=True), nullable=False)
        batch_op.create_foreign_key('fk_terms_versions_created_by_user_id_users', 'users',
                                    ['created_by_user_id'], ['id'])
        batch_op.create_index('ix_terms_versions_effective', ['effective_from', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('terms_versions', schema=None) as batch_op:
        batch_op.drop_index('ix_terms_versions_effective')
        batch_op.drop_constraint('fk_terms_versions_created_by_user_id_users', type_='foreignkey')
        batch_op.drop_column('created_by_user_id')
        batch_op.drop_column('effective_from')
