"""The review dashboard's figures (services.review.stats), kept for a short time.

The dashboard reruns on every click on it (a filter, a page of the queue, a tile), and its figures
are a dozen aggregates over every application (~0.2 s at 100,000 on SQLite). They change only when
an application is submitted or a review step is taken: such a step in this server process clears
them at once (`figures_changed`, called by the wizard's 「申込む」 and the review actions); a step
in another server process, a temporary account or a 利用者コード shows within FIGURES_TTL_SECONDS.
The queue itself is never kept: it is read on every run.
"""
from __future__ import annotations

import streamlit as st

from config import settings
from services import clock
from services.authz import Actor
from services.review import stats

FIGURES_TTL_SECONDS = 30


@st.cache_data(ttl=FIGURES_TTL_SECONDS, max_entries=500, show_spinner=False)
def _figures(actor: Actor, database_url: str, today: str) -> stats.DashboardStats:
    # Keyed by the whole actor ("mine" is per reviewer; roles decide what may be read), the
    # database (tests and benches switch databases in one process) and the JST day (the deadline
    # lists and the chart are per day).
    return stats.dashboard_stats(actor)


def dashboard_figures(actor: Actor) -> stats.DashboardStats:
    return _figures(actor, settings().database_url, clock.today_jst().isoformat())


def figures_changed() -> None:
    """An application was submitted or a review step taken here: every reviewer's figures are stale."""
    _figures.clear()


def chart_values(daily, names: dict[str, str], series: str, count: str) -> list[dict]:
    """The daily figures as Vega-Lite's long-form rows ({date, series, count}), for the chart's inline
    values: no data frame to melt and convert to Arrow on every run."""
    columns = daily.to_dict("list")
    return [{"date": day.isoformat(), series: name, count: int(n)}
            for key, name in names.items() for day, n in zip(columns["date"], columns[key], strict=True)]
