"""Test fixtures: databases on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL.

On CI (CI=true) a missing or unreachable PostgreSQL is a failure, never a skip.
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("NSS_BCRYPT_ROUNDS", "4")  # fast hashing in tests; production uses 12
os.environ["NSS_COOKIE_KEY"] = "test-cookie-key-" + "k7Qz9xW2pL4mN8vB3cR6tY1uH5jD0aS"
os.environ.pop("SMTP_HOST", None)
# No background job thread in app servers started by tests (AppTest, e2e): a test runs jobs itself.
os.environ["NSS_JOBS_BACKGROUND"] = "0"

import config
from db.engine import dispose_all, get_engine
from db.migrate import upgrade
from db.models import Base

ON_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url and ON_CI:
        pytest.fail("CI must set TEST_DATABASE_URL")
    return url


def _create_pg_database() -> tuple[str, str]:
    admin_url = _postgres_admin_url()
    if not admin_url:
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL tests skipped on this machine")
    name = f"nss_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as exc:
        pytest.fail(f"cannot reach PostgreSQL at TEST_DATABASE_URL: {exc}")
    return admin_url, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(admin_url: str, url: str) -> None:
    dispose_all()
    name = make_url(url).database
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend_url(request, tmp_path_factory):
    """A migrated database per backend for the whole run; tests empty it between cases."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(get_engine(url))
        yield url
        return
    admin_url, url = _create_pg_database()
    upgrade(get_engine(url))
    yield url
    _drop_pg_database(admin_url, url)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('db1') / 'unit.db'}"
    upgrade(get_engine(url))
    return url


def _empty_all_tables(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as conn:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            # applications and user_codes point at each other: check the keys once, at commit.
            conn.execute(text("PRAGMA defer_foreign_keys=ON"))
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))


def _use_database(url: str, monkeypatch, tmp_path) -> str:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NSS_DEMO", "0")
    config.settings.cache_clear()
    _empty_all_tables(url)
    import streamlit as st
    st.cache_data.clear()  # figures a page kept (ui.review_figures) belong to the emptied tables
    from services import reference_data
    reference_data.clear_caches()  # this process's copy of the emptied reference lists
    from services.bootstrap import ensure_terms
    ensure_terms()
    return url


@pytest.fixture
def db(backend_url, monkeypatch, tmp_path):
    """An empty, migrated database on each backend (SQLite always, PostgreSQL when configured)."""
    url = _use_database(backend_url, monkeypatch, tmp_path)
    yield url
    config.settings.cache_clear()


@pytest.fixture
def sqlite_db(sqlite_url, monkeypatch, tmp_path):
    """An empty, migrated SQLite database (tests that need one backend only)."""
    url = _use_database(sqlite_url, monkeypatch, tmp_path)
    yield url
    config.settings.cache_clear()


@pytest.fixture
def smtp(monkeypatch):
    """A running SMTP server; the app is configured to send to it."""
    from tests.smtp_server import SmtpServer
    with SmtpServer() as server:
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(server.port))
        config.settings.cache_clear()
        yield server.inbox
    config.settings.cache_clear()
