"""desk: search indexes for finding a caller on PostgreSQL

Revision ID: 0002_desk
Revises: 0001
Create Date: 2026-11-26 06:50:00

PostgreSQL only. With a non-"C" collation a plain B-tree cannot serve `LIKE 'x%'`, so the prefix
searches get their own indexes: phone digits and mail with text_pattern_ops, kana as COLLATE "C"
(code-point order is 五十音 order for katakana, so the same index also sorts the results); partial
name/company search gets pg_trgm GIN indexes. SQLite needs nothing: services/desk/search.py searches prefixes there as ranges
on the existing BINARY indexes, and partial matches scan (measured in bench/bench_desk_search.py).
The indexes are not in db/models.py because SQLite cannot build them.
"""
from alembic import op

revision = '0002_desk'
down_revision = '0001'
branch_labels = None
depends_on = None

_PREFIX_INDEXES = {
    "ix_applicants_kana_prefix": '(contact_kana COLLATE "C")',
    "ix_applicants_phone_prefix": "phone_digits text_pattern_ops",
    "ix_applicants_email_prefix": "email_lower text_pattern_ops",
}
_TRIGRAM_INDEXES = {
    "ix_applicants_name_trgm": "contact_name",
    "ix_applicants_company_trgm": "company_name",
}


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgres():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, key in _PREFIX_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applicants ({key})")
    for name, column in _TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applicants USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    if not _is_postgres():
        return
    for name in [*_PREFIX_INDEXES, *_TRIGRAM_INDEXES]:
        op.execute(f"DROP INDEX IF EXISTS {name}")
