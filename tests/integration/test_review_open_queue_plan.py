"""The open queue and the dashboard's open figures are read through ix_app_open_queue, on both backends.

The data comes from the bench generator (a realistic spread: open items are a small, recent slice),
so the PostgreSQL planner chooses the way it would in production; SQLite is told with INDEXED BY,
which fails outright if the query's predicate stopped matching the partial index's.
"""
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from bench.actors import reviewer_actor
from bench.generate import generate
from db.engine import get_engine
from db.models import OPEN_QUEUE_INDEX, OPEN_QUEUE_PREDICATE
from services.review.open_queue import is_open
from services.review.queue import OVERDUE, QueueFilters, list_queue
from services.review.stats import dashboard_stats
from services.workflow import OPEN_FOR_REVIEW

OPEN_LITERAL = "IN ('SUBMITTED', 'IN_REVIEW')"


@pytest.fixture
def bench_data(db):
    with get_engine(db).begin() as conn:  # the generator writes its own terms version (id 1)
        conn.execute(text("DELETE FROM terms_versions"))
    generate(db, 1500, sections=False, batch=500)
    return db


@contextmanager
def captured(url: str):
    statements: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))
    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def _plan(url: str, statement: str, parameters, *, open_index_only: bool = False) -> str:
    """The plan's text. open_index_only (PostgreSQL): with every other applications index dropped and
    sequential scans priced out, inside a transaction rolled back: shows the partial index's predicate
    matches the query's, whatever the planner prefers on small test data."""
    engine = get_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn, conn.begin() as tx:
        if open_index_only and not sqlite:
            others = conn.execute(text(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'applications' AND indexname <> :keep "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"), {"keep": OPEN_QUEUE_INDEX}).scalars().all()
            for name in others:
                conn.execute(text(f'DROP INDEX "{name}"'))
            conn.execute(text("SET LOCAL enable_seqscan = off"))
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        plan = "\n".join(str(row[-1]) for row in conn.exec_driver_sql(prefix + statement, parameters))
        tx.rollback()
        return plan


def _open_statements(statements) -> list[tuple[str, object]]:
    return [(sql, params) for sql, params in statements if OPEN_LITERAL in sql]


def test_the_index_predicate_is_the_literal_open_statuses():
    assert f"status {OPEN_LITERAL}" == OPEN_QUEUE_PREDICATE
    assert tuple(OPEN_FOR_REVIEW) == ("SUBMITTED", "IN_REVIEW")
    assert str(is_open().compile()) == f"applications.status {OPEN_LITERAL}"


@pytest.mark.parametrize("filters", [
    QueueFilters(statuses=("SUBMITTED", "IN_REVIEW"), connection_type="GENERAL", industry="通関業"),
    QueueFilters(due=OVERDUE),
    QueueFilters(statuses=("SUBMITTED",)),
], ids=["typical", "overdue", "submitted-only"])
def test_open_queue_count_and_page_can_use_the_open_index(bench_data, filters):
    with captured(bench_data) as statements:
        total, rows = list_queue(reviewer_actor(), filters, "submitted_at", 0, 50)
    assert total > 0 and rows
    open_statements = _open_statements(statements)
    assert len(open_statements) == 2  # the count and the page
    for sql, params in open_statements:
        assert OPEN_QUEUE_INDEX in _plan(bench_data, sql, params, open_index_only=True), sql


def test_typical_queue_uses_the_open_index_by_choice(bench_data):
    """The view the performance target is about: PostgreSQL picks the index from its statistics."""
    filters = QueueFilters(statuses=("SUBMITTED", "IN_REVIEW"), connection_type="GENERAL", industry="通関業")
    with captured(bench_data) as statements:
        list_queue(reviewer_actor(), filters, "submitted_at", 0, 50)
    for sql, params in _open_statements(statements):
        assert OPEN_QUEUE_INDEX in _plan(bench_data, sql, params), sql


def test_queue_over_all_statuses_does_not_ask_for_the_open_index(bench_data):
    with captured(bench_data) as statements:
        list_queue(reviewer_actor(), QueueFilters(), "submitted_at", 0, 50)
    assert statements and not _open_statements(statements)
    assert not any("INDEXED BY" in sql for sql, _ in statements)


def test_dashboard_open_figures_use_the_open_index(bench_data):
    with captured(bench_data) as statements:
        figures = dashboard_stats(reviewer_actor())
    assert figures.oldest_waiting_at is not None
    open_statements = _open_statements(statements)
    assert len(open_statements) == 5  # oldest, mine, unassigned, overdue, due soon
    for sql, params in open_statements:
        assert OPEN_QUEUE_INDEX in _plan(bench_data, sql, params, open_index_only=True), sql


def test_a_connection_filter_reads_the_index_led_by_it(bench_data):
    """SQLite is told which of the two open indexes; PostgreSQL picks by itself (either contains the
    open index's name, which the tests above check)."""
    from db.models import OPEN_QUEUE_BY_CONNECTION_INDEX
    with captured(bench_data) as statements:
        list_queue(reviewer_actor(), QueueFilters(statuses=("SUBMITTED", "IN_REVIEW"), connection_type="GENERAL"))
        list_queue(reviewer_actor(), QueueFilters(statuses=("SUBMITTED", "IN_REVIEW")))
    with_connection, without = _open_statements(statements)[:2], _open_statements(statements)[2:]
    for sql, params in with_connection:
        plan = _plan(bench_data, sql, params, open_index_only=False)
        if get_engine(bench_data).dialect.name == "sqlite":
            assert OPEN_QUEUE_BY_CONNECTION_INDEX in plan, plan
    for sql, _ in without:
        assert OPEN_QUEUE_BY_CONNECTION_INDEX not in sql
