"""Migration 0021_short_search: applicants stored before it are found by one- and two-character
words after it; it goes down and up again cleanly, on both backends."""
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from services.desk import query as q
from services.desk.search import ids_select
from tests.integration.conftest import downgrade, upgrade

NOW = datetime(2026, 12, 1, tzinfo=UTC)
INSERT = text(
    "INSERT INTO applicants (id, temp_login_id, status, contact_name, contact_kana, company_name, phone,"
    " phone_digits, email, email_lower, terms_version_id, terms_agreed_at, terms_agreed_via, issued_at,"
    " temp_expires_at, is_demo, contact_name_search, company_name_search) VALUES (:id, :login, 'TEMP_REGISTERED',"
    " '山田 太郎', 'ヤマダ', :company, '03', '03', 'a@b.jp', 'a@b.jp', 1, :now, 'WEB', :now, :now, false,"
    " '山田 太郎', :company_key)")
OBJECTS = {  # what the migration creates, per backend
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE name LIKE 'applicant%ngrams%'",
    "postgresql": "SELECT (SELECT count(*) FROM pg_proc WHERE proname = 'nss_short_grams')"
                  " + (SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%short_grams')",
}


def _found(url: str, word: str, field: str) -> list[int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = list(conn.scalars(ids_select(q.parse(word, field), engine.dialect.name)))
    engine.dispose()
    return ids


def _run(url: str, sql, **params):
    engine = create_engine(url)
    with engine.begin() as conn:
        result = conn.execute(sql, params)
        value = result.scalar() if result.returns_rows else None
    engine.dispose()
    return value


def test_stored_rows_are_found_and_the_migration_goes_down_and_up(fresh_url):
    upgrade(fresh_url, "0020_perf_indexes")
    _run(fresh_url, text("INSERT INTO terms_versions (id, version, body, created_at, effective_from) VALUES (1, '1', 'x', :now, :now)"),
         now=NOW)
    _run(fresh_url, INSERT, id=1, login="T222222222", company="abc物流", company_key="abc物流", now=NOW)
    upgrade(fresh_url, "0021_short_search")
    assert _found(fresh_url, "物流", q.COMPANY) == [1]
    assert _found(fresh_url, "流", q.COMPANY) == [1]
    assert _found(fresh_url, "田", q.NAME) == [1]
    assert _found(fresh_url, "物流", q.NAME) == []
    dialect = create_engine(fresh_url).dialect.name
    created = _run(fresh_url, text(OBJECTS[dialect]))
    # SQLite: the FTS5 table, its 4 shadow tables, 3 triggers; PostgreSQL: the function, 2 indexes
    assert created == (8 if dialect == "sqlite" else 3)

    downgrade(fresh_url, "0020_perf_indexes")
    assert _run(fresh_url, text(OBJECTS[dialect])) == 0
    _run(fresh_url, INSERT, id=2, login="T333333333", company="通関", company_key="通関", now=NOW)  # no trigger left behind

    upgrade(fresh_url, "head")
    assert _found(fresh_url, "通関", q.AUTO) == [2]
