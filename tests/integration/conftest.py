"""Integration fixtures: for a migration tested on data stored before it, a fresh database per
backend (`fresh_url`) and `upgrade` / `downgrade` to a revision."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine

from db.migrate import alembic_config
from tests.conftest import _create_pg_database, _drop_pg_database


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
