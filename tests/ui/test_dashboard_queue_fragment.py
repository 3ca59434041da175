"""The review queue is a fragment (issue 9 item 5): a filter or page change reruns only the queue, as
the browser asks when a widget inside it changes, and that run alone filters the rows, turns the
page and keeps the URL in step. AppTest itself always reruns the whole script, so the fragment's
own run is requested the way bench/bench_page_run.py does it."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
import streamlit as st

from bench.bench_page_run import FRAGMENT_RUN, install_fragment_runs
from services import clock
from services.authz import REVIEWER
from tests.factories import make_application, make_staff
from tests.ui.harness import page, texts

DASHBOARD = "screens/review/dashboard.py"


@pytest.fixture
def reviewer(sqlite_db):
    st.cache_data.clear()
    install_fragment_runs()
    return make_staff("rev1", REVIEWER)


@contextmanager
def only_the_queue(at):
    fragments = list(at._fragment_storage._fragments)
    assert fragments, "the dashboard draws no fragment"
    FRAGMENT_RUN[:] = fragments
    try:
        yield
    finally:
        FRAGMENT_RUN.clear()


def _queue(at) -> list[str]:
    table = next(d for d in at.dataframe if (d.key or "").startswith("rq_table_"))
    return list(table.value["企業名"])


def test_a_filter_change_reruns_only_the_queue_and_filters_it(reviewer):
    now = clock.now()
    make_application(connection_type="NET", company="ネット物流", submitted_at=now - timedelta(hours=2))
    make_application(connection_type="GENERAL", company="一般物流", submitted_at=now - timedelta(hours=1))
    at = page(DASHBOARD, reviewer)
    assert at.metric and _queue(at) == ["ネット物流", "一般物流"]
    at.selectbox(key="rq_connection").set_value("GENERAL")
    with only_the_queue(at):
        at.run()
    assert not at.exception
    assert not at.metric  # the figures above the queue were not drawn again
    assert _queue(at) == ["一般物流"]
    assert at.query_params["conn"] in ("GENERAL", ["GENERAL"])


def test_a_page_change_inside_the_queue_turns_the_page_in_that_run(reviewer, monkeypatch):
    from services.review import queue
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    now = clock.now()
    for i in range(3):
        make_application(company=f"会社{i}", submitted_at=now - timedelta(hours=3 - i))
    at = page(DASHBOARD, reviewer)
    at.number_input(key="rq_page_picker").set_value(2)
    with only_the_queue(at):
        at.run()
    assert not at.exception
    assert _queue(at) == ["会社2"] and "3 件中 3〜3 件を表示" in texts(at)
    assert at.query_params["page"] in ("2", ["2"])
