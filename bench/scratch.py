"""Scratch databases for one benchmark run, and pointing the app's settings at one.

SQLite files live under bench/out/ (git-ignored); a Postgres database is created fresh and dropped
afterwards, the way tests/conftest.py does it.
"""
from __future__ import annotations

import os
import signal
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

OUT_DIR = Path(__file__).resolve().parent / "out"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgres")


def exit_cleanly_on_sigterm() -> None:
    """`kill <pid>` runs the `finally` blocks too, so scratch databases are dropped, not left behind."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_URL


def postgres_available() -> bool:
    try:
        engine = create_engine(postgres_admin_url())
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def reachable_backends(backends: list[str]) -> list[str]:
    """The asked-for backends, less PostgreSQL when it does not answer (said on the console)."""
    if "postgres" in backends and not postgres_available():
        print("PostgreSQL not reachable (BENCH_DATABASE_URL / TEST_DATABASE_URL): SQLite only")
        return [b for b in backends if b != "postgres"]
    return list(backends)


def sqlite_path(name: str) -> Path:
    return OUT_DIR / f"{name}.db"


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def scratch_database(backend: str, name: str, *, keep: bool = False, fresh: bool = True) -> Iterator[str]:
    """A new, empty database; yields its URL. SQLite files are kept when `keep` (for --reuse), and
    an existing one is used as it is when not `fresh`."""
    from db.engine import dispose_all
    if backend == "sqlite":
        path = sqlite_path(name)
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        if fresh:
            remove_sqlite(path)
        try:
            yield f"sqlite:///{path}"
        finally:
            dispose_all()
            if not keep:
                remove_sqlite(path)
        return
    admin_url = postgres_admin_url()
    db_name = f"nss_bench_{name}_{uuid.uuid4().hex[:8]}".lower()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    try:
        yield make_url(admin_url).set(database=db_name).render_as_string(hide_password=False)
    finally:
        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


def use_database(url: str) -> None:
    """Make services (a UnitOfWork without a URL) and pages use this database, as the app would."""
    import config
    from db.engine import dispose_all
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("NSS_DATA_DIR", tempfile.mkdtemp(prefix="nss-bench-data-"))
    os.environ["NSS_DEMO"] = "0"
    # A shared database requires an explicit cookie key; any long random value does for a bench.
    os.environ.setdefault("NSS_COOKIE_KEY", "bench-cookie-key-" + uuid.uuid4().hex + uuid.uuid4().hex)
    config.settings.cache_clear()
    dispose_all()
