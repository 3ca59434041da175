"""Migration 0005_desk_search fills the normalised name columns of applicants already stored."""
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from tests.integration.conftest import upgrade

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def test_existing_applicants_get_their_search_columns(fresh_url):
    upgrade(fresh_url, "0004_review")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO terms_versions (id, version, body, created_at) VALUES (1, '1', 'x', :now)"),
                     {"now": NOW})
        conn.execute(text(
            "INSERT INTO applicants (id, temp_login_id, status, contact_name, contact_kana, company_name, phone,"
            " phone_digits, email, email_lower, terms_version_id, terms_agreed_at, terms_agreed_via, issued_at,"
            " temp_expires_at, is_demo) VALUES (1, 'T222222222', 'TEMP_REGISTERED', 'ＴＡＲＯ　Ｙａｍａｄａ',"
            " 'タロウ', 'ＡＢＣ商事', '03', '03', 'a@b.jp', 'a@b.jp', 1, :now, 'WEB', :now, :now, false)"),
            {"now": NOW})
    engine.dispose()
    upgrade(fresh_url, "head")
    engine = create_engine(fresh_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT contact_name_search, company_name_search FROM applicants")).one()
    engine.dispose()
    assert tuple(row) == ("taro yamada", "abc商事")
