"""Login flood (issue 8 item 12): 16 junk login sessions from one address, with and without the
throttle of services/ratelimit.py, while a real user logs in from another address.

    python -m bench.bench_login_flood [--backends sqlite postgres] [--seconds 10] [--sessions 16]

Production bcrypt cost (NSS_BCRYPT_ROUNDS, default 12). Per mode: junk attempts sent, how many ran
bcrypt and how many were refused before it, the cost of one refused attempt, and the real user's
login time (median and p90) meanwhile, measured once the first LIMIT + sessions junk attempts
have been answered (those of a new window do run bcrypt, by design). "unthrottled" replays the code before the throttle by
counting nothing (no login checks).
"""
from __future__ import annotations

import argparse
import os
import threading
import time
from contextlib import ExitStack
from unittest import mock

from bench.measure import Figure, figure, print_table, save
from bench.scratch import BACKENDS, exit_cleanly_on_sigterm, reachable_backends, scratch_database, use_database

LOGIN_ID, PASSWORD = "bench-flood-reviewer", "Bench-Flood-Pass-2026"
JUNK_CLIENT, REAL_CLIENT = "203.0.113.66", "198.51.100.10"


def _prepare(url: str) -> None:
    from db.engine import get_engine
    from db.migrate import upgrade
    from services.auth import create_user
    from services.uow import UnitOfWork
    upgrade(get_engine(url))
    use_database(url)
    with UnitOfWork() as u:
        create_user(u.session, login_id=LOGIN_ID, display_name="審査 計測", password=PASSWORD,
                    roles={"reviewer"}, email="bench-flood@example.jp", must_change_password=False)
        u.commit()


def _flood(backend: str, seconds: float, sessions: int, throttled: bool) -> list[Figure]:
    from services import auth, ratelimit
    counts = {"sent": 0, "refused": 0, "invalid": 0, "errors": 0}
    junk_times: list[float] = []
    lock, stop = threading.Lock(), threading.Event()

    def junk(n: int) -> None:
        i = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            try:
                code: str | None = auth.authenticate(f"junk-{n}-{i}", "not-the-password", client=JUNK_CLIENT).code
            except Exception:  # e.g. the connection pool exhausted while 16 sessions hash at once
                code = "error"
            elapsed = time.perf_counter() - t0
            with lock:
                counts["sent"] += 1
                counts[{auth.THROTTLED: "refused", "error": "errors"}.get(code or "", "invalid")] += 1
                if code == auth.THROTTLED:
                    junk_times.append(elapsed)
            i += 1

    patches = ExitStack()
    if not throttled:
        patches.enter_context(mock.patch.object(ratelimit, "login_checks", lambda *a: []))
    real: list[float] = []
    real_errors = 0
    with patches:
        threads = [threading.Thread(target=junk, args=(n,), daemon=True) for n in range(sessions)]
        for t in threads:
            t.start()
        # The first LIMIT junk attempts of a window do run bcrypt: measure once they are spent.
        burst_started = time.monotonic()
        while counts["sent"] < ratelimit.LOGIN_FAILURES_PER_CLIENT.limit + sessions and \
                time.monotonic() - burst_started < 120:
            time.sleep(0.05)
        burst = time.monotonic() - burst_started
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                if not auth.authenticate(LOGIN_ID, PASSWORD, client=REAL_CLIENT).ok:
                    raise RuntimeError("the real user could not log in")
            except Exception as exc:
                if isinstance(exc, RuntimeError):
                    raise
                real_errors += 1
            real.append(time.perf_counter() - t0)
        stop.set()
        for t in threads:
            t.join()
    mode = "throttled" if throttled else "unthrottled"
    extra = {"junk sent": counts["sent"], "junk bcrypt": counts["invalid"], "junk refused": counts["refused"],
             "junk errors": counts["errors"], "real user errors": real_errors,
             "measured after the first junk (s)": round(burst, 1)}
    figures = [figure(f"real user login during flood, {mode}", backend, sessions, real, **extra)]
    if junk_times:
        figures.append(figure("one refused junk login (no bcrypt)", backend, sessions, junk_times))
    return figures


def run(backends: list[str], seconds: float, sessions: int) -> list[Figure]:
    os.environ.setdefault("NSS_BCRYPT_ROUNDS", "12")
    from services import auth
    figures: list[Figure] = []
    for backend in backends:
        for throttled in (False, True):
            with scratch_database(backend, f"flood_{int(throttled)}") as url:
                _prepare(url)
                quiet: list[float] = []
                for _ in range(5):
                    t0 = time.perf_counter()
                    auth.authenticate(LOGIN_ID, PASSWORD, client=REAL_CLIENT)
                    quiet.append(time.perf_counter() - t0)
                if not throttled:
                    figures.append(figure("real user login, no flood", backend, 0, quiet[1:]))
                figures += _flood(backend, seconds, sessions, throttled)
                print(f"[{backend}] {'throttled' if throttled else 'unthrottled'} done", flush=True)
    return figures


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=["sqlite"])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--sessions", type=int, default=16)
    args = parser.parse_args(argv)
    exit_cleanly_on_sigterm()
    figures = run(reachable_backends(args.backends), args.seconds, args.sessions)
    print_table(figures, "Login flood (issue 8 item 12): size = junk sessions")
    print(f"\nsaved: {save(figures, 'login_flood')}")
    return figures


if __name__ == "__main__":
    main()
