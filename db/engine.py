"""One engine per database URL per process, with the SQLite settings every connection needs."""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler, SQLiteDialect
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.selectable import FromClause

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker] = {}


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class _HintingSQLiteCompiler(SQLiteCompiler):
    """SQLAlchemy renders `select.with_hint(..., dialect_name="sqlite")` nowhere by default. This
    compiler writes the hint after the table name, so a query can say `applications INDEXED BY ix_...`:
    SQLite never ANALYZEs on its own and without statistics it prefers any two-column equality index
    to a partial index that answers the whole query. Only statements that ask for a SQLite hint change."""

    def get_from_hint_text(self, table: FromClause, text: str | None) -> str | None:
        return text


SQLiteDialect.statement_compiler = _HintingSQLiteCompiler  # every SQLite engine, as before


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _resolve(url: str | None) -> str:
    if url is not None:
        return url
    from config import settings
    return settings().database_url


def get_engine(url: str | None = None) -> Engine:
    url = _resolve(url)
    with _lock:
        if url not in _engines:
            _engines[url] = make_engine(url)
            _factories[url] = sessionmaker(_engines[url], expire_on_commit=False)
        return _engines[url]


def session_factory(url: str | None = None) -> sessionmaker:
    url = _resolve(url)
    get_engine(url)
    return _factories[url]


def dispose_all() -> None:
    """Forget every engine (tests switch databases between cases)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _factories.clear()
