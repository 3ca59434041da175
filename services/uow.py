"""The unit of work: one transaction per user action (cosmicpython's shape).

A use case takes `uow: UnitOfWork | None = None` and runs `with (uow or UnitOfWork()) as u:`; it
commits with `u.commit()`. Anything not committed is rolled back when the outermost `with` ends.

Entering a unit of work that is already open nests: the inner `commit()` only flushes, and the
outermost owner decides. That is how demo seeding (or a test) runs several real use cases inside
one transaction without `_in` twins.

`commit()` and `flush()` turn SQLAlchemy's stale-row error (a version column that moved under us:
two people at once) into the domain's `StaleData`, here and nowhere else. Work that must happen only
once the data is durable (sending mail) is registered with `after_commit()` during the transaction
and runs after the outermost commit; a rollback drops it.
"""
from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from sqlalchemy import CursorResult, Executable, insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.engine import session_factory
from services.errors import NotFound, StaleData

_HOOKS_KEY = "nss_after_commit"
T = TypeVar("T")
M = TypeVar("M")


class UnitOfWork:
    def __init__(self, url: str | None = None) -> None:
        self._url = url
        self._depth = 0
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._depth == 0:
            self._session = session_factory(self._url)()
        self._depth += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        session, self._session = self.session, None
        try:
            if session.in_transaction():
                session.rollback()
        finally:
            session.info.pop(_HOOKS_KEY, None)
            session.close()

    @property
    def nested(self) -> bool:
        """True inside a use case called by another one that owns the transaction."""
        return self._depth > 1

    def flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError as exc:
            raise StaleData() from exc

    def commit(self) -> None:
        if self.nested:
            self.flush()
            return
        try:
            self.session.commit()
        except StaleDataError as exc:
            raise StaleData() from exc
        hooks = self.session.info.pop(_HOOKS_KEY, [])
        for hook in hooks:
            hook()

    def rollback(self) -> None:
        self.session.rollback()
        self.session.info.pop(_HOOKS_KEY, None)

    def after_commit(self, hook: Callable[[], None]) -> None:
        after_commit(self.session, hook)


def after_commit(session: Session, hook: Callable[[], None]) -> None:
    """Run `hook` once after the unit of work that owns `session` commits (each hook at most once)."""
    hooks: list[Callable[[], None]] = session.info.setdefault(_HOOKS_KEY, [])
    if hook not in hooks:
        hooks.append(hook)


def retry_stale_once(uow: UnitOfWork | None, work: Callable[[UnitOfWork], T]) -> T:
    """Runs `work` in its own unit of work and tries once more if it lost a race on a version column.

    For saves where a concurrent change of a *sibling* row moves the shared version (the caller's own
    version check then decides on the second try). Inside a caller's unit of work there is nothing to
    retry: the owner's transaction is the one that lost.
    """
    if uow is not None:
        return work(uow)
    for attempt in (1, 2):
        try:
            return work(UnitOfWork())
        except StaleData:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def insert_rows(session: Session, model: type, rows: list[dict]) -> None:
    """Many rows that nothing reads back, in one executemany on the model's table (Core). The ORM's
    bulk `insert(Model)` prepares every row in Python (~0.25 ms each: ~1 s of the demo seed's ~4,000
    screens and history rows). Pending objects are flushed first, as a query would (foreign keys)."""
    if rows:
        session.flush()
        session.connection().execute(insert(model.__table__), rows)  # type: ignore[attr-defined]


def get_or_raise(session: Session, model: type[M], ident: object, *, with_for_update: bool = False) -> M:
    """The `model` row with primary key `ident`; `NotFound` when there is none.

    The one way a use case loads a row it was asked for by id, so a missing row is a refusal the
    page can word, never an `AttributeError` on `None`.
    """
    row = session.get(model, ident, with_for_update=with_for_update)
    if row is None:
        raise NotFound()
    return row


def rows_matched(session: Session, statement: Executable) -> int:
    """Runs an UPDATE or DELETE in the session and returns how many rows its WHERE matched."""
    result = session.execute(statement)
    # Session.execute is typed for SELECTs; a DML statement without RETURNING always yields a cursor result.
    assert isinstance(result, CursorResult), "an UPDATE/DELETE without RETURNING returns a CursorResult"
    return result.rowcount
