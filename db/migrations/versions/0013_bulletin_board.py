"""掲示板: notices and downloadable files with versions

Revision ID: 0013_bulletin_board
Revises: 0012_system_settings
Create Date: 2026-12-01 16:40:00

board_notices are the board's notices (date, title, body, important); board_documents the files
offered for download (a survey form carries its form_key), each with its board_file_versions: a
new version retires the previous one. The survey forms themselves are generated and stored by
services.bootstrap.prepare (ensure_survey_forms), not here: a migration must not change with the code.
"""
from alembic import op
import sqlalchemy as sa
import db.types

revision = '0013_bulletin_board'
down_revision = '0012_system_settings'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('board_notices',
    sa.Column('id', _ID, nullable=False),
    sa.Column('posted_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('important', sa.Boolean(), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', _ID, nullable=True),
    sa.Column('retired_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_board_notices_posted', 'board_notices', ['posted_on', 'id'], unique=False)
    op.create_table('board_documents',
    sa.Column('id', _ID, nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form_key')
    )
    op.create_table('board_file_versions',
    sa.Column('id', _ID, nullable=False),
    sa.Column('document_id', _ID, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('published_at', db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_user_id', _ID, nullable=True),
    sa.Column('retired_at', db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['board_documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'version', name='uq_board_file_version')
    )


def downgrade() -> None:
    op.drop_table('board_file_versions')
    op.drop_table('board_documents')
    op.drop_index('ix_board_notices_posted', 'board_notices')
    op.drop_table('board_notices')
