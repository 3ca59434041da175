"""Login performance (issue 2): does a bigger user table slow logging in or the page runs?

    python -m bench.bench_login [--users 10 100000] [--backends sqlite postgres] [--runs 15]

Per backend and user count: a fresh database with that many users (one precomputed bcrypt hash for
all of them; a few login attempts each, as a live system has) plus one measured staff user hashed
with the production cost (NSS_BCRYPT_ROUNDS, default 12). Measured: services.auth.authenticate,
and a whole app.py run through AppTest for a logged-in session (what every click costs).
Then: seconds from `streamlit run app.py` on a fresh data folder until /_stcore/health answers, and
the first full app.py run on a fresh data folder (migrations + demo seed + login page).
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import bcrypt

from bench.generate import writer_for
from bench.measure import Figure, figure, print_table, quiet_streamlit, save, time_runs
from bench.scratch import BACKENDS, exit_cleanly_on_sigterm, reachable_backends, scratch_database, use_database

ROOT = Path(__file__).resolve().parents[1]
LOGIN_ID, PASSWORD = "bench-login-reviewer", "Bench-Login-Pass-2026"
TARGETS = "Target (issue 2): login and page-run medians at 100,000 users at most 1.2× those at 10 users."
BATCH = 10_000
STAFF_EVERY = 5_000


def fill_users(url: str, count: int) -> None:
    """`count` users (office logins and every STAFF_EVERY-th a desk or reviewer) with two old login
    attempts each."""
    from db.engine import get_engine
    from db.migrate import upgrade
    from services import clock
    engine = get_engine(url)
    upgrade(engine)
    writer = writer_for(engine)
    shared_hash = bcrypt.hashpw(b"bench-shared-password", bcrypt.gensalt(12)).decode()
    now = clock.now()
    attempt_id = 1
    for start in range(1, count + 1, BATCH):
        rows: dict[str, list[tuple]] = {"users": [], "user_roles": [], "login_attempts": []}
        for i in range(start, min(start + BATCH, count + 1)):
            staff = i % STAFF_EVERY == 0  # a few dozen staff at most, as in a real office
            login = f"staff{i:07d}" if staff else f"B{i:07d}"
            rows["users"].append((i, login, login.lower(), "STAFF" if staff else "OFFICE", f"user {i}",
                                  f"{login.lower()}@example.jp", shared_hash, False, True, False, None,
                                  now - timedelta(days=30), now - timedelta(days=30), now - timedelta(days=60)))
            rows["user_roles"].append((i, ("reviewer", "desk")[i // STAFF_EVERY % 2] if staff else "applicant"))
            for k in range(2):
                rows["login_attempts"].append((attempt_id, login.lower(), now - timedelta(days=k + 1, hours=i % 24),
                                               k == 0))
                attempt_id += 1
        writer.write(rows)
    writer.finish()


def create_measured_user() -> None:
    from services.auth import create_user
    from services.uow import UnitOfWork
    with UnitOfWork() as u:
        create_user(u.session, login_id=LOGIN_ID, display_name="審査 計測", password=PASSWORD,
                    roles={"reviewer"}, email="bench-login@example.jp", must_change_password=False)
        u.commit()


def _login() -> None:
    from services.auth import authenticate
    if not authenticate(LOGIN_ID, PASSWORD).ok:
        raise RuntimeError("bench login failed")


def _run_app() -> None:
    """app.py for a session that logged in a moment ago: cookie check, user re-check, menu, home."""
    from streamlit.testing.v1 import AppTest

    from services import clock
    from ui.session import ACTOR_KEY, AUTH_AT_KEY
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    ss = at.session_state
    ss["authentication_status"], ss["username"], ss["name"] = True, LOGIN_ID, "審査 計測"
    ss["roles"], ss["logout"], ss[AUTH_AT_KEY] = ["reviewer"], False, clock.now()
    at.run()
    if at.exception or ACTOR_KEY not in at.session_state:
        raise RuntimeError(f"app.py did not run logged in: {at.exception}")


BENCHES = {"authenticate (bcrypt cost 12)": _login, "app.py run, logged in (AppTest)": _run_app}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NSS_COOKIE_KEY", "NSS_DEMO")}
    env["NSS_DATA_DIR"] = data_dir
    return env


def bench_startup(runs: int = 3) -> Figure:
    """`streamlit run app.py` on a fresh data folder until /_stcore/health says ok."""
    samples = []
    for _ in range(runs):
        data_dir, port = tempfile.mkdtemp(prefix="nss-bench-start-"), _free_port()
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=_fresh_env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError("streamlit exited before answering /_stcore/health")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.perf_counter() - started > 120:
                    raise RuntimeError("no /_stcore/health answer within 120 s")
                time.sleep(0.05)
            samples.append(time.perf_counter() - started)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            shutil.rmtree(data_dir, ignore_errors=True)
    return figure("streamlit run → /_stcore/health", "sqlite", 0, samples)


def bench_first_run(runs: int = 2) -> Figure:
    """A fresh process: imports, app.py's first run on an empty data folder (migrations, demo seed)."""
    samples = []
    for _ in range(runs):
        data_dir = tempfile.mkdtemp(prefix="nss-bench-first-")
        code = ("import time; t=time.perf_counter()\n"
                "from streamlit.testing.v1 import AppTest\n"
                "at = AppTest.from_file('app.py', default_timeout=300).run()\n"
                "assert not at.exception, at.exception\n"
                "print(time.perf_counter() - t)")
        try:
            done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_fresh_env(data_dir),
                                  capture_output=True, text=True, check=True)
            samples.append(float(done.stdout.strip().splitlines()[-1]))
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    return figure("first app.py run, fresh data folder (AppTest)", "sqlite", 0, samples)


def run(backends: list[str], user_counts: list[int], runs: int, startup: bool = True, rounds: int = 3) -> list[Figure]:
    os.environ.setdefault("NSS_BCRYPT_ROUNDS", "12")
    import streamlit as st
    quiet_streamlit()
    figures: list[Figure] = []
    for backend in backends:
        with ExitStack() as stack:
            urls = {}
            for count in user_counts:
                url = stack.enter_context(scratch_database(backend, f"login_{count}"))
                t0 = time.perf_counter()
                fill_users(url, count)
                use_database(url)
                create_measured_user()
                print(f"[{backend} {count:,} users] filled in {time.perf_counter() - t0:.1f} s", flush=True)
                urls[count] = url
            # The user counts take turns so that load from other processes hits both alike.
            samples: dict[tuple[str, int], list[float]] = {}
            for _ in range(rounds):
                for count, url in urls.items():
                    use_database(url)
                    st.cache_resource.clear()
                    for name, fn in BENCHES.items():
                        samples.setdefault((name, count), []).extend(
                            time_runs(fn, max(1, runs // rounds), warmup=1))
            figures += [figure(name, backend, count, values) for (name, count), values in samples.items()]
    if startup:
        print("[startup] streamlit run on a fresh data folder ...", flush=True)
        figures.append(bench_startup())
        figures.append(bench_first_run())
    return figures


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--users", nargs="+", type=int, default=[10, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3, help="times the user counts take turns")
    parser.add_argument("--no-startup", action="store_true")
    args = parser.parse_args(argv)
    exit_cleanly_on_sigterm()
    backends = reachable_backends(args.backends)
    figures = run(backends, args.users, args.runs, startup=not args.no_startup, rounds=args.rounds)
    print_table(figures, "Login and start-up (issue 2)")
    print("\n" + TARGETS)
    print(f"\nsaved: {save(figures, 'login')}")
    return figures


if __name__ == "__main__":
    main()
