"""Migration 0019_terms_versions: rows written before it take effect when they were created, so
the version in force does not change (the newest was the current one)."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from db.models import TermsVersion
from services import terms
from services.uow import UnitOfWork
from tests.integration.conftest import upgrade as _upgrade

WRITTEN = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_existing_versions_take_effect_when_they_were_created(fresh_url, monkeypatch):
    _upgrade(fresh_url, "0018_cancellation")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        for row_id, version, created in ((1, "1.0", WRITTEN), (2, "1.1", WRITTEN + timedelta(days=10))):
            conn.execute(text("INSERT INTO terms_versions (id, version, body, created_at) VALUES (:id, :v, 'b', :c)"),
                         {"id": row_id, "v": version, "c": created})
    engine.dispose()
    _upgrade(fresh_url, "0019_terms_versions")
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    import config
    config.settings.cache_clear()
    try:
        with UnitOfWork() as u:
            rows = {r.version: r for r in u.session.query(TermsVersion)}
            assert rows["1.0"].effective_from == WRITTEN and rows["1.0"].created_by_user_id is None
            assert rows["1.1"].effective_from == WRITTEN + timedelta(days=10)
            assert terms.in_force_at(u.session, WRITTEN + timedelta(days=5)).version == "1.0"
            assert terms.in_force_at(u.session, WRITTEN + timedelta(days=20)).version == "1.1"
    finally:
        config.settings.cache_clear()
