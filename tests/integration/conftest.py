"""Integration fixtures: the demo world seeded into the test database (`demo_on`); for a migration
tested on data stored before it, a fresh database per backend (`fresh_url`) and `upgrade` /
`downgrade` to a revision."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine

import config
from db.migrate import alembic_config
from services.demo import seeding
from tests.conftest import _create_pg_database, _drop_pg_database


@pytest.fixture
def demo_on(db, monkeypatch):
    """Demo mode on (NSS_DEMO=1) and the demo world seeded into the empty test database."""
    monkeypatch.setenv("NSS_DEMO", "1")
    config.settings.cache_clear()
    assert seeding.seed_if_empty()
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrate.db"
        return
    admin_url, url = _create_pg_database()
    yield url
    _drop_pg_database(admin_url, url)


def upgrade(url: str, target: str) -> None:
    _migrate(url, command.upgrade, target)


def downgrade(url: str, target: str) -> None:
    _migrate(url, command.downgrade, target)


def _migrate(url: str, step, target: str) -> None:
    engine = create_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        step(cfg, target)
    engine.dispose()
