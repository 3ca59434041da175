"""desk search: normalised name columns (NFKC + casefold) with trigram indexes

Revision ID: 0005_desk_search
Revises: 0004_review
Create Date: 2026-11-26 07:00:29

The desk's partial name/company search compares db.search_text.search_key of the query with these
columns, so ＡＢＣ商事 is found by "abc" and ｶﾅ by カナ. Existing rows are filled here; new rows by
the model's validator. On PostgreSQL the pg_trgm indexes move from the raw names (no longer searched)
to these columns. SQLite keeps a '' server default because it cannot drop one without rebuilding
the table (which the users → applicants foreign key makes risky); the ORM always sets a value.
"""
from alembic import op
import sqlalchemy as sa

from db.search_text import search_key

revision = '0005_desk_search'
down_revision = '0004_review'
branch_labels = None
depends_on = None

COLUMNS = {"contact_name_search": "contact_name", "company_name_search": "company_name"}
NEW_TRIGRAM = {"ix_applicants_name_search_trgm": "contact_name_search",
               "ix_applicants_company_search_trgm": "company_name_search"}
OLD_TRIGRAM = {"ix_applicants_name_trgm": "contact_name", "ix_applicants_company_trgm": "company_name"}
BATCH = 5000

applicants = sa.table("applicants", sa.column("id", sa.Integer), sa.column("contact_name", sa.String),
                      sa.column("company_name", sa.String), sa.column("contact_name_search", sa.Text),
                      sa.column("company_name_search", sa.Text))


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _backfill() -> None:
    conn = op.get_bind()
    last_id = 0
    while True:
        rows = conn.execute(sa.select(applicants.c.id, applicants.c.contact_name, applicants.c.company_name)
                            .where(applicants.c.id > last_id).order_by(applicants.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(applicants.update().where(applicants.c.id == sa.bindparam("row_id")).values(
            contact_name_search=sa.bindparam("name_key"), company_name_search=sa.bindparam("company_key")),
            [{"row_id": r.id, "name_key": search_key(r.contact_name), "company_key": search_key(r.company_name)}
             for r in rows])
        last_id = rows[-1].id


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("applicants", sa.Column(column, sa.Text(), nullable=False, server_default=""))
    _backfill()
    # SQLite scans these smaller covering indexes for a partial match instead of the table.
    op.create_index("ix_applicants_name_search", "applicants", ["contact_name_search"])
    op.create_index("ix_applicants_company_search", "applicants", ["company_name_search"])
    if not _is_postgres():
        return
    for column in COLUMNS:
        op.alter_column("applicants", column, server_default=None)  # a writer that forgets fails loudly
    for name, column in NEW_TRIGRAM.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applicants USING gin ({column} gin_trgm_ops)")
    for name in OLD_TRIGRAM:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    if _is_postgres():
        for name, column in OLD_TRIGRAM.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON applicants USING gin ({column} gin_trgm_ops)")
        for name in NEW_TRIGRAM:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_index("ix_applicants_company_search", "applicants")
    op.drop_index("ix_applicants_name_search", "applicants")
    with op.batch_alter_table("applicants") as batch_op:
        for column in COLUMNS:
            batch_op.drop_column(column)
