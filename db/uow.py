"""Unit of work: one session per user action, rolled back unless the caller commits."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from db.engine import session_factory


@contextmanager
def uow(url: str | None = None) -> Iterator[Session]:
    session = session_factory(url)()
    try:
        yield session
    finally:
        # Anything not committed explicitly is discarded: a crash mid-action leaves nothing.
        if session.in_transaction():
            session.rollback()
        session.close()
