"""Every benchmark, one after the other, then all figures in one place.

    python -m bench.run_all --quick      # 1,000 / 10,000 applications; 10 / 10,000 users (a few minutes)
    python -m bench.run_all              # 1,000 / 10,000 / 100,000 applications; 10 / 100,000 users
    python -m bench.run_all --full       # the above plus 1,000,000 applications on Postgres

SQLite always; PostgreSQL too when BENCH_DATABASE_URL / TEST_DATABASE_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/test) answers. Benches print figures; nothing asserts.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import bench_login, bench_review
from bench.measure import print_table, save
from bench.scratch import exit_cleanly_on_sigterm, postgres_admin_url, postgres_available

DESK_BENCH = Path(__file__).resolve().parent / "bench_desk_search.py"

MODES = {
    "quick": {"sizes": ["1000", "10000"], "pg_only": [], "users": ["10", "10000"], "runs": "15",
              "desk_applicants": "10000"},
    "default": {"sizes": ["1000", "10000", "100000"], "pg_only": [], "users": ["10", "100000"], "runs": "30",
                "desk_applicants": "100000"},
    "full": {"sizes": ["1000", "10000", "100000"], "pg_only": ["1000000"], "users": ["10", "100000"], "runs": "30",
             "desk_applicants": "100000"},
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true")
    group.add_argument("--full", action="store_true")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args(argv)
    exit_cleanly_on_sigterm()
    mode = MODES["quick" if args.quick else "full" if args.full else "default"]
    started = time.perf_counter()
    review = bench_review.main(["--backends", *args.backends, "--sizes", *mode["sizes"],
                                "--pg-only-sizes", *mode["pg_only"], "--runs", mode["runs"]])
    login = bench_login.main(["--backends", *args.backends, "--users", *mode["users"]])
    figures = review + login
    # Desk search (issue 4) has its own bench, written with the desk search; it prints its own table.
    if DESK_BENCH.exists():
        env = dict(os.environ)
        if "postgres" in args.backends and postgres_available():
            env.setdefault("BENCH_DATABASE_URL", postgres_admin_url())  # it reads only the variables
        extra = [] if "sqlite" in args.backends else ["--skip-sqlite"]
        subprocess.run([sys.executable, str(DESK_BENCH), "--applicants", mode["desk_applicants"], *extra],
                       env=env, check=False)
    print("\n\n## All figures")
    print_table(review, "Review dashboard (issue 4)")
    print_table(login, "Login and start-up (issue 2)")
    print(f"\n{bench_review.TARGETS}\n{bench_login.TARGETS}")
    print(f"\nall benches took {time.perf_counter() - started:.0f} s; saved: {save(figures, 'all')}")


if __name__ == "__main__":
    main()
