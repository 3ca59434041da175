"""The Alembic revisions and db/models.py describe the same schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.engine import get_engine
from db.models import Base
from services.desk.duplicates import SCREEN_VALUE_INDEXES
from services.desk.partial import NGRAM_TABLE

POSTGRES_ONLY_INDEXES = {  # built by migrations only (not expressible for SQLite in the models)
    "ix_applicants_kana_prefix", "ix_applicants_phone_prefix", "ix_applicants_email_prefix",
    "ix_applicants_name_search_trgm", "ix_applicants_company_search_trgm",
    "ix_applicants_name_short_grams", "ix_applicants_company_short_grams",  # 0021_short_search
    # JSON expression indexes, written per dialect by 0018_cancellation (SQLite's are not reflected)
    *SCREEN_VALUE_INDEXES,
}


def _relevant(diff) -> bool:
    op = diff[0] if isinstance(diff, tuple) else diff[0][0]
    if op in ("remove_index",):
        return diff[1].name not in POSTGRES_ONLY_INDEXES
    if op == "remove_table":  # SQLite's FTS5 table of 0021_short_search and its shadow tables
        return not diff[1].name.startswith(NGRAM_TABLE)
    return True


def test_migrated_schema_matches_the_models(db):
    engine = get_engine(db)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = [d for d in compare_metadata(ctx, Base.metadata) if _relevant(d)]
    assert diffs == []


def test_every_model_table_exists(db):
    tables = set(inspect(get_engine(db)).get_table_names())
    assert set(Base.metadata.tables) <= tables
