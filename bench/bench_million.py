"""The 1,000,000-application cases of issue 9 item 5, on PostgreSQL and SQLite (figures only).

    python -m bench.bench_million [--n 1000000] [--backends sqlite postgres] [--runs 15] [--rebuild] [--drop]

The data (bench.generate, without the wizard's screen rows, which none of these queries reads) is
built once and kept: PostgreSQL in a database of its own (`nss_bench_million_<n>`), SQLite in
`bench/out/million_<n>.db`. Later runs reuse it (migrated to head first, so a new migration is
timed on the big tables too); `--rebuild` builds it again, `--drop` removes it at the end.
Measured, median and max of --runs calls, each through the service the page calls:
- desk search per kind, including one- and two-character partial words (bench.bench_desk_search);
- the dashboard's figures (dashboard_stats), the queue's page (typical filter), "mine" sorted
  newest first, the queue with its status filter cleared, and list_reviewers.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench.scratch import BACKENDS, OUT_DIR, postgres_admin_url, reachable_backends, remove_sqlite, use_database

N = 1_000_000


def _pg_name(n: int) -> str:
    return f"nss_bench_million_{n}"


def _sqlite_path(n: int) -> Path:
    return OUT_DIR / f"million_{n}.db"


def _url(backend: str, n: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{_sqlite_path(n)}"
    return make_url(postgres_admin_url()).set(database=_pg_name(n)).render_as_string(hide_password=False)


def _built(url: str, n: int) -> bool:
    """True when the database holds a finished build of n applications (the count is written last)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT n FROM bench_million_built")) == n
    except Exception:
        return False
    finally:
        engine.dispose()


def _drop(backend: str, n: int) -> None:
    from db.engine import dispose_all
    dispose_all()
    if backend == "sqlite":
        remove_sqlite(_sqlite_path(n))
        return
    admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_pg_name(n)}" WITH (FORCE)'))
    admin.dispose()


def build(backend: str, n: int, rebuild: bool) -> tuple[str, float | None]:
    """The database's URL and the build's seconds (None when an earlier build was reused)."""
    from bench.generate import generate
    from db.engine import get_engine
    from db.migrate import upgrade
    url = _url(backend, n)
    if not rebuild and _built(url, n):
        started = time.perf_counter()
        upgrade(get_engine(url))  # a migration added since the build runs here, on the big tables
        print(f"[{backend}] reusing the {n:,} build (upgrade to head: {time.perf_counter() - started:.1f} s)",
              flush=True)
        return url, None
    _drop(backend, n)
    if backend == "sqlite":
        OUT_DIR.mkdir(parents=True, exist_ok=True)
    else:
        admin = create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{_pg_name(n)}"'))
        admin.dispose()
    print(f"[{backend}] building {n:,} applications ...", flush=True)
    gen = generate(url, n, sections=False,
                   progress=lambda done, total: print(f"  {done:,}/{total:,}", flush=True)
                   if done % 100_000 == 0 else None)
    with get_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE bench_million_built (n integer)"))
        conn.execute(text("INSERT INTO bench_million_built VALUES (:n)"), {"n": n})
    print(f"[{backend}] built in {gen.seconds:.0f} s", flush=True)
    return url, gen.seconds


def _search_cases(runs: int) -> dict[str, list[tuple[str, str]]]:
    """Per search kind, `runs` (text, field) pairs drawn from the generated applicants."""
    import random

    from db.models import Applicant
    from services.desk import query as q
    from services.uow import UnitOfWork
    rng = random.Random(7)
    with UnitOfWork() as u:
        rows = u.session.execute(select(Applicant.contact_name, Applicant.contact_kana, Applicant.phone,
                                        Applicant.email, Applicant.company_name, Applicant.corporate_number,
                                        Applicant.temp_login_id, Applicant.office_code)
                                 .where(Applicant.id % 200 == 0).limit(5000)).all()  # spread over all
    offices = [r.office_code for r in rows if r.office_code]

    def pick(get, field=q.AUTO):
        return [(get(rng.choice(rows)), field) for _ in range(runs)]
    return {
        "name, given name (free text)": pick(lambda r: r.contact_name.split("\u3000")[1]),
        "name, 2 chars (surname)": pick(lambda r: r.contact_name[:2], q.NAME),
        "name, 1 char": pick(lambda r: r.contact_name[0], q.NAME),
        "name, 2 chars, no match": [(rng.choice("鬱鬯鸞麤") + rng.choice("龍龜"), q.NAME) for _ in range(runs)],
        "company, partial (last 4 chars)": pick(lambda r: r.company_name[-4:], q.COMPANY),
        "company, 2 chars 物流 / 通関 (free text)": [(rng.choice(("物流", "通関")), q.AUTO) for _ in range(runs)],
        "company, 1 char (free text)": pick(lambda r: r.company_name[-1]),
        "kana prefix": pick(lambda r: r.contact_kana[:3]),
        "phone, full": pick(lambda r: r.phone),
        "mail, full": pick(lambda r: r.email.upper()),
        "corporate number": pick(lambda r: r.corporate_number or "0000000000000"),
        "temp login ID": pick(lambda r: r.temp_login_id.lower()),
        "office code": [(rng.choice(offices).lower(), q.OFFICE_CODE) for _ in range(runs)] if offices else [],
    }


def _desk_benches(runs: int) -> dict[str, tuple]:
    from services.authz import DESK, Actor
    from services.desk.search import find_callers
    actor = Actor(user_id=11, login_id="bench-desk-01", display_name="desk", kind="STAFF", roles=frozenset({DESK}))
    out = {}
    for label, cases in _search_cases(runs).items():
        if cases:
            it = iter(cases * 3)  # each call a different word, as time_runs repeats with warm-ups
            hits = [find_callers(actor, *case).total for case in cases]
            out[f"desk search: {label}"] = ((lambda it=it: find_callers(actor, *next(it))),
                                            {"hits_median": sorted(hits)[len(hits) // 2]})
    return out


def _review_benches() -> dict[str, tuple]:
    from bench.actors import reviewer_actor
    from bench.bench_review import queue_cases
    from services.review.queue import list_queue, list_reviewers
    from services.review.stats import dashboard_stats
    actor, cases = reviewer_actor(), queue_cases()
    chosen = {"queue page (typical filter)": "queue typical: open+一般+通関業, oldest",
              "queue: mine, newest first": "queue: mine",
              "queue: status filter cleared": "queue: default list (not 入力中), oldest"}
    out: dict[str, tuple] = {"dashboard_stats": ((lambda: dashboard_stats(actor)), {}),
                             "list_reviewers": ((lambda: list_reviewers(actor)), {})}
    for label, case in chosen.items():
        filters, sort, page = cases[case]
        out[label] = ((lambda f=filters, so=sort, p=page: list_queue(actor, f, so, p, 50)), {})
    return out


def measure(backend: str, n: int, runs: int) -> list:
    from bench.measure import figure, time_runs
    benches = {**_desk_benches(runs), **_review_benches()}
    return [figure(name, backend, n, time_runs(fn, runs, warmup=1), **extra) for name, (fn, extra) in benches.items()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument("--drop", action="store_true", help="remove the data at the end")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)
    from bench.measure import figure, print_table, quiet_streamlit, save
    quiet_streamlit()
    figures = []
    for backend in reachable_backends(args.backends):
        url, seconds = build(backend, args.n, args.rebuild)
        if seconds is not None:
            figures.append(figure("build (generate, no screens; ms)", backend, args.n, [seconds], seconds=seconds))
        use_database(url)
        if not args.build_only:
            print(f"[{backend}] measuring ...", flush=True)
            figures += measure(backend, args.n, args.runs)
        if args.drop:
            _drop(backend, args.n)
    print_table(figures, f"{args.n:,} applications (ms; target: desk search <= 50 ms)")
    print(save(figures, "bench_million"))


if __name__ == "__main__":
    main()
