"""The open queue (申込受付/審査中) through its covering partial index db.models.OPEN_QUEUE_INDEX.

A partial index serves a query only when the query states the index's own predicate: PostgreSQL
proves it from the literal statuses, SQLite needs the same literal text (bound parameters never
match) and, having no statistics, is told to use the index with INDEXED BY.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, literal_column

from db.models import OPEN_QUEUE_BY_CONNECTION_INDEX, OPEN_QUEUE_INDEX, Application
from services.workflow import OPEN_FOR_REVIEW


def is_open() -> ColumnElement[bool]:
    """`applications.status IN ('SUBMITTED', 'IN_REVIEW')` with literal statuses (constants, not input)."""
    return Application.status.in_([literal_column(f"'{status}'") for status in OPEN_FOR_REVIEW])


def only_open(statuses: tuple[str, ...]) -> bool:
    """True when a status filter selects open applications only, so the open index holds every match."""
    return bool(statuses) and set(statuses) <= set(OPEN_FOR_REVIEW)


def via_open_index(stmt: Select, *, by_connection: bool = False) -> Select:
    """The statement must contain is_open() in its WHERE clause (SQLite refuses the hint otherwise).
    by_connection: the statement filters on one 接続形態, so the index led by it reads only that part."""
    index = OPEN_QUEUE_BY_CONNECTION_INDEX if by_connection else OPEN_QUEUE_INDEX
    return stmt.with_hint(Application, f"INDEXED BY {index}", dialect_name="sqlite")
