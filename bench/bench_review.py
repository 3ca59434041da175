"""Review dashboard performance (issue 4, "Performance"): prints figures, asserts nothing.

    python -m bench.bench_review --sizes 1000 100000 [--pg-only-sizes 1000000] [--backends sqlite postgres]

Per backend and size: a fresh database filled by bench.generate, then
- the queue query (services.review.queue.list_queue: count + one page of 50) for several typical
  filter/sort combinations, median of --runs runs;
- dashboard_stats (the service) and the dashboard page's whole script run through AppTest;
- the CSV export of every row (services.review.export.export_csv) in a fresh process: time, and peak
  memory (tracemalloc peak of Python allocations, and the process RSS high-water mark).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

from bench.actors import reviewer_actor
from bench.generate import generate
from bench.measure import Figure, figure, print_table, quiet_streamlit, save, time_runs
from bench.scratch import BACKENDS, exit_cleanly_on_sigterm, reachable_backends, scratch_database, use_database

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD_PAGE = ROOT / "screens" / "review" / "dashboard.py"
TARGETS = """Targets (issue 4): queue median < 30 ms at 100,000 and 100k/1k ratio <= 1.5;
dashboard page run 100k/1k ratio <= 1.5; export memory flat in the row count (a streaming buffer)."""


# Indexes the bench can add before measuring (--extra-index), to try a fix before proposing it.
EXTRA_INDEXES = {
    # Open items are the newest; the oldest-first scan of ix_app_submitted wades through two years
    # of decided applications before it meets them. This index holds the open ones only.
    "open-queue": ("CREATE INDEX bench_ix_app_open_submitted ON applications (submitted_at, id) "
                   "WHERE status IN ('SUBMITTED', 'IN_REVIEW')",),
}


def add_extra_indexes(url: str, names: list[str]) -> None:
    from sqlalchemy import text

    from db.engine import get_engine
    engine = get_engine(url)
    with engine.begin() as conn:
        for name in names:
            for statement in EXTRA_INDEXES[name]:
                conn.execute(text(statement))
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE applications"))


def queue_cases() -> dict[str, tuple]:
    from services import clock
    from services.review.queue import MINE, OVERDUE, QueueFilters
    today = clock.today_jst()
    return {
        # The one the target is about: a reviewer's open items, narrowed, oldest first.
        "queue typical: open+一般+通関業, oldest": (
            QueueFilters(statuses=("SUBMITTED", "IN_REVIEW"), connection_type="GENERAL", industry="通関業"),
            "submitted_at", 0),
        "queue: default list (not 入力中), oldest": (QueueFilters(), "submitted_at", 0),
        "queue: overdue": (QueueFilters(due=OVERDUE), "submitted_at", 0),
        "queue: mine": (QueueFilters(assignee=MINE), "-submitted_at", 0),
        "queue: approved last 90 d, by company": (
            QueueFilters(statuses=("APPROVED",), submitted_from=today - timedelta(days=90)), "company", 0),
        "queue: 通関業 any status, newest, page 4": (QueueFilters(industry="通関業"), "-submitted_at", 3),
        # A rare 業種 (about 1.5% of applications) over all statuses: found through application_industries.
        "queue: バンプール any status, newest": (QueueFilters(industry="バンプール"), "-submitted_at", 0),
    }


def queue_benches() -> dict[str, tuple]:
    """name -> (callable, extra figures) for the database currently in use."""
    from services.review.queue import list_queue
    actor, out = reviewer_actor(), {}
    for name, (filters, sort, page) in queue_cases().items():
        total, rows = list_queue(actor, filters, sort, page, 50)
        out[name] = ((lambda f=filters, so=sort, p=page: list_queue(actor, f, so, p, 50)),
                     {"total": total, "page_rows": len(rows)})
    out.update(_typical_split(actor))
    return out


def _typical_split(actor) -> dict[str, tuple]:
    """Where the typical query's time goes: list_queue's two statements, run on their own."""
    from services.review.queue import _capped_count_select, _page_select
    from services.uow import UnitOfWork
    filters, sort, page = next(iter(queue_cases().values()))
    count_sql = _capped_count_select(actor, filters)
    page_sql = _page_select(actor, filters, sort, page * 50, 50)

    def run(sql, many):
        with UnitOfWork() as u:
            return u.session.execute(sql).all() if many else u.session.scalar(sql)
    return {"queue typical, COUNT only": (lambda: run(count_sql, False), {}),
            "queue typical, page only": (lambda: run(page_sql, True), {})}


def dashboard_benches() -> dict[str, tuple]:
    from services.review.stats import dashboard_stats
    actor = reviewer_actor()
    out = {"dashboard_stats (service)": (lambda: dashboard_stats(actor), {})}
    if not DASHBOARD_PAGE.exists():
        print(f"  ({DASHBOARD_PAGE.relative_to(ROOT)} not found: page run not measured)")
        return out
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui.session import ACTOR_KEY
    quiet_streamlit()

    def run_page():
        # A new session each time, caches emptied: what a reviewer opening the page first pays.
        st.cache_data.clear()
        at = AppTest.from_file(str(DASHBOARD_PAGE), default_timeout=300)
        at.session_state[ACTOR_KEY] = actor
        at.run()
        if at.exception:
            raise RuntimeError(f"dashboard page failed: {at.exception[0].value}")
    out["dashboard page (AppTest run)"] = (run_page, {})
    return out


def _probe(url: str, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.export_probe", url, mode], cwd=ROOT, env=os.environ.copy(),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_export(url: str, backend: str, size: int) -> list[Figure]:
    timed = _probe(url, "time")
    traced = _probe(url, "memory")
    return [figure("CSV export, every row", backend, size, [timed["seconds"]], rows=timed["rows"],
                   MB=timed["bytes"] / 1e6, rows_per_s=int(timed["rows"] / timed["seconds"]),
                   tracemalloc_peak_MB=traced["tracemalloc_peak"] / 1e6,
                   rss_growth_MB=(timed["rss_peak_kb"] - timed["rss_before_kb"]) / 1024,
                   biggest_chunk_KB=timed["biggest_chunk"] / 1024)]


def measure_interleaved(urls: dict[int, str], backend: str, runs: int, rounds: int) -> list[Figure]:
    """Sizes take turns, `rounds` times, so load from other processes hits every size alike and the
    large/small ratios stay meaningful on a shared machine."""
    samples: dict[tuple[str, int], list[float]] = {}
    extras: dict[tuple[str, int], dict] = {}
    per_round = max(1, runs // rounds)
    for _ in range(rounds):
        for size, url in urls.items():
            use_database(url)
            benches = {**queue_benches(), **dashboard_benches()}
            for name, (fn, extra) in benches.items():
                n = per_round if name.startswith("queue") else max(2, per_round // 3)
                samples.setdefault((name, size), []).extend(time_runs(fn, n, warmup=1))
                extras[(name, size)] = extra
    return [figure(name, backend, size, values, **extras[(name, size)]) for (name, size), values in samples.items()]


def run(backends: list[str], sizes: list[int], pg_only_sizes: list[int], runs: int, export_max: int,
        sections: bool = True, rounds: int = 3, extra_indexes: list[str] | None = None) -> list[Figure]:
    figures: list[Figure] = []
    for backend in backends:
        backend_sizes = sizes + (pg_only_sizes if backend == "postgres" else [])
        with ExitStack() as stack:
            urls = {}
            for size in backend_sizes:
                url = stack.enter_context(scratch_database(backend, f"review_{size}"))
                print(f"[{backend} {size:,}] generating ...", flush=True)
                gen = generate(url, size, sections=sections)
                print(f"[{backend} {size:,}] generated in {gen.seconds:.1f} s", flush=True)
                figures.append(figure("generate (applications)", backend, size, [gen.seconds],
                                      per_s=int(size / gen.seconds)))
                urls[size] = url
            print(f"[{backend}] measuring queue and dashboard ...", flush=True)
            figures += measure_interleaved(urls, backend, runs, rounds)
            if extra_indexes:  # the same data again with the indexes tried: a like-for-like comparison
                for url in urls.values():
                    add_extra_indexes(url, extra_indexes)
                print(f"[{backend}] measuring again with {', '.join(extra_indexes)} ...", flush=True)
                figures += measure_interleaved(urls, "+".join([backend, *extra_indexes]), runs, rounds)
            for size, url in urls.items():
                if size <= export_max:
                    print(f"[{backend} {size:,}] CSV export ...", flush=True)
                    figures += bench_export(url, backend, size)
    return figures


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10_000])
    parser.add_argument("--pg-only-sizes", nargs="*", type=int, default=[],
                        help="sizes run on Postgres only (1,000,000: SQLite generation is slower)")
    parser.add_argument("--runs", type=int, default=30, help="queue runs per size (split over the rounds)")
    parser.add_argument("--rounds", type=int, default=3, help="times the sizes take turns")
    parser.add_argument("--export-max", type=int, default=100_000, help="largest size the CSV export runs at")
    parser.add_argument("--no-sections", action="store_true")
    parser.add_argument("--extra-index", nargs="*", choices=sorted(EXTRA_INDEXES), default=[],
                        help="experiment: measure again after adding these indexes (backend shows as sqlite+name)")
    args = parser.parse_args(argv)
    exit_cleanly_on_sigterm()
    backends = reachable_backends(args.backends)
    figures = run(backends, args.sizes, args.pg_only_sizes, args.runs, args.export_max, not args.no_sections,
                  args.rounds, args.extra_index)
    print_table(figures, "Review dashboard (issue 4)")
    print("\n" + TARGETS)
    print(f"\nsaved: {save(figures, 'review')}")
    return figures


if __name__ == "__main__":
    main()
